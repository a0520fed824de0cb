package org.canaryjudge.decision;

import java.util.Locale;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.MetricData;
import org.canaryjudge.model.TrafficCheck;
import org.canaryjudge.model.TrafficSplit;
import org.canaryjudge.stats.ErrorShareSequence;

/**
 * The sample-ratio-mismatch check (Fabijan et al., "Diagnosing Sample Ratio Mismatch in Online
 * Controlled Experiments", KDD 2019): a canary meant to get a share ρ of requests whose counts say
 * otherwise is mis-routed, crashing or shedding load, and its comparison is biased.
 *
 * <p>The test is the Dirichlet-multinomial mixture of Lindon &amp; Malek (2022) on the request
 * counts (n<sub>b</sub>, n<sub>c</sub>) against (1 − ρ, ρ) — the same sequence
 * {@link ErrorShareSequence} applies to error counts — so it stays valid over every look of a
 * rollout: BF = [B(α₀ + n)/B(α₀)] / Π ρ<sub>i</sub><sup>n<sub>i</sub></sup>, α₀ = 100·ρ, p = min(1, 1/BF).
 * With much traffic a trivial deviation would be significant, so a mismatch also needs the
 * observed share outside the tolerance [ρ / 1.25, 1.25·ρ]. The split is {@code OK} once the
 * confidence sequence of the share lies inside that tolerance.
 */
final class SampleRatio {

    /** The error probability of calling a correct split a mismatch, over all looks of a rollout. */
    static final double ALPHA = 0.01;
    /** How far the observed share may stray, as a factor either way, before it matters. */
    static final double TOLERANCE = 1.25;

    private SampleRatio() {
    }

    static TrafficCheck check(TrafficSplit split, Metric metric) {
        double rho = split.canaryShare();
        MetricData data = unwrap(metric.data());
        if (!(data instanceof MetricData.Rate rate)) {
            return new TrafficCheck(TrafficCheck.Outcome.INCONCLUSIVE, rho, Double.NaN, "the split cannot be checked: "
                + metric.name() + " has no request counts this time.");
        }
        long nb = rate.baseline().requests();
        long nc = rate.canary().requests();
        if (nb + nc == 0) {
            return new TrafficCheck(TrafficCheck.Outcome.INCONCLUSIVE, rho, Double.NaN, "the split cannot be checked: "
                + metric.name() + " counted no requests.");
        }
        double observed = (double) nc / (nb + nc);
        ErrorShareSequence sequence = new ErrorShareSequence(nb, nc, rho);
        String seen = String.format(Locale.ROOT, "the canary got %s of requests (%,d of %,d) where %s was expected",
            percent(observed), nc, nb + nc, percent(rho));
        boolean outside = observed < rho / TOLERANCE || observed > rho * TOLERANCE;
        if (outside && sequence.pValue() <= ALPHA) {
            return new TrafficCheck(TrafficCheck.Outcome.MISMATCH, rho, observed, seen + ": traffic is not split as"
                + " intended (a routing fault, or a canary that crashes or sheds load), so the comparison is biased and"
                + " the rollout is not promoted.");
        }
        double[] logRatio = sequence.logRatio(ALPHA);
        double lower = share(logRatio[0], rho);
        double upper = share(logRatio[1], rho);
        if (lower >= rho / TOLERANCE && upper <= rho * TOLERANCE) {
            return new TrafficCheck(TrafficCheck.Outcome.OK, rho, observed, seen + ", within the tolerance.");
        }
        return new TrafficCheck(TrafficCheck.Outcome.INCONCLUSIVE, rho, observed, seen + "; more requests are needed to"
            + " tell whether the split is as intended.");
    }

    /** The canary's share θ<sub>c</sub> from log(θ<sub>c</sub>/θ<sub>b</sub>) − log(ρ/(1 − ρ)). */
    private static double share(double logRatio, double rho) {
        if (logRatio == Double.NEGATIVE_INFINITY) {
            return 0;
        }
        if (logRatio == Double.POSITIVE_INFINITY) {
            return 1;
        }
        double odds = Math.exp(logRatio) * rho / (1 - rho);
        return odds / (1 + odds);
    }

    private static MetricData unwrap(MetricData data) {
        if (data instanceof MetricData.Unvouched u) {
            return u.data();
        }
        return data instanceof MetricData.Annotated a ? a.data() : data;
    }

    private static String percent(double share) {
        double p = 100 * share;
        return String.format(Locale.ROOT, p >= 10 ? "%.1f %%" : p >= 1 ? "%.2f %%" : "%.3f %%", p);
    }
}
