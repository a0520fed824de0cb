package org.canaryjudge.decision;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.canaryjudge.model.Band;
import org.canaryjudge.model.Correlation;
import org.canaryjudge.model.Effect;
import org.canaryjudge.model.EffectScale;
import org.canaryjudge.model.Interval;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.MetricOutcome;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.Outcome;
import org.canaryjudge.model.SampleSummary;
import org.canaryjudge.model.Series;
import org.canaryjudge.stats.HodgesLehmannInterval;
import org.canaryjudge.stats.MannWhitneyPValue;
import org.canaryjudge.stats.SerialCorrelation;

/**
 * Judges one continuous metric in fixed mode: guards, then the Hodges–Lehmann interval of the
 * shift on each band's scale, then the decision rule.
 *
 * <p>Relative and ratio bands compare canary / baseline − 1. For positive data the shift of
 * log(canary) against log(baseline) is a log ratio; its estimate and interval map back through
 * exp(·) − 1, so the interval stays distribution-free and never crosses −100 %.
 */
final class ContinuousMetricJudge {

    static final String TEST = "mann-whitney";

    private ContinuousMetricJudge() {
    }

    static MetricOutcome judge(Metric metric, double confidence) {
        MetricSpec spec = metric.spec();
        SampleSummary baseline = SampleSummary.of(metric.baseline());
        SampleSummary canary = SampleSummary.of(metric.canary());
        String guard = guard(metric, baseline, canary);
        if (guard != null) {
            Outcome outcome = baseline.n() == 0 || canary.n() == 0 ? Outcome.NODATA : Outcome.INCONCLUSIVE;
            return outcome(spec, outcome, guard, Double.NaN, List.of(), baseline, canary);
        }
        Set<EffectScale> scales = new LinkedHashSet<>();
        spec.bands().forEach(b -> scales.add(b.scale()));
        if (scales.contains(EffectScale.RELATIVE)) {
            String notPositive = notPositive("canary", metric.canary());
            if (notPositive == null) {
                notPositive = notPositive("baseline", metric.baseline());
            }
            if (notPositive != null) {
                return outcome(spec, Outcome.ERROR, notPositive, Double.NaN, List.of(), baseline, canary);
            }
        }
        double[] x = metric.canary().observed();
        double[] y = metric.baseline().observed();
        double inflation = spec.correlation() == Correlation.ADJUST ? SerialCorrelation.twoSampleInflation(x, y) : 1;
        Map<EffectScale, Effect> effects = new EnumMap<>(EffectScale.class);
        for (EffectScale scale : scales) {
            effects.put(scale, effect(scale, x, y, confidence, inflation));
        }
        double p = MannWhitneyPValue.twoSided(x, y, inflation);
        BandDecision decision = BandDecision.of(spec, effects);
        String reason = decision.reason();
        if (inflation > 1.0 + 1e-9) {
            reason += String.format(Locale.ROOT, " Intervals are widened %.2f× for serial correlation between consecutive points.",
                Math.sqrt(inflation));
        }
        List<Effect> ordered = new ArrayList<>();
        scales.forEach(s -> ordered.add(effects.get(s)));
        return outcome(spec, decision.outcome(), reason, p, ordered, baseline, canary);
    }

    private static Effect effect(EffectScale scale, double[] x, double[] y, double confidence, double inflation) {
        if (scale == EffectScale.ABSOLUTE) {
            HodgesLehmannInterval hl = HodgesLehmannInterval.of(x, y, confidence, inflation);
            return new Effect(scale, hl.estimate(), new Interval(hl.lower(), hl.upper()), confidence);
        }
        HodgesLehmannInterval hl = HodgesLehmannInterval.of(log(x), log(y), confidence, inflation);
        return new Effect(scale, Math.expm1(hl.estimate()),
            new Interval(Math.expm1(hl.lower()), Math.expm1(hl.upper())), confidence);
    }

    private static String guard(Metric metric, SampleSummary baseline, SampleSummary canary) {
        if (canary.n() == 0 || baseline.n() == 0) {
            String side = canary.n() == 0 ? "canary" : "baseline";
            Series series = canary.n() == 0 ? metric.canary() : metric.baseline();
            return "no " + side + " data"
                + (series.size() == 0 ? " (the series is empty)." : " (all " + series.size() + " points are missing).");
        }
        int needed = metric.spec().minSamples();
        if (canary.n() < needed || baseline.n() < needed) {
            return "too few observations to judge: canary has " + canary.n() + ", baseline has " + baseline.n()
                + "; " + needed + " are needed on each side.";
        }
        return null;
    }

    private static String notPositive(String side, Series series) {
        if (series.isPositive()) {
            return null;
        }
        long count = Arrays.stream(series.observed()).filter(v -> !(v > 0)).count();
        double smallest = Arrays.stream(series.observed()).min().orElse(Double.NaN);
        return "relative and ratio bands need values above zero, but the " + side + " has " + count
            + (count == 1 ? " value" : " values") + " at or below zero (smallest " + Reasons.number(smallest)
            + "); use an absolute band for this metric.";
    }

    private static double[] log(double[] values) {
        double[] logs = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            logs[i] = Math.log(values[i]);
        }
        return logs;
    }

    private static MetricOutcome outcome(MetricSpec spec, Outcome outcome, String reason, double p,
                                         List<Effect> effects, SampleSummary baseline, SampleSummary canary) {
        Interval hold = spec.hold().map(b -> b.allowed(spec.direction())).orElse(null);
        Interval rollback = spec.rollback().map(b -> b.allowed(spec.direction())).orElse(null);
        return new MetricOutcome(spec.name(), outcome, reason, effects.isEmpty() ? null : TEST, p,
            effects, hold, rollback, baseline, canary);
    }
}
