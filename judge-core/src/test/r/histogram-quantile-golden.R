# histogram-quantile-golden.R -- golden values for a histogram quantile's distribution-free
# interval from order statistics (Canary Judge, HistogramMetricJudge, fixed mode).
#
# Per case: a bucket histogram (counts per bucket, upper bounds; the first bucket starts at 0, the
# last is unbounded), a quantile q and a level 1 - alpha. With n requests and B ~ Binomial(n, q),
#   r = qbinom(alpha / 2, n, q), s = qbinom(1 - alpha / 2, n, q) + 1
# give P(X_(r) <= xi_q <= X_(s)) >= 1 - alpha (Conover 1999, section 3.2). The lower end is the lower
# edge of the bucket holding the r-th smallest value (0 when r < 1), the upper end the upper edge of
# the bucket holding the s-th (Inf when s > n).
#
# Run: Rscript judge-core/src/test/r/histogram-quantile-golden.R > judge-core/src/test/resources/golden/histogram-quantile.csv
bounds <- c(0.05, 0.1, 0.25, 0.5, 1, 2.5)
cases <- list(
  list(name = "p99-healthy",   counts = c(2000, 5000, 2500, 400, 80, 15, 5),   q = 0.99, alpha = 0.025),
  list(name = "p99-slow-tail", counts = c(1900, 4800, 2400, 380, 300, 190, 30), q = 0.99, alpha = 0.025),
  list(name = "p50",           counts = c(2000, 5000, 2500, 400, 80, 15, 5),   q = 0.5,  alpha = 0.05),
  list(name = "p99-sparse",    counts = c(10, 30, 15, 3, 1, 1, 0),             q = 0.99, alpha = 0.025),
  list(name = "p90-tiny",      counts = c(1, 2, 1, 0, 0, 0, 0),                q = 0.9,  alpha = 0.05)
)
edge_of <- function(k, counts, upper) {
  j <- which(cumsum(counts) >= k)[1]
  if (upper) { if (j > length(bounds)) Inf else bounds[j] } else { if (j == 1) 0 else bounds[j - 1] }
}
cat("name,counts,n,q,alpha,r,s,lower,upper\n")
for (cs in cases) {
  n <- sum(cs$counts)
  r <- qbinom(cs$alpha / 2, n, cs$q)
  s <- qbinom(1 - cs$alpha / 2, n, cs$q) + 1
  lower <- if (r < 1) 0 else edge_of(r, cs$counts, FALSE)
  upper <- if (s > n) Inf else edge_of(s, cs$counts, TRUE)
  cat(sprintf("%s,%s,%d,%s,%s,%d,%d,%s,%s\n", cs$name, paste(cs$counts, collapse = ";"), n, cs$q, cs$alpha, r, s, format(lower), format(upper)))
}
