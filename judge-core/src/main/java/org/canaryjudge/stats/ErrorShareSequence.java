package org.canaryjudge.stats;

import org.apache.commons.numbers.gamma.LogBeta;

/**
 * An anytime-valid confidence sequence and p-value for the ratio of two error rates, from the
 * share of errors that came from the canary (Lindon &amp; Malek 2022, "Anytime-valid inference for
 * multinomial count data", NeurIPS; Netflix Technology Blog, "Sequential A/B testing keeps the world
 * streaming Netflix", part 2).
 *
 * <p>Given that an error occurred, it came from the canary with probability θ. With traffic split
 * ρ = (ρ<sub>b</sub>, ρ<sub>c</sub>), equal rates mean θ = ρ<sub>c</sub> whatever the traffic does over
 * time. A Dirichlet mixture with prior α₀ = k·ρ gives the Bayes factor
 * log BF = log B(α₀ + n) − log B(α₀) − Σ n<sub>i</sub> log ρ<sub>i</sub> and the anytime p-value
 * min(1, 1/BF); the confidence sequence is {θ : Σ n<sub>i</sub> log θ<sub>i</sub> ≥ log α + log B(α₀ + n) − log B(α₀)},
 * mapped to the log rate ratio log(θ<sub>c</sub>/θ<sub>b</sub>) − log(ρ<sub>c</sub>/ρ<sub>b</sub>).
 * Checks (α = 0.05, k = 100, ρ = ½, ½; errors baseline, canary → log ratio):
 * 100, 150 → (−0.00119, 0.82342); 0, 8 → (−0.59619, +∞); 20, 35 → (−0.26636, 1.45182).
 */
public final class ErrorShareSequence {

    /** Prior concentration k of the Dirichlet mixture (Lindon &amp; Malek's default). */
    public static final double CONCENTRATION = 100;

    private final long baselineErrors;
    private final long canaryErrors;
    private final double canaryShare;
    private final double logNormaliser;

    /**
     * @param baselineErrors errors in the baseline
     * @param canaryErrors errors in the canary
     * @param canaryShare the canary's share of requests, N<sub>c</sub> / (N<sub>b</sub> + N<sub>c</sub>), in (0, 1)
     */
    public ErrorShareSequence(long baselineErrors, long canaryErrors, double canaryShare) {
        if (!(canaryShare > 0 && canaryShare < 1) || baselineErrors < 0 || canaryErrors < 0) {
            throw new IllegalArgumentException("need counts ≥ 0 and a share in (0, 1), got "
                + baselineErrors + ", " + canaryErrors + ", " + canaryShare);
        }
        this.baselineErrors = baselineErrors;
        this.canaryErrors = canaryErrors;
        this.canaryShare = canaryShare;
        double ab = CONCENTRATION * (1 - canaryShare);
        double ac = CONCENTRATION * canaryShare;
        this.logNormaliser = LogBeta.value(ab + baselineErrors, ac + canaryErrors) - LogBeta.value(ab, ac);
    }

    /** @return the anytime-valid p-value of "the rates are equal" */
    public double pValue() {
        double logBf = logNormaliser - baselineErrors * Math.log(1 - canaryShare) - canaryErrors * Math.log(canaryShare);
        return Math.min(1, Math.exp(-logBf));
    }

    /**
     * @param alpha error probability over all looks
     * @return {lower, upper} of the log rate ratio log(p<sub>c</sub>/p<sub>b</sub>), infinite where unbounded
     */
    public double[] logRatio(double alpha) {
        if (baselineErrors == 0 && canaryErrors == 0) {
            return new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
        }
        double threshold = Math.log(alpha) + logNormaliser;
        double inside = inside(threshold);
        double offset = Math.log(canaryShare / (1 - canaryShare));
        // Without canary errors the share can be arbitrarily small, without baseline errors arbitrarily large.
        double lower = canaryErrors == 0 ? Double.NEGATIVE_INFINITY : boundary(threshold, inside, -1) - offset;
        double upper = baselineErrors == 0 ? Double.POSITIVE_INFINITY : boundary(threshold, inside, +1) - offset;
        return new double[] {lower, upper};
    }

    /**
     * Σ nᵢ log θᵢ with θ<sub>c</sub> = logistic(l): concave in l, with its maximum at
     * l = log(e<sub>c</sub> / e<sub>b</sub>).
     */
    private double logLikelihood(double l) {
        double softplus = l > 0 ? l + Math.log1p(Math.exp(-l)) : Math.log1p(Math.exp(l));
        return -baselineErrors * softplus + canaryErrors * (l - softplus);
    }

    /**
     * A logit inside the sequence. B(α₀ + n) / B(α₀) is a prior average of the likelihood, so it never
     * exceeds the likelihood's supremum and the threshold is always reached.
     */
    private double inside(double threshold) {
        if (baselineErrors > 0 && canaryErrors > 0) {
            return Math.log((double) canaryErrors / baselineErrors);
        }
        double direction = baselineErrors == 0 ? 1 : -1;
        double l = direction;
        while (logLikelihood(l) < threshold) {
            l *= 2;
        }
        return l;
    }

    /** Where the log-likelihood falls to the threshold, going from an inside point in {@code direction}. */
    private double boundary(double threshold, double inside, int direction) {
        double step = 1;
        double outside = inside + direction * step;
        while (logLikelihood(outside) >= threshold) {
            step *= 2;
            outside = inside + direction * step;
        }
        double in = inside;
        for (int i = 0; i < 200 && Math.abs(outside - in) > 1e-12 * Math.max(1, Math.abs(in)); i++) {
            double mid = (in + outside) / 2;
            if (logLikelihood(mid) >= threshold) {
                in = mid;
            } else {
                outside = mid;
            }
        }
        return (in + outside) / 2;
    }
}
