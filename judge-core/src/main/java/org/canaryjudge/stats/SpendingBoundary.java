package org.canaryjudge.stats;

import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * A group-sequential boundary over a planned horizon that holds however often, and whenever, one
 * looks: the continuous-monitoring limit of an α-spending design (Lan &amp; DeMets 1983, "Discrete
 * sequential boundaries for clinical trials", Biometrika 70), used as repeated confidence intervals
 * θ̂ ± c(t)·SE (Jennison &amp; Turnbull 1989, "Interim analyses: the repeated confidence interval
 * approach", JRSS B 51; <i>Group Sequential Methods with Applications to Clinical Trials</i>, 2000,
 * ch. 9).
 *
 * <p>Time is the information fraction t = I / I<sub>max</sub> of the horizon. The standardised
 * statistic Z(t) = B(t) / √t of a score process B (asymptotically Brownian motion, for the
 * Mann–Whitney statistic as for a mean) is compared with c(t) = (a + b·t) / √t: a linear boundary
 * a + b·t for B. Its one-sided crossing probability by time t is the Bachelier–Lévy first-passage
 * law (Siegmund 1986, "Boundary crossing probabilities and statistical applications", Ann. Statist.
 * 14, eq. 2.3):
 * <pre>P(B(s) ≥ a + b·s for some s ≤ t) = 1 − Φ((a + b·t)/√t) + exp(−2ab)·Φ((b·t − a)/√t).</pre>
 * Twice this is the α spent by time t over both sides, and a is chosen so that α is spent at t = 1.
 * Because the boundary holds for Brownian motion watched continuously, it holds for every discrete
 * schedule of looks, regular or not, and no look needs to be known in advance or remembered: the
 * judge stays stateless. With b = 0 the spending function is 4(1 − Φ(a / √t)), of the O'Brien–Fleming
 * type 2 − 2Φ(z / √t) (O'Brien &amp; Fleming 1979): wide at the first looks, close to the fixed-sample
 * z<sub>1−α/2</sub> at the horizon. Check (α = 0.05, b = 0): a = z<sub>1−α/4</sub> = 2.241403,
 * c(1/4) = 4.482805. A negative b moves more of α towards the horizon (b = −1: a = 3.147, c(1) = 2.147).
 *
 * <p>Past the horizon (t &gt; 1) the design's α is spent: the boundary does not extend, and a caller
 * must switch to an always-valid boundary on an α share kept for that (see
 * {@link NormalMixtureBoundary}).
 */
public final class SpendingBoundary {

    private static final NormalDistribution NORMAL = NormalDistribution.of(0, 1);

    private final double a;
    private final double b;
    private final double alpha;

    private SpendingBoundary(double a, double b, double alpha) {
        this.a = a;
        this.b = b;
        this.alpha = alpha;
    }

    /**
     * @param alpha the two-sided error probability over all looks up to the horizon, in (0, 1)
     * @param slope b, the slope of the boundary for B; 0 for the O'Brien–Fleming type, negative to
     *     spend less early and more at the horizon; in [−4, 1]
     * @return the boundary that spends exactly α by the horizon
     */
    public static SpendingBoundary of(double alpha, double slope) {
        if (!(alpha > 0 && alpha < 1) || !(slope >= -4 && slope <= 1)) {
            throw new IllegalArgumentException("need alpha in (0, 1) and slope in [-4, 1], got " + alpha + ", " + slope);
        }
        double target = alpha / 2;
        // oneSided(a) decreases in a; bracket between a + b just above 0 and a far tail.
        double lo = Math.max(0, -slope) + 1e-9;
        double hi = 40;
        for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
            double mid = 0.5 * (lo + hi);
            if (oneSided(mid, slope, 1) > target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return new SpendingBoundary(0.5 * (lo + hi), slope, alpha);
    }

    /** @return a, the boundary for B at t = 0 */
    public double intercept() {
        return a;
    }

    /** @return b, the slope of the boundary for B */
    public double slope() {
        return b;
    }

    /** @return the two-sided α the boundary spends by the horizon */
    public double alpha() {
        return alpha;
    }

    /**
     * @param t the information fraction, in (0, 1]
     * @return c(t) = (a + b·t) / √t, the critical value for the standardised statistic at t
     */
    public double criticalValue(double t) {
        checkFraction(t);
        return (a + b * t) / Math.sqrt(t);
    }

    /**
     * @param t the information fraction, in (0, 1]
     * @return the two-sided α spent by t: twice the one-sided first-passage probability
     */
    public double spent(double t) {
        checkFraction(t);
        return 2 * oneSided(a, b, t);
    }

    private static double oneSided(double a, double b, double t) {
        double s = Math.sqrt(t);
        double tail = NORMAL.survivalProbability((a + b * t) / s);
        // e^{−2ab}·Φ((bt − a)/√t), in logs so that a large −2ab cannot overflow before the tiny Φ.
        double log = -2 * a * b + Math.log(NORMAL.cumulativeProbability((b * t - a) / s));
        return tail + Math.exp(log);
    }

    private static void checkFraction(double t) {
        if (!(t > 0 && t <= 1)) {
            throw new IllegalArgumentException("information fraction must be in (0, 1], got " + t);
        }
    }
}
