package org.canaryjudge.decision;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.statistics.distribution.BinomialDistribution;
import org.canaryjudge.model.Effect;
import org.canaryjudge.model.EffectScale;
import org.canaryjudge.model.Histogram;
import org.canaryjudge.model.HistogramSummary;
import org.canaryjudge.model.Interval;
import org.canaryjudge.model.MetricData;
import org.canaryjudge.model.MetricOutcome;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.Outcome;
import org.canaryjudge.stats.ErrorShareSequence;

/**
 * Judges a histogram metric on one quantile ξ<sub>q</sub> of the requests, from the bucket counts
 * themselves rather than from per-interval quantiles (which weigh a quiet minute like a busy one).
 *
 * <p>Each side's quantile gets a distribution-free interval from order statistics: with n
 * requests, P(X<sub>(r)</sub> ≤ ξ<sub>q</sub> ≤ X<sub>(s)</sub>) = P(r ≤ B &lt; s) for
 * B ~ Binomial(n, q) (Thompson 1936; Conover, <i>Practical Nonparametric Statistics</i>, 1999,
 * §3.2). In fixed mode r = F<sup>−1</sup>(α/4) and s = F<sup>−1</sup>(1 − α/4) + 1 of that
 * binomial; in sequential mode r and s bound the counts k whose beta-binomial mixture martingale
 * against q stays below 2/α, so they hold at every look at once (Robbins' conjugate mixture, the
 * construction of the fixed-quantile sequence in Howard &amp; Ramdas, "Sequential estimation of
 * quantiles", Bernoulli 28(3), 2022; here with the prior concentration 100 around q that the
 * error-share sequence uses, not the paper's tuned mixture). Ranks are mapped to buckets: X<sub>(r)</sub> is at least its bucket's lower edge and
 * X<sub>(s)</sub> at most its upper edge (the first bucket starts at 0, the last is unbounded),
 * so the interval is never finer than the buckets.
 *
 * <p>Each side's interval holds at α/2, so the ratio of the canary's quantile to the baseline's
 * lies in [L<sub>c</sub>/U<sub>b</sub>, U<sub>c</sub>/L<sub>b</sub>] and the difference in
 * [L<sub>c</sub> − U<sub>b</sub>, U<sub>c</sub> − L<sub>b</sub>] with confidence 1 − α; these are
 * compared with the bands. When the buckets alone (with unlimited requests) could not place the
 * effect inside or beyond a band, the outcome is {@code inconclusive} and the reason says so.
 */
final class HistogramMetricJudge {

    static final String FIXED_TEST = "order-statistics-binomial";
    static final String SEQUENTIAL_TEST = "order-statistics-beta-binomial-sequential";

    private HistogramMetricJudge() {
    }

    static MetricOutcome judge(MetricSpec spec, MetricData.Histograms data, Level level) {
        double q = spec.quantile();
        double[] bounds = spec.bounds();
        Histogram b = data.baseline();
        Histogram c = data.canary();
        if (b.requests() == 0 || c.requests() == 0) {
            String side = c.requests() == 0 ? "canary" : "baseline";
            return Outcomes.withoutEffect(spec, data, Outcome.NODATA, "no " + side + " requests in the window.");
        }
        double sideAlpha = level.alpha() / 2;
        double[] cb = interval(b, q, bounds, sideAlpha, level.sequential());
        double[] cc = interval(c, q, bounds, sideAlpha, level.sequential());
        double eb = b.quantile(q, bounds);
        double ec = c.quantile(q, bounds);
        Set<EffectScale> scales = new LinkedHashSet<>();
        spec.bands().forEach(band -> scales.add(band.scale()));
        Map<EffectScale, Effect> effects = new EnumMap<>(EffectScale.class);
        for (EffectScale scale : scales) {
            Interval i = scale == EffectScale.ABSOLUTE
                ? new Interval(cc[0] - cb[1], cc[1] - cb[0])
                : new Interval(ratio(cc[0], cb[1]) - 1, ratio(cc[1], cb[0]) - 1);
            double estimate = scale == EffectScale.ABSOLUTE ? ec - eb : ratio(ec, eb) - 1;
            effects.put(scale, new Effect(scale, clamp(estimate, i), i, level.confidence()));
        }
        BandDecision decision = BandDecision.of(spec, effects);
        String subject = "canary p" + Reasons.number(100 * q);
        String reason = decision.reason().startsWith("canary") ? subject + decision.reason().substring("canary".length())
            : decision.reason();
        if (decision.outcome() == Outcome.INCONCLUSIVE && !resolvable(spec, b, c, q, bounds)) {
            reason = reason.substring(0, reason.length() - 1) + "; the buckets cannot resolve the band: the baseline's p"
                + Reasons.number(100 * q) + " lies in " + bucket(b, q, bounds) + ", the canary's in " + bucket(c, q, bounds)
                + ", and more requests cannot narrow that. Add bucket bounds near the band.";
        }
        List<Effect> ordered = new ArrayList<>();
        scales.forEach(s -> ordered.add(effects.get(s)));
        return new MetricOutcome(spec.name(), decision.outcome(), reason, level.sequential() ? SEQUENTIAL_TEST : FIXED_TEST,
            Double.NaN, ordered, spec.hold().map(h -> h.allowed(spec.direction())).orElse(null),
            spec.rollback().map(r -> r.allowed(spec.direction())).orElse(null),
            new HistogramSummary(b.requests(), eb), new HistogramSummary(c.requests(), ec));
    }

    /**
     * @return {lower, upper} of one side's q-quantile at level 1 − alpha, from bucket edges
     */
    static double[] interval(Histogram h, double q, double[] bounds, double alpha, boolean sequential) {
        long n = h.requests();
        long[] ranks = sequential ? sequentialRanks(n, q, alpha) : fixedRanks(n, q, alpha);
        long[] totals = h.totals();
        double lower = ranks[0] < 1 ? 0 : lowerEdge(bucketOf(totals, ranks[0]), bounds);
        double upper = ranks[1] > n ? Double.POSITIVE_INFINITY : upperEdge(bucketOf(totals, ranks[1]), bounds);
        return new double[] {lower, upper};
    }

    /** r = F⁻¹(α/2), s = F⁻¹(1 − α/2) + 1 of Binomial(n, q): P(r ≤ B &lt; s) ≥ 1 − α. */
    static long[] fixedRanks(long n, double q, double alpha) {
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("more than 2^31 requests in one window");
        }
        BinomialDistribution b = BinomialDistribution.of((int) n, q);
        long r = b.inverseCumulativeProbability(alpha / 2);
        long s = b.inverseCumulativeProbability(1 - alpha / 2) + 1L;
        return new long[] {r, s};
    }

    /**
     * The counts k of values at or below ξ<sub>q</sub> that the beta-binomial mixture (prior
     * concentration 100 around q) has not rejected at level alpha: r is the least, s − 1 the greatest.
     */
    static long[] sequentialRanks(long n, double q, double alpha) {
        long mode = Math.round(n * q);
        long r = edge(n, q, alpha, mode, 0);
        long s = edge(n, q, alpha, mode, n) + 1;
        return new long[] {r, s};
    }

    /** The k between {@code inside} and {@code toward} farthest from {@code inside} that is not rejected. */
    private static long edge(long n, double q, double alpha, long inside, long toward) {
        if (!accepted(n, q, alpha, inside)) {
            return inside;
        }
        if (accepted(n, q, alpha, toward)) {
            return toward;
        }
        long in = inside;
        long out = toward;
        while (Math.abs(out - in) > 1) {
            long mid = in + (out - in) / 2;
            if (accepted(n, q, alpha, mid)) {
                in = mid;
            } else {
                out = mid;
            }
        }
        return in;
    }

    private static boolean accepted(long n, double q, double alpha, long k) {
        // The canary side of the error-share sequence is the count at or below the quantile: share q.
        return new ErrorShareSequence(n - k, k, q).pValue() > alpha;
    }

    /** @return the bucket of the k-th smallest value (1-based) */
    private static int bucketOf(long[] totals, long k) {
        long seen = 0;
        for (int j = 0; j < totals.length; j++) {
            seen += totals[j];
            if (seen >= k) {
                return j;
            }
        }
        return totals.length - 1;
    }

    private static double lowerEdge(int bucket, double[] bounds) {
        return bucket == 0 ? 0 : bounds[bucket - 1];
    }

    private static double upperEdge(int bucket, double[] bounds) {
        return bucket >= bounds.length ? Double.POSITIVE_INFINITY : bounds[bucket];
    }

    /** Whether the bucket edges around each side's quantile would let some amount of data decide. */
    private static boolean resolvable(MetricSpec spec, Histogram b, Histogram c, double q, double[] bounds) {
        int jb = bucketOf(b.totals(), Math.max(1, (long) Math.ceil(q * b.requests())));
        int jc = bucketOf(c.totals(), Math.max(1, (long) Math.ceil(q * c.requests())));
        double lb = lowerEdge(jb, bounds);
        double ub = upperEdge(jb, bounds);
        double lc = lowerEdge(jc, bounds);
        double uc = upperEdge(jc, bounds);
        Map<EffectScale, Effect> best = new EnumMap<>(EffectScale.class);
        spec.bands().forEach(band -> {
            Interval i = band.scale() == EffectScale.ABSOLUTE ? new Interval(lc - ub, uc - lb)
                : new Interval(ratio(lc, ub) - 1, ratio(uc, lb) - 1);
            best.put(band.scale(), new Effect(band.scale(), i.lower(), i, 1));
        });
        return BandDecision.of(spec, best).outcome() != Outcome.INCONCLUSIVE;
    }

    private static String bucket(Histogram h, double q, double[] bounds) {
        int j = bucketOf(h.totals(), Math.max(1, (long) Math.ceil(q * h.requests())));
        double up = upperEdge(j, bounds);
        return String.format(Locale.ROOT, "(%s, %s]", Reasons.number(lowerEdge(j, bounds)),
            Double.isInfinite(up) ? "∞" : Reasons.number(up));
    }

    private static double ratio(double a, double b) {
        if (b == 0) {
            return a == 0 ? 1 : Double.POSITIVE_INFINITY;
        }
        return a / b;
    }

    private static double clamp(double v, Interval i) {
        return Math.max(i.lower(), Math.min(i.upper(), v));
    }
}
