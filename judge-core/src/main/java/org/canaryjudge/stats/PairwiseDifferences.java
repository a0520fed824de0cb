package org.canaryjudge.stats;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.numbers.arrays.Selection;

/**
 * The m·n pairwise differences D<sub>ij</sub> = x<sub>i</sub> − y<sub>j</sub> of two samples,
 * queried without forming them.
 *
 * <p>With both samples sorted, the differences form a matrix whose rows and columns are sorted
 * (x ascending down the rows, y descending along them). Counting the differences below or at most
 * a value is one merge pass over the two samples, O(m + n). Selection is the sorted-matrix
 * selection of Johnson &amp; Mizoguchi (1978, "Selecting the Kth element in X + Y and
 * X<sub>1</sub> + X<sub>2</sub> + … + X<sub>m</sub>", SIAM J. Comput. 7(2)) and Monahan (1984,
 * "Algorithm 616: Fast computation of the Hodges–Lehmann location estimator", ACM TOMS 10(3)):
 * keep, per row, the range of columns that may still hold the wanted differences (the band);
 * count the band against two pivots a ≤ b in one merge pass over its rows; keep only the part
 * below a, between a and b, or above b that holds the wanted ranks. Once few differences remain
 * they are collected and the ranks selected among them (Commons Numbers {@code Selection}).
 *
 * <p>The pivots bracket the wanted ranks, so that one pass keeps little more than the bracket:
 * <ul>
 * <li>from a sample, after Floyd &amp; Rivest (1975, "Expected time bounds for selection",
 * CACM 18(3)): a stratified random sample of the band, whose values a few standard deviations of
 * a sample rank below and above the ranks' places are the pivots;
 * <li>by interpolation (Perl, Itai &amp; Avni 1978, "Interpolation search — a log log N search",
 * CACM 21(7)) once a pass has kept only what lay between its pivots: the differences are then
 * spread nearly evenly between the band's bounds, and the straight line between them places the
 * ranks to within a few √N (N the band's size), plus an allowance for the curvature of their
 * distribution that grows with the share of all differences the band holds. It is used when the
 * last pass kept at most half the band, all of it between its pivots, and when its bracket is
 * narrower than a sample's.
 * </ul>
 * A pass that removes nothing (heavy ties can put the whole band between the pivots) is followed
 * by one with a single sampled pivot, which always removes its own value. Each pass is O(m + n)
 * at most; the median and the two ends of a Hodges–Lehmann interval take 4 to 6 passes at
 * 60 × 60 and 7 at 100,000 × 100,000 on the benchmarks' data.
 *
 * <p>{@link #selectAll} selects several ranks together: ranks whose brackets would overlap share
 * the passes; the others continue apart, each group in its own copy of the band.
 *
 * <p>The differences are the floating-point differences {@code x[i] - y[j]}. Correctly rounded
 * subtraction is monotone in each argument, so the computed matrix keeps the sorted order and the
 * selected value is exactly the k-th smallest computed difference — no tolerance is involved: the
 * pivots only decide which differences are kept, and the count against any pivot value is exact.
 * The samples are seeded from the ranks, so results and running time are deterministic.
 */
public final class PairwiseDifferences {

    /** A sample has at least this many values, and at most {@link #MAX_SAMPLE}. */
    private static final int MIN_SAMPLE = 16;
    private static final int MAX_SAMPLE = 1024;
    /** Sampled pivots lie this many standard deviations of a sample rank beyond the ranks' places. */
    private static final double SAMPLE_SDS = 1.5;
    /** Interpolated pivots lie this many standard deviations of a rank (√N / 2) beyond them. */
    private static final double LINE_SDS = 2.5;
    /**
     * The curvature allowance of interpolated pivots is N² / (CURVATURE · m·n) ranks; at
     * 100,000 × 100,000 the straight line over a band of 5 % of the differences is off by about a
     * fifth of that.
     */
    private static final double CURVATURE = 100;
    /** Bands of at most max(128, min((m + n) / 16, 16384)) differences are collected. */
    private static final long MIN_COLLECT = 128;
    private static final long MAX_COLLECT = 1 << 14;

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
        return selectAll(k)[0];
    }

    /**
     * The differences of several ranks, selected together so that ranks close to each other share
     * passes.
     *
     * @param ranks ranks from 1 to m·n, in any order
     * @return the differences of these ranks, in the same order
     */
    public double[] selectAll(long... ranks) {
        long[] sorted = ranks.clone();
        Arrays.sort(sorted);
        int count = 0;
        long seed = 0;
        for (long k : sorted) {
            if (k < 1 || k > size()) {
                throw new IllegalArgumentException("rank " + k + " is outside 1.." + size());
            }
            if (count == 0 || k != sorted[count - 1]) {
                sorted[count++] = k;
                seed = 31 * seed + k;
            }
        }
        long[] distinct = Arrays.copyOf(sorted, count);
        double[] found = new double[count];
        new Band(new SplittableRandom(seed)).select(distinct, 0, count, found);
        double[] values = new double[ranks.length];
        for (int r = 0; r < ranks.length; r++) {
            values[r] = found[Arrays.binarySearch(distinct, ranks[r])];
        }
        return values;
    }

    /**
     * @return the median of the differences (the mean of the two middle ones when m·n is even):
     *     the Hodges–Lehmann estimate of the shift of x against y
     */
    public double median() {
        long size = size();
        return middle(selectAll((size + 1) / 2, size / 2 + 1));
    }

    /**
     * The median and the end points of an interval around it, selected together.
     *
     * @param lowerRank the rank of the lower end, from 1 to m·n
     * @param upperRank the rank of the upper end, from 1 to m·n
     * @return {the median as {@link #median()}, the difference of lowerRank, that of upperRank}
     */
    double[] intervalAround(long lowerRank, long upperRank) {
        long size = size();
        double[] v = selectAll((size + 1) / 2, size / 2 + 1, lowerRank, upperRank);
        return new double[] {middle(v), v[2], v[3]};
    }

    /** @return the median from the differences of ranks (m·n + 1) / 2 and m·n / 2 + 1, first in v */
    private double middle(double[] v) {
        return size() % 2 == 1 ? v[0] : (v[0] + v[1]) / 2;
    }

    /**
     * The differences that may still be wanted: per row i the columns [lo[i], hi[i]), together
     * with what is known of them. The columns below lo[i] hold differences at most every difference
     * of the band, those from hi[i] on differences at least every one; lo and hi do not increase
     * down the rows.
     */
    private final class Band {
        private final int[] lo;
        private final int[] hi;
        /** The number of differences below the band: the sum of lo. */
        private long below;
        /** The number of differences in the band. */
        private long active;
        /** Rows outside [rowFrom, rowTo) have an empty band. */
        private int rowFrom;
        private int rowTo;
        /** Every difference of the band lies in [lowest, highest]. */
        private double lowest;
        private double highest;
        /** The last pass kept only what lay between its pivots, and at most half the band. */
        private boolean bracketed;
        /**
         * Per row, from the last walk: the columns below the lower pivot and at most the upper one,
         * and their totals. Shared by a band and its copies, which walk one after the other.
         */
        private final int[] lessThanA;
        private final int[] atMostB;
        private long lessThanATotal;
        private long atMostBTotal;
        private final SplittableRandom random;

        Band(SplittableRandom random) {
            this.lo = new int[m];
            this.hi = new int[m];
            Arrays.fill(hi, n);
            this.below = 0;
            this.active = size();
            this.rowFrom = 0;
            this.rowTo = m;
            this.lowest = min();
            this.highest = max();
            this.lessThanA = new int[m];
            this.atMostB = new int[m];
            this.random = random;
        }

        private Band(Band band) {
            this.lo = band.lo.clone();
            this.hi = band.hi.clone();
            this.below = band.below;
            this.active = band.active;
            this.rowFrom = band.rowFrom;
            this.rowTo = band.rowTo;
            this.lowest = band.lowest;
            this.highest = band.highest;
            this.bracketed = band.bracketed;
            this.lessThanA = band.lessThanA;
            this.atMostB = band.atMostB;
            this.lessThanATotal = band.lessThanATotal;
            this.atMostBTotal = band.atMostBTotal;
            this.random = band.random;
        }

        /**
         * Finds the differences of ranks[from..to) (ascending, distinct, all in the band) and
         * stores them in found[from..to).
         */
        void select(long[] ranks, int from, int to, double[] found) {
            long collectAt = Math.max(MIN_COLLECT, Math.min(((long) m + n) / 16, MAX_COLLECT));
            boolean onePivot = false;
            while (from < to && active > collectAt) {
                int s = Math.max(MIN_SAMPLE, (int) Math.min(Math.pow(active, 2.0 / 3) / 2, MAX_SAMPLE));
                if (onePivot) {
                    double[] sample = sample(s);
                    int place = (int) ((double) ((ranks[from] + ranks[to - 1]) / 2 - below - 1) * s / active);
                    Selection.select(sample, place);
                    from = splitAt(sample[place], ranks, from, to, found);
                    onePivot = false;
                    continue;
                }
                double sampleMargin = (SAMPLE_SDS * Math.sqrt(s) / 2 + 1) * active / s;
                double lineMargin = LINE_SDS * Math.sqrt(active) / 2 + 1 + (double) active * active / (CURVATURE * size());
                boolean interpolate = bracketed && lineMargin < sampleMargin && Double.isFinite(highest - lowest);
                double margin = interpolate ? lineMargin : sampleMargin;
                // Ranks whose brackets would overlap form a group, bracketed by one pass.
                int[] ends = new int[to - from];
                int groups = 0;
                for (int r = from + 1; r <= to; r++) {
                    if (r == to || ranks[r] - ranks[r - 1] > 2 * margin) {
                        ends[groups++] = r;
                    }
                }
                double[] pivots = pivots(interpolate ? null : sample(s), margin, ranks, from, Arrays.copyOf(ends, groups));
                for (int g = 0; g < groups - 1; g++) {
                    Band part = new Band(this);
                    part.bracket(pivots[2 * g], pivots[2 * g + 1], ranks[from], ranks[ends[g] - 1]);
                    part.select(ranks, from, ends[g], found);
                    from = ends[g];
                }
                long before = active;
                bracket(pivots[2 * groups - 2], pivots[2 * groups - 1], ranks[from], ranks[to - 1]);
                onePivot = active == before;
            }
            if (from < to) {
                double[] rest = collect();
                int[] places = new int[to - from];
                for (int r = from; r < to; r++) {
                    places[r - from] = (int) (ranks[r] - below - 1);
                }
                Selection.select(rest, places);
                for (int r = from; r < to; r++) {
                    found[r] = rest[places[r - from]] + 0.0;
                }
            }
        }

        /**
         * One pass with a single pivot, a difference of the band: the ranks at most the count below
         * it go on in a copy of the band cut below it, those that are the pivot are found, and those
         * above stay in this band, cut above it.
         *
         * @return the first of ranks[from..to) above the pivot
         */
        private int splitAt(double pivot, long[] ranks, int from, int to, double[] found) {
            walk(pivot, pivot);
            int lower = from;
            while (lower < to && ranks[lower] <= lessThanATotal) {
                lower++;
            }
            int upper = lower;
            while (upper < to && ranks[upper] <= atMostBTotal) {
                found[upper++] = pivot + 0.0;
            }
            Band lowerPart = lower > from ? new Band(this) : null;
            if (lowerPart != null) {
                lowerPart.cut(pivot, pivot, ranks[from], ranks[lower - 1]);
            }
            if (upper < to) {
                cut(pivot, pivot, ranks[upper], ranks[to - 1]);
            }
            if (lowerPart != null) {
                lowerPart.select(ranks, from, lower, found);
            }
            return upper;
        }

        /**
         * The two pivots of each group of ranks (ranks[from..ends[0]), ranks[ends[0]..ends[1]), …):
         * the values the margin below its first rank's place and above its last one's, read off the
         * sample, or off the straight line between the band's bounds when there is no sample.
         */
        private double[] pivots(double[] sample, double margin, long[] ranks, int from, int[] ends) {
            double[] places = new double[2 * ends.length];
            int start = from;
            for (int g = 0; g < ends.length; g++) {
                places[2 * g] = Math.max(0, ranks[start] - below - 1 - margin);
                places[2 * g + 1] = Math.min(active, ranks[ends[g] - 1] - below + margin);
                start = ends[g];
            }
            double[] pivots = new double[places.length];
            if (sample == null) {
                double step = (highest - lowest) / active;
                for (int p = 0; p < places.length; p++) {
                    pivots[p] = lowest + step * places[p];
                }
                return pivots;
            }
            int s = sample.length;
            int[] indices = new int[places.length];
            for (int p = 0; p < places.length; p++) {
                double index = places[p] * s / active;
                indices[p] = (int) Math.min(s - 1, p % 2 == 0 ? Math.floor(index) : Math.ceil(index));
            }
            Selection.select(sample, indices);
            for (int p = 0; p < places.length; p++) {
                pivots[p] = sample[indices[p]];
            }
            return pivots;
        }

        /** One pass with pivots a ≤ b that bracket the ranks first..last with high probability. */
        private void bracket(double a, double b, long first, long last) {
            walk(a, b);
            long before = active;
            cut(a, b, first, last);
            bracketed = lessThanATotal < first && last <= atMostBTotal && 2 * active <= before;
        }

        /**
         * After a walk with pivots a ≤ b: keeps what may hold the ranks first..last — what lies
         * below a, between a and b, or above b, or neighbouring ones of these together.
         */
        private void cut(double a, double b, long first, long last) {
            int[] newLo = null;
            int[] newHi = null;
            if (first > atMostBTotal) {
                newLo = atMostB;
                lowest = Math.max(lowest, b);
            } else if (first > lessThanATotal) {
                newLo = lessThanA;
                lowest = Math.max(lowest, a);
            }
            if (last <= lessThanATotal) {
                newHi = lessThanA;
                highest = Math.min(highest, a);
            } else if (last <= atMostBTotal) {
                newHi = atMostB;
                highest = Math.min(highest, b);
            }
            restrict(newLo, newHi);
        }

        /** @return a stratified random sample of the band: one difference from each of s equal runs */
        private double[] sample(int s) {
            double[] sample = new double[s];
            long run = active / s;
            long longerRuns = active % s;
            long start = 0;
            int i = rowFrom;
            long rowStart = 0;
            for (int j = 0; j < s; j++) {
                long length = j < longerRuns ? run + 1 : run;
                long position = start + (long) (random.nextDouble() * length);
                start += length;
                while (position >= rowStart + hi[i] - lo[i]) {
                    rowStart += hi[i] - lo[i];
                    i++;
                }
                sample[j] = x[i] - yDesc[lo[i] + (int) (position - rowStart)];
            }
            return sample;
        }

        /**
         * One merge pass over the band for pivots a ≤ b: per row, the columns below a and at most
         * b, clamped to the band, and their totals over the whole matrix. The clamped counts do not
         * increase down the rows, so two pointers walk the band's rows once. Any pivot values
         * work: the counts are exact for the band.
         */
        private void walk(double a, double b) {
            long lessTotal = below;
            long atMostTotal = below;
            int less = n;
            int atMost = n;
            for (int i = rowFrom; i < rowTo; i++) {
                int l = lo[i];
                double xi = x[i];
                atMost = Math.min(atMost, hi[i]);
                while (atMost > l && xi - yDesc[atMost - 1] > b) {
                    atMost--;
                }
                less = Math.min(less, atMost);
                while (less > l && xi - yDesc[less - 1] >= a) {
                    less--;
                }
                lessThanA[i] = less;
                atMostB[i] = atMost;
                lessTotal += less - l;
                atMostTotal += atMost - l;
            }
            lessThanATotal = lessTotal;
            atMostBTotal = atMostTotal;
        }

        /** Narrows the band to new column bounds for its rows (null: unchanged). */
        private void restrict(int[] newLo, int[] newHi) {
            long sumLo = below;
            long sumActive = 0;
            int first = rowTo;
            int last = rowFrom;
            for (int i = rowFrom; i < rowTo; i++) {
                sumLo -= lo[i];
                if (newLo != null) {
                    lo[i] = newLo[i];
                }
                if (newHi != null) {
                    hi[i] = newHi[i];
                }
                sumLo += lo[i];
                int width = hi[i] - lo[i];
                if (width > 0) {
                    sumActive += width;
                    first = Math.min(first, i);
                    last = i + 1;
                }
            }
            below = sumLo;
            active = sumActive;
            rowFrom = first;
            rowTo = Math.max(first, last);
        }

        /** @return the differences of the band, unsorted */
        private double[] collect() {
            double[] rest = new double[(int) active];
            int r = 0;
            for (int i = rowFrom; i < rowTo; i++) {
                for (int t = lo[i]; t < hi[i]; t++) {
                    rest[r++] = x[i] - yDesc[t];
                }
            }
            return rest;
        }
    }
}
