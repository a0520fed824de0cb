package org.canaryjudge.stats;

/**
 * The two-sided normal-mixture boundary of a confidence sequence (Howard, Ramdas, McAuliffe &amp;
 * Sekhon 2021, "Time-uniform, nonparametric, nonasymptotic confidence sequences", Ann. Statist. 49).
 *
 * <p>For a sum S with variance process V, |S| ≤ u(V) = √((V + ρ) log((V + ρ) / (ρ α²))) holds at all
 * times at once with probability at least 1 − α, so an interval built from it may be looked at after
 * every new observation. ρ sets where the boundary is tightest: for a planned horizon V*,
 * ρ = V* / (2 log(1/α) + log(1 + 2 log(1/α))). Dividing by √V gives the time-uniform critical
 * value that replaces z<sub>1−α/2</sub> for a standardised statistic. Check (α = 0.05, V* = 100):
 * ρ = 12.60056, u(100) = 30.35209.
 */
public final class NormalMixtureBoundary {

    private final double rho;
    private final double alpha;

    private NormalMixtureBoundary(double rho, double alpha) {
        this.rho = rho;
        this.alpha = alpha;
    }

    /**
     * @param horizon the variance (information) V* at which the boundary should be tightest, &gt; 0
     * @param alpha the error probability over all looks, in (0, 1)
     * @return the boundary with ρ tuned for that horizon
     */
    public static NormalMixtureBoundary tunedFor(double horizon, double alpha) {
        if (!(horizon > 0) || !(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("need horizon > 0 and alpha in (0, 1), got " + horizon + ", " + alpha);
        }
        double l = 2 * Math.log(1 / alpha);
        return new NormalMixtureBoundary(horizon / (l + Math.log1p(l)), alpha);
    }

    /** @return ρ, the mixture's tuning parameter */
    public double rho() {
        return rho;
    }

    /** @return u(V), the bound on |S| when its variance is V */
    public double radius(double v) {
        return Math.sqrt((v + rho) * Math.log((v + rho) / (rho * alpha * alpha)));
    }

    /** @return u(V) / √V, the time-uniform critical value for a standardised statistic */
    public double criticalValue(double v) {
        return radius(v) / Math.sqrt(v);
    }

    /**
     * The anytime-valid p-value of a standardised statistic z observed at variance V: the smallest
     * α whose boundary (with this ρ) z reaches, √((V + ρ)/ρ) · exp(−z²V / (2(V + ρ))), at most 1.
     */
    public double anytimePValue(double z, double v) {
        double log = 0.5 * Math.log((v + rho) / rho) - z * z * v / (2 * (v + rho));
        return Math.min(1, Math.exp(log));
    }
}
