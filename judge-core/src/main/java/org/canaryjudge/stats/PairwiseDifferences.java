package org.canaryjudge.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The m·n pairwise differences D<sub>ij</sub> = x<sub>i</sub> − y<sub>j</sub> of two samples,
 * queried without forming them.
 *
 * <p>With both samples sorted, the differences form a matrix whose rows and columns are sorted
 * (x ascending down the rows, y descending along them). Counting the differences at most d is one
 * merge pass over the two samples, O(m + n). Selecting the k-th smallest difference uses the
 * sorted-matrix selection of Johnson &amp; Mizoguchi (1978) and Monahan (1984, "Algorithm 616: Fast
 * computation of the Hodges–Lehmann location estimator", ACM TOMS 10(3)): keep, per row, the
 * range of columns that may still hold the answer; pick a pivot among them; count the
 * differences below and at the pivot with one merge pass; discard the rows' parts that cannot
 * hold the answer. Each pass costs O(m + n) and removes a random share of the candidates, so the
 * expected cost is O((m + n) log(mn)). Once few candidates remain they are collected and sorted.
 *
 * <p>The differences are the floating-point differences {@code x[i] - y[j]}. Correctly rounded
 * subtraction is monotone in each argument, so the computed matrix keeps the sorted order and the
 * selected value is exactly the k-th smallest computed difference — no tolerance is involved.
 * The pivot sequence is seeded from k, so results and running time are deterministic.
 */
public final class PairwiseDifferences {

    private final double[] x;
    /** y in descending order, so that each row x[i] - yDesc[t] ascends in t. */
    private final double[] yDesc;
    private final int m;
    private final int n;

    /**
     * @param x the first sample (canary); at least one value, no NaN
     * @param y the second sample (baseline); at least one value, no NaN
     * @return the differences of the two samples
     */
    public static PairwiseDifferences of(double[] x, double[] y) {
        return new PairwiseDifferences(sorted(x), sorted(y));
    }

    /** From samples already sorted ascending (not copied: the caller must not change them). */
    static PairwiseDifferences ofSorted(double[] xSorted, double[] ySorted) {
        return new PairwiseDifferences(xSorted, ySorted);
    }

    private PairwiseDifferences(double[] xSorted, double[] ySorted) {
        if (xSorted.length == 0 || ySorted.length == 0) {
            throw new IllegalArgumentException("both samples need at least one value");
        }
        this.x = xSorted;
        this.yDesc = new double[ySorted.length];
        for (int t = 0; t < ySorted.length; t++) {
            yDesc[t] = ySorted[ySorted.length - 1 - t];
        }
        this.m = xSorted.length;
        this.n = ySorted.length;
    }

    private static double[] sorted(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s;
    }

    /** @return m·n, the number of differences */
    public long size() {
        return (long) m * n;
    }

    /** @return the smallest difference */
    public double min() {
        return x[0] - yDesc[0];
    }

    /** @return the largest difference */
    public double max() {
        return x[m - 1] - yDesc[n - 1];
    }

    /** @return the number of differences that are at most {@code d} */
    public long countAtMost(double d) {
        long count = 0;
        int c = n;
        for (int i = 0; i < m; i++) {
            while (c > 0 && x[i] - yDesc[c - 1] > d) {
                c--;
            }
            count += c;
        }
        return count;
    }

    /**
     * @param k rank, from 1 to m·n
     * @return the k-th smallest difference
     */
    public double select(long k) {
        if (k < 1 || k > size()) {
            throw new IllegalArgumentException("rank " + k + " is outside 1.." + size());
        }
        int[] lo = new int[m];
        int[] hi = new int[m];
        Arrays.fill(hi, n);
        long active = size();
        long below = 0;
        // Few enough candidates to sort: one more counting pass costs about as much as sorting this many.
        long collectAt = Math.max(32, Math.min((m + n) / 2, 2048));
        SplittableRandom random = new SplittableRandom(k);
        int[] lessThan = new int[m];
        int[] atMost = new int[m];
        long[] totals = new long[2];
        while (active > collectAt) {
            double pivot = candidate(lo, hi, random.nextLong(active));
            countRows(pivot, lessThan, atMost, totals);
            long lt = totals[0];
            long le = totals[1];
            if (k <= lt) {
                for (int i = 0; i < m; i++) {
                    hi[i] = Math.min(hi[i], lessThan[i]);
                }
            } else if (k <= le) {
                return pivot + 0.0;
            } else {
                for (int i = 0; i < m; i++) {
                    lo[i] = Math.max(lo[i], atMost[i]);
                }
            }
            active = 0;
            below = 0;
            for (int i = 0; i < m; i++) {
                below += lo[i];
                active += Math.max(0, hi[i] - lo[i]);
            }
        }
        double[] rest = new double[(int) active];
        int r = 0;
        for (int i = 0; i < m; i++) {
            for (int t = lo[i]; t < hi[i]; t++) {
                rest[r++] = x[i] - yDesc[t];
            }
        }
        Arrays.sort(rest);
        return rest[(int) (k - below - 1)] + 0.0;
    }

    /**
     * @return the median of the differences (the mean of the two middle ones when m·n is even):
     *     the Hodges–Lehmann estimate of the shift of x against y
     */
    public double median() {
        long size = size();
        double lower = select((size + 1) / 2);
        if (size % 2 == 1) {
            return lower;
        }
        return (lower + smallestAbove(lower, size / 2)) / 2;
    }

    /** The (k+1)-th smallest difference, given the k-th: itself again if repeated, else the next. */
    private double smallestAbove(double kth, long k) {
        if (countAtMost(kth) > k) {
            return kth;
        }
        double next = Double.POSITIVE_INFINITY;
        int c = n;
        for (int i = 0; i < m; i++) {
            while (c > 0 && x[i] - yDesc[c - 1] > kth) {
                c--;
            }
            if (c < n) {
                next = Math.min(next, x[i] - yDesc[c]);
            }
        }
        return next;
    }

    /** The r-th (0-based) candidate, counting row by row through the columns [lo, hi). */
    private double candidate(int[] lo, int[] hi, long r) {
        for (int i = 0; i < m; i++) {
            int width = Math.max(0, hi[i] - lo[i]);
            if (r < width) {
                return x[i] - yDesc[lo[i] + (int) r];
            }
            r -= width;
        }
        throw new IllegalStateException("candidate index beyond the active set");
    }

    /**
     * Per row, the number of differences below the pivot and at most the pivot, with their totals.
     * The counts do not increase down the rows, so two pointers walk the whole matrix once.
     */
    private void countRows(double pivot, int[] lessThan, int[] atMost, long[] totals) {
        long lt = 0;
        long le = 0;
        int below = n;
        int upTo = n;
        for (int i = 0; i < m; i++) {
            double xi = x[i];
            while (upTo > 0 && xi - yDesc[upTo - 1] > pivot) {
                upTo--;
            }
            if (below > upTo) {
                below = upTo;
            }
            while (below > 0 && xi - yDesc[below - 1] >= pivot) {
                below--;
            }
            lessThan[i] = below;
            atMost[i] = upTo;
            lt += below;
            le += upTo;
        }
        totals[0] = lt;
        totals[1] = le;
    }
}
