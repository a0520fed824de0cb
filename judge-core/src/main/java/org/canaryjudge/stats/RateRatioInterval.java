package org.canaryjudge.stats;

import org.apache.commons.statistics.distribution.BetaDistribution;

/**
 * The exact conditional interval for a ratio of two rates R = p₁ / p₂ (Przyborowski &amp; Wilenski
 * 1940, "Homogeneity of results in testing samples from Poisson series", Biometrika 31; Gu, Ng, Tang
 * &amp; Schucany 2008, "Testing the ratio of two Poisson rates", Biometrical J. 50).
 *
 * <p>Given the total E = e₁ + e₂, e₁ is Binomial(E, π) with π = R·n₁ / (R·n₁ + n₂). A Clopper–Pearson
 * interval [π<sub>L</sub>, π<sub>U</sub>] for π (Clopper &amp; Pearson 1934) maps to
 * R = π / (1 − π) · n₂ / n₁. No baseline errors give an upper end of +∞, and no errors at all the
 * whole half-line: the data cannot bound the ratio. Check: 35/10000 against 20/10000 at 95 % gives
 * [0.9827, 3.1992].
 */
public final class RateRatioInterval {

    private RateRatioInterval() {
    }

    /**
     * @param e1 errors of the first group (canary)
     * @param n1 requests of the first group, &gt; 0
     * @param e2 errors of the second group (baseline)
     * @param n2 requests of the second group, &gt; 0
     * @param confidence two-sided level in (0, 1)
     * @return {lower, upper} for p₁ / p₂, with 0 and +∞ where the data give no bound
     */
    public static double[] exactConditional(long e1, long n1, long e2, long n2, double confidence) {
        double alpha = 1 - confidence;
        long total = e1 + e2;
        double piLow = e1 == 0 ? 0 : BetaDistribution.of(e1, total - e1 + 1.0).inverseCumulativeProbability(alpha / 2);
        double piHigh = e1 == total ? 1 : BetaDistribution.of(e1 + 1.0, total - e1).inverseSurvivalProbability(alpha / 2);
        double scale = (double) n2 / n1;
        return new double[] {ratio(piLow) * scale, ratio(piHigh) * scale};
    }

    private static double ratio(double pi) {
        return pi >= 1 ? Double.POSITIVE_INFINITY : pi / (1 - pi);
    }
}
