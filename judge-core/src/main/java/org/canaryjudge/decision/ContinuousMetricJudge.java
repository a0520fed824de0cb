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
import org.canaryjudge.stats.SpendingBoundary;

/**
 * Judges one continuous metric: guards, then the Hodges–Lehmann interval of the shift on each
 * band's scale, then the decision rule.
 *
 * <p>Relative and ratio bands compare canary / baseline − 1. For positive data the shift of
 * log(canary) against log(baseline) is a log ratio; its estimate and interval map back through
 * exp(·) − 1, so the interval stays distribution-free and never crosses −100 %.
 *
 * <p>In sequential mode, when the metric plans a horizon of h points a side, the interval is a
 * repeated confidence interval over it: its critical value is that of a {@link SpendingBoundary}
 * (O'Brien–Fleming-like, tilted towards the horizon by {@link #SLOPE}; continuous-monitoring
 * α-spending, so any schedule of looks is covered) at the information fraction
 * t = (mn / (m + n)) / (h / 2). Serial correlation (an inflation F of the variance) shrinks the
 * information of now and of the horizon alike, so it cancels from t and only widens the standard
 * error. The boundary spends nine tenths of the metric's α by the horizon. Past it (t &gt; 1) the interval switches to the always-valid
 * {@link NormalMixtureBoundary} on the remaining tenth, tuned for 2h, and the reason says so: α is
 * never spent twice, and a rollout that runs past its plan still rolls back on clear harm, but
 * promotes more slowly. Without a planned horizon there are no looks to spend α over, and the
 * interval is the always-valid confidence sequence of a {@link NormalMixtureBoundary} at the
 * information V, tuned for a default horizon of {@value #DEFAULT_HORIZON} points a side: wider at a
 * planned horizon, narrower far from one. The p-value is the normal-mixture anytime-valid one at
 * the metric's α in both cases.
 */
final class ContinuousMetricJudge {

    static final String TEST = "mann-whitney";

    /** Planned observations per side at the last look when a metric does not say. */
    static final int DEFAULT_HORIZON = 100;

    /**
     * The slope b of the spending boundary for the score process: 0 is the O'Brien–Fleming type; −1
     * spends a little less at the first looks and more at the horizon (c(1) = 2.19 at α = 0.045
     * against 2.28), for promotes by the horizon nearer a single fixed look's.
     */
    static final double SLOPE = -1;

    /** The share of α kept for looks past the horizon. */
    static final double PAST_HORIZON_SHARE = 0.1;

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
        double inflation = inflation(spec, level.correlationBaseline() != null ? level.correlationBaseline() : y);
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
        if (shift.pastHorizon() > 0) {
            reason += " The planned horizon of " + Reasons.number(shift.pastHorizon()) + " points a side is past:"
                + " the interval now spends the tenth of α kept for that and is wider.";
        }
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
     * hold. The interval only decides on its rollback side and is reported one-sided (the harm is at
     * least this), so one sparse look wrongly rolls back with probability at most α/4 (one side of a
     * two-sided α/2 interval). The exact interval assumes independent points, so the rule applies
     * only to metrics that declare them ({@code correlation: ignore}): five points cannot show their
     * own serial correlation (at φ = 0.8 five consecutive points are nearly one value, all five canary
     * points then lie above all five baseline points far more often than 1/252, and simulation shows
     * the rule would roll back a canary inside its rollback band in 1.4 % of rollouts even at the
     * most extreme level), and no estimate from so few points tells φ = 0.8 from independence.
     *
     * @return the rollback outcome, or null when the sparse data do not show a breach of the rollback band
     */
    private static MetricOutcome sparseRollback(MetricSpec spec, MetricData.Continuous data, Level level, String guard) {
        if (spec.rollback().isEmpty() || spec.correlation() != Correlation.IGNORE
            || data.canary().observedCount() < SPARSE_MIN || data.baseline().observedCount() < SPARSE_MIN) {
            return null;
        }
        Set<EffectScale> scales = scales(spec);
        if (notPositive(scales, data) != null) {
            return null;
        }
        double[] x = data.canary().observed();
        double[] y = data.baseline().observed();
        Level sparse = new Level(Mode.FIXED, 1 - level.alpha() / 2);
        Shift shift = fixed(sparse, 1);
        Map<EffectScale, Effect> effects = new EnumMap<>(EffectScale.class);
        for (EffectScale scale : scales) {
            effects.put(scale, shift.effect(scale, x, y));
        }
        Band rollback = spec.rollback().get();
        Interval allowed = rollback.allowed(spec.direction());
        Interval interval = effects.get(rollback.scale()).interval();
        if (!allowed.isDisjointFrom(interval)) {
            return null;
        }
        // The sparse test speaks only to the harmful side: it shows the harm is at least this large.
        boolean above = interval.lower() >= allowed.upper();
        for (EffectScale scale : scales) {
            Effect e = effects.get(scale);
            Interval oneSided = above ? new Interval(e.interval().lower(), Double.POSITIVE_INFINITY)
                : new Interval(Double.NEGATIVE_INFINITY, e.interval().upper());
            effects.put(scale, new Effect(scale, e.estimate(), oneSided, e.confidence()));
        }
        String reason = Reasons.effect(effects.get(rollback.scale()), spec.type()) + ", beyond "
            + Reasons.band("rollback", rollback, spec.direction(), spec.type()) + ". Sparse data: "
            + guard.substring(0, guard.length() - 1) + " to pass, but an interval at half of α beyond the rollback band is enough to roll back.";
        List<Effect> ordered = new ArrayList<>();
        scales.forEach(sc -> ordered.add(effects.get(sc)));
        return Outcomes.of(spec, data, Outcome.ROLLBACK, reason, TEST, MannWhitneyPValue.twoSided(x, y, 1), ordered);
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
    private record Shift(Level level, double inflation, NormalMixtureBoundary boundary, double critical,
                         double pastHorizon) {

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
        return new Shift(level, inflation, null, Double.NaN, 0);
    }

    private static Shift sequential(MetricSpec spec, double[] x, double[] y, Level level, double inflation) {
        double horizon = spec.horizon().orElse(DEFAULT_HORIZON);
        // The p-value stays the normal-mixture one: anytime-valid, reported, never decisive.
        NormalMixtureBoundary mixture = NormalMixtureBoundary.tunedFor(horizon / 2, level.alpha());
        double points = information(x, y, 1);
        boolean past = spec.horizon().isPresent() && !level.alwaysValid() && points / (horizon / 2) > 1;
        return new Shift(level, inflation, mixture, sequentialCriticalValue(spec, level, points, inflation), past ? horizon : 0);
    }

    /**
     * The sequential critical value at mn / (m + n) = {@code points}: without a planned horizon (or for
     * a stage's window) that of the always-valid mixture at the information points / F; with one, that
     * of the spending boundary at the information fraction, and past the horizon that of the mixture on
     * the tenth of α kept for it. The stage planner uses the same value.
     */
    static double sequentialCriticalValue(MetricSpec spec, Level level, double points, double inflation) {
        double horizon = spec.horizon().orElse(DEFAULT_HORIZON);
        if (spec.horizon().isEmpty() || level.alwaysValid()) {
            // No plan, so no looks to spend α over: the always-valid mixture, tuned for the (default) horizon.
            return NormalMixtureBoundary.tunedFor(horizon / 2, level.alpha()).criticalValue(points / inflation);
        }
        // The fraction of the planned points: equal sides of h points carry the information of h / 2
        // paired differences, and serial correlation shrinks the information now and at the horizon alike.
        double fraction = points / (horizon / 2);
        if (fraction <= 1) {
            return spending(level.alpha() * (1 - PAST_HORIZON_SHARE)).criticalValue(fraction);
        }
        return NormalMixtureBoundary.tunedFor(horizon, level.alpha() * PAST_HORIZON_SHARE).criticalValue(points);
    }

    /** The last boundary used: α rarely changes between requests, and finding a costs a bisection. */
    private static volatile SpendingBoundary lastSpending = SpendingBoundary.of(0.05 * (1 - PAST_HORIZON_SHARE), SLOPE);

    private static SpendingBoundary spending(double alpha) {
        SpendingBoundary b = lastSpending;
        if (b.alpha() != alpha) {
            b = SpendingBoundary.of(alpha, SLOPE);
            lastSpending = b;
        }
        return b;
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
