package org.canaryjudge.stats;

import org.apache.commons.statistics.ranking.NaturalRanking;

/**
 * How much serial correlation shrinks the information in a time series.
 *
 * <p>For an AR(1) series with lag-1 autocorrelation φ the variance of a mean (and, for the
 * rank-based statistics used here, of the Mann–Whitney U — Dehling, Fried &amp; Wendler 2020,
 * "A robust method for shift detection in time series", Biometrika 107) grows by
 * (1 + φ) / (1 − φ): n points carry the information of n<sub>eff</sub> = n (1 − φ) / (1 + φ)
 * independent ones (Bayley &amp; Hammersley 1946; Zwiers &amp; von Storch 1995, J. Climate 8).
 * φ is estimated on the ranks of the series, so one outlier cannot fake or hide it. Negative φ
 * counts as 0: the correction only ever removes information, never adds it.
 */
public final class SerialCorrelation {

    /** Estimates at or above this are held here, so that the inflation stays finite. */
    static final double MAX_PHI = 0.99;

    /** Average ranks for ties. */
    private static final NaturalRanking RANKING = new NaturalRanking();

    private SerialCorrelation() {
    }

    /**
     * @param series values in time order (missing values already dropped)
     * @return the lag-1 autocorrelation of the series' ranks, clamped to [0, 0.99]; 0 when
     *     the series has fewer than 3 values or is constant
     */
    public static double lag1(double[] series) {
        int n = series.length;
        if (n < 3) {
            return 0;
        }
        double[] r = RANKING.apply(series);
        double mean = (n + 1) / 2.0;
        double num = 0;
        double den = 0;
        for (int t = 0; t < n; t++) {
            double d = r[t] - mean;
            den += d * d;
            if (t + 1 < n) {
                num += d * (r[t + 1] - mean);
            }
        }
        if (den == 0) {
            return 0;
        }
        return Math.min(MAX_PHI, Math.max(0, num / den));
    }

    /** @return (1 + φ) / (1 − φ), the factor by which φ inflates the variance of a mean */
    public static double inflation(double phi) {
        return (1 + phi) / (1 - phi);
    }

    /**
     * The factor by which serial correlation inflates the variance of the two-sample
     * Mann–Whitney statistic. Var(U / mn) is approximately (1/12)(f<sub>x</sub>/m + f<sub>y</sub>/n)
     * with per-sample inflations f, against (1/12)(1/m + 1/n) for independent points.
     *
     * @param x first sample in time order
     * @param y second sample in time order
     * @return (n f<sub>x</sub> + m f<sub>y</sub>) / (m + n), at least 1
     */
    public static double twoSampleInflation(double[] x, double[] y) {
        int m = x.length;
        int n = y.length;
        double fx = inflation(lag1(x));
        double fy = inflation(lag1(y));
        return (n * fx + m * fy) / (m + n);
    }
}
