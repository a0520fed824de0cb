package org.canaryjudge.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One side's requests counted into buckets, per interval: {@code counts[i][j]} requests of
 * interval i fell in bucket j. Bucket j holds values up to the j-th bound (above the bound before
 * it); the last bucket holds the values above the last bound. Counts are per bucket, not
 * cumulative.
 */
public final class Histogram {

    private final long[][] counts;
    private final long[] totals;
    private final long requests;

    private Histogram(long[][] counts) {
        this.counts = counts;
        int buckets = counts.length == 0 ? 0 : counts[0].length;
        this.totals = new long[buckets];
        long n = 0;
        for (long[] interval : counts) {
            for (int j = 0; j < buckets; j++) {
                totals[j] += interval[j];
                n += interval[j];
            }
        }
        this.requests = n;
    }

    /**
     * @param counts per interval, the count of each bucket
     * @param buckets the number of buckets (bounds + 1)
     * @return the histogram
     * @throws InvalidInputException naming each interval of the wrong width and each negative count
     */
    public static Histogram of(long[][] counts, int buckets) {
        List<Violation> violations = new ArrayList<>();
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
            if (copy[i].length != buckets) {
                violations.add(new Violation(Integer.toString(i), "has " + copy[i].length + " counts; the bounds make "
                    + buckets + " buckets (the last above the last bound)"));
                continue;
            }
            for (int j = 0; j < buckets; j++) {
                if (copy[i][j] < 0) {
                    violations.add(new Violation(i + "/" + j, "must be a count of at least 0, got " + copy[i][j]));
                }
            }
        }
        InvalidInputException.throwIfAny(violations);
        return new Histogram(copy);
    }

    /** @return the number of intervals */
    public int intervals() {
        return counts.length;
    }

    /** @return the requests of every interval, per bucket */
    public long[] totals() {
        return totals.clone();
    }

    /** @return all requests counted */
    public long requests() {
        return requests;
    }

    /**
     * The q-quantile interpolated linearly within its bucket, as Prometheus's
     * {@code histogram_quantile} does (the first bucket starting at 0); the last bound when it falls in
     * the unbounded bucket; NaN without requests.
     *
     * @param q the quantile, in (0, 1)
     * @param bounds the buckets' upper bounds
     */
    public double quantile(double q, double[] bounds) {
        if (requests == 0) {
            return Double.NaN;
        }
        double rank = q * requests;
        long seen = 0;
        for (int j = 0; j < totals.length; j++) {
            if (seen + totals[j] >= rank && totals[j] > 0) {
                if (j >= bounds.length) {
                    return bounds[bounds.length - 1];
                }
                double low = j == 0 ? 0 : bounds[j - 1];
                return low + (bounds[j] - low) * (rank - seen) / totals[j];
            }
            seen += totals[j];
        }
        return bounds[bounds.length - 1];
    }

    /**
     * @return each interval's own q-quantile, as {@link #quantile} computes it: what charting
     *     {@code histogram_quantile} per interval shows (NaN for an interval without requests)
     */
    public double[] quantilePerInterval(double q, double[] bounds) {
        double[] each = new double[counts.length];
        for (int i = 0; i < each.length; i++) {
            each[i] = interval(i).quantile(q, bounds);
        }
        return each;
    }

    /** @return interval {@code i} alone */
    public Histogram interval(int i) {
        return new Histogram(new long[][] {counts[i]});
    }

    /** @return the intervals from {@code start} on */
    public Histogram since(int start) {
        int from = Math.min(start, counts.length);
        return new Histogram(Arrays.copyOfRange(counts, from, counts.length));
    }
}
