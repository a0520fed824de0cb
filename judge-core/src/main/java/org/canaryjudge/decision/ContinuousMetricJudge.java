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
import org.canaryjudge.model.MetricData;
import org.canaryjudge.model.MetricOutcome;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.Mode;
import org.canaryjudge.model.Outcome;
import org.canaryjudge.model.Series;
import org.canaryjudge.stats.HodgesLehmannInterval;
import org.canaryjudge.stats.MannWhitneyPValue;
import org.canaryjudge.stats.NormalMixtureBoundary;
import org.canaryjudge.stats.SerialCorrelation;

/**
 * Judges one continuous metric: guards, then the Hodges–Lehmann interval of the shift on each
 * band's scale, then the decision rule.
 *
 * <p>Relative and ratio bands compare canary / baseline − 1. For positive data the shift of
 * log(canary) against log(baseline) is a log ratio; its estimate and interval map back through
 * exp(·) − 1, so the interval stays distribution-free and never crosses −100 %.
 *
 * <p>In sequential mode the interval's critical value is the time-uniform one of a
 * {@link NormalMixtureBoundary} at the information V = (mn / (m + n)) / F of the two samples (F the
 * serial-correlation inflation), tuned for the metric's horizon; the p-value is the matching
 * anytime-valid one.
 */
final class ContinuousMetricJudge {

    static final String TEST = "mann-whitney";

    /** Planned observations per side at the last look when a metric does not say. */
    static final int DEFAULT_HORIZON = 100;

    /** Points per side from which sparse data may roll back (never pass): see {@link #sparseRollback}. */
    static final int SPARSE_MIN = 4;

    private ContinuousMetricJudge() {
    }

    static MetricOutcome judge(MetricSpec spec, MetricData.Continuous data, Level level) {
        String guard = guard(spec, data);
        if (guard != null) {
            boolean empty = data.baseline().observedCount() == 0 || data.canary().observedCount() == 0;
            if (!empty) {
                MetricOutcome sparse = sparseRollback(spec, data, level, guard);
                if (sparse != null) {
                    return sparse;
                }
            }
            return Outcomes.withoutEffect(spec, data, empty ? Outcome.NODATA : Outcome.INCONCLUSIVE, guard);
        }
        Set<EffectScale> scales = scales(spec);
        String notPositive = notPositive(scales, data);
        if (notPositive != null) {
            return Outcomes.withoutEffect(spec, data, Outcome.ERROR, notPositive);
        }
        double[] x = data.canary().observed();
        double[] y = data.baseline().observed();
        double inflation = inflation(spec, y);
        Shift shift = level.sequential() ? sequential(spec, x, y, level, inflation) : fixed(level, inflation);
        Map<EffectScale, Effect> effects = new EnumMap<>(EffectScale.class);
        for (EffectScale scale : scales) {
            effects.put(scale, shift.effect(scale, x, y));
        }
        double p = level.sequential()
            ? shift.boundary.anytimePValue(MannWhitneyPValue.absoluteScore(x, y, inflation), information(x, y, inflation))
            : MannWhitneyPValue.twoSided(x, y, inflation);
        BandDecision decision = BandDecision.of(spec, effects);
        String reason = decision.reason();
        if (inflation > 1.0 + 1e-9) {
            reason += String.format(Locale.ROOT,
                " Intervals are widened %.2f× for serial correlation between consecutive points.", Math.sqrt(inflation));
        }
        List<Effect> ordered = new ArrayList<>();
        scales.forEach(s -> ordered.add(effects.get(s)));
        return Outcomes.of(spec, data, decision.outcome(), reason, TEST, p, ordered);
    }

    /**
     * Rollback from sparse but overwhelming evidence: below {@code minSamples} but with at least
     * {@link #SPARSE_MIN} points on each side, the exact Hodges–Lehmann interval (Bauer 1972; the
     * exact Mann–Whitney null distribution, Mann &amp; Whitney 1947) at level 1 − α/2 is computed, and
     * when it lies wholly beyond the rollback band the metric rolls back. Five canary points all above
     * five baseline points have probability 1/252 without an effect, so five a side can be enough.
     * Anything short of that keeps the guard's {@code inconclusive}: sparse data never pass, never
     * hold. The interval only decides on its rollback side, so one sparse look wrongly rolls back
     * with probability at most α/4 (one side of a two-sided α/2 interval); with serial correlation
     * the asymptotic interval widened by the same inflation as the full test replaces the exact one.
     *
     * @return the rollback outcome, or null when the sparse data do not show a breach of the rollback band
     */
    private static MetricOutcome sparseRollback(MetricSpec spec, MetricData.Continuous data, Level level, String guard) {
        if (spec.rollback().isEmpty() || data.canary().observedCount() < SPARSE_MIN
            || data.baseline().observedCount() < SPARSE_MIN) {
            return null;
        }
        Set<EffectScale> scales = scales(spec);
        if (notPositive(scales, data) != null) {
            return null;
        }
        double[] x = data.canary().observed();
        double[] y = data.baseline().observed();
        double inflation = inflation(spec, y);
        Level sparse = new Level(Mode.FIXED, 1 - level.alpha() / 2);
        Shift shift = fixed(sparse, inflation);
        Map<EffectScale, Effect> effects = new EnumMap<>(EffectScale.class);
        for (EffectScale scale : scales) {
            effects.put(scale, shift.effect(scale, x, y));
        }
        Band rollback = spec.rollback().get();
        if (!rollback.allowed(spec.direction()).isDisjointFrom(effects.get(rollback.scale()).interval())) {
            return null;
        }
        String reason = Reasons.effect(effects.get(rollback.scale()), spec.type()) + ", beyond "
            + Reasons.band("rollback", rollback, spec.direction(), spec.type()) + ". Sparse data: "
            + guard.substring(0, guard.length() - 1) + " to pass, but an interval at half of α beyond the rollback band is enough to roll back.";
        List<Effect> ordered = new ArrayList<>();
        scales.forEach(sc -> ordered.add(effects.get(sc)));
        return Outcomes.of(spec, data, Outcome.ROLLBACK, reason, TEST, MannWhitneyPValue.twoSided(x, y, inflation), ordered);
    }

    private static Set<EffectScale> scales(MetricSpec spec) {
        Set<EffectScale> scales = new LinkedHashSet<>();
        spec.bands().forEach(b -> scales.add(b.scale()));
        return scales;
    }

    private static double inflation(MetricSpec spec, double[] baseline) {
        return spec.correlation() == Correlation.ADJUST ? SerialCorrelation.twoSampleInflation(baseline) : 1;
    }

    private static String notPositive(Set<EffectScale> scales, MetricData.Continuous data) {
        if (!scales.contains(EffectScale.RELATIVE)) {
            return null;
        }
        String notPositive = notPositive("canary", data.canary());
        return notPositive != null ? notPositive : notPositive("baseline", data.baseline());
    }

    /** How the interval of the shift is computed: fixed-sample, or with a time-uniform critical value. */
    private record Shift(Level level, double inflation, NormalMixtureBoundary boundary, double critical) {

        Effect effect(EffectScale scale, double[] x, double[] y) {
            boolean log = scale == EffectScale.RELATIVE;
            double[] cx = log ? log(x) : x;
            double[] cy = log ? log(y) : y;
            HodgesLehmannInterval hl = boundary == null
                ? HodgesLehmannInterval.of(cx, cy, level.confidence(), inflation)
                : HodgesLehmannInterval.withCriticalValue(cx, cy, critical, level.confidence(), inflation);
            if (!log) {
                return new Effect(scale, hl.estimate(), new Interval(hl.lower(), hl.upper()), level.confidence());
            }
            return new Effect(scale, Math.expm1(hl.estimate()),
                new Interval(Math.expm1(hl.lower()), Math.expm1(hl.upper())), level.confidence());
        }
    }

    private static Shift fixed(Level level, double inflation) {
        return new Shift(level, inflation, null, Double.NaN);
    }

    private static Shift sequential(MetricSpec spec, double[] x, double[] y, Level level, double inflation) {
        double horizon = spec.horizon().orElse(DEFAULT_HORIZON);
        // Equal sides of h points carry the information of h / 2 paired differences.
        NormalMixtureBoundary boundary = NormalMixtureBoundary.tunedFor(horizon / 2, level.alpha());
        return new Shift(level, inflation, boundary, boundary.criticalValue(information(x, y, inflation)));
    }

    /** mn / (m + n), shrunk by the serial-correlation inflation: the samples' information about the shift. */
    private static double information(double[] x, double[] y, double inflation) {
        double m = x.length;
        double n = y.length;
        return m * n / (m + n) / inflation;
    }

    private static String guard(MetricSpec spec, MetricData.Continuous data) {
        Series canary = data.canary();
        Series baseline = data.baseline();
        if (canary.observedCount() == 0 || baseline.observedCount() == 0) {
            String side = canary.observedCount() == 0 ? "canary" : "baseline";
            Series series = canary.observedCount() == 0 ? canary : baseline;
            return "no " + side + " data"
                + (series.size() == 0 ? " (the series is empty)." : " (all " + series.size() + " points are missing).");
        }
        int needed = spec.minSamples();
        if (canary.observedCount() < needed || baseline.observedCount() < needed) {
            return "too few observations to judge: canary has " + canary.observedCount() + ", baseline has "
                + baseline.observedCount() + "; " + needed + " are needed on each side.";
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
}
