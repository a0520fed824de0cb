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
     * The factor by which serial correlation inflates the variance of the two-sample Mann–Whitney
     * statistic, estimated from the baseline alone. Var(U / mn) is approximately
     * (1/12)(f<sub>c</sub>/m + f<sub>b</sub>/n) with per-side inflations f; both sides run on the same
     * infrastructure under the same load, so f<sub>c</sub> = f<sub>b</sub> and the factor is f<sub>b</sub>.
     * The canary is left out on purpose: a canary that drifts away (a leak, a slow degradation) has a
     * strongly autocorrelated series, and reading its drift as noise would widen the interval that
     * should detect it.
     *
     * @param baseline the baseline's values in time order
     * @return (1 + φ<sub>b</sub>) / (1 − φ<sub>b</sub>), at least 1
     */
    public static double twoSampleInflation(double[] baseline) {
        return inflation(lag1(baseline));
    }
}
