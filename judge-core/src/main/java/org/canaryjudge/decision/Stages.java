package org.canaryjudge.decision;

import java.util.Arrays;
import org.canaryjudge.model.Counts;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.MetricData;
import org.canaryjudge.model.MetricOutcome;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.MetricType;
import org.canaryjudge.model.Outcome;
import org.canaryjudge.model.RateSummary;
import org.canaryjudge.model.SampleSummary;
import org.canaryjudge.model.Series;
import org.canaryjudge.model.SideSummary;
import org.canaryjudge.model.Stage;
import org.canaryjudge.model.StageResult;
import org.canaryjudge.model.StageStart;

/**
 * The current stage's window of a metric and how its outcome combines with the whole window's. A
 * rollout widens in stages, and harm that appears only at a larger stage is diluted by the healthy
 * points before it when only the whole window is judged.
 *
 * <p>The stage's data are judged as a test of their own, with the same guards, at half of the
 * metric's α (1 − (1 − confidence)/2); the whole window keeps the metric's full level. Combination:
 * {@code rollback} when either window is {@code rollback}; {@code pass} only when both pass; a
 * whole-window pass with a stage that does not pass takes the stage's outcome; a stage that shows a
 * breach of the hold band ({@code hold}) makes the metric {@code hold} unless the whole window is
 * already {@code hold} or {@code rollback}; otherwise the whole window's outcome stands. A stage can therefore only stop a promote, never cause one, so the false
 * promote rate is the whole window's; a false rollback through the stages of a rollout of K stages
 * has probability at most K·α/4 besides the whole window's α/2 (each stage window is a separate
 * sequential test on data the others do not see, and only its rollback side can add an error).
 *
 * <p>In sequential mode a stage's window uses the always-valid normal-mixture confidence sequence,
 * not the horizon's spending boundary: a stage begins whenever the rollout tool widens it, and the
 * mixture is tight within a few looks of its tuning, where a harm that comes with a stage must be
 * caught. For a continuous metric with a planned horizon the mixture is tuned for what is left of
 * it, h − start points a side (at least 2).
 */
final class Stages {

    private Stages() {
    }

    /** @return the metric restricted to its current stage's points */
    static Metric window(Metric metric, Stage stage) {
        StageStart start = start(metric, stage);
        MetricSpec spec = metric.spec();
        if (spec.type() == MetricType.CONTINUOUS && spec.horizon().isPresent()) {
            int planned = spec.horizon().getAsInt();
            spec = spec.withHorizon(Math.max(2, planned - Math.max(start.baseline(), start.canary())));
        }
        return new Metric(spec, since(metric.data(), start));
    }

    private static StageStart start(Metric metric, Stage stage) {
        return metric.stageStart() != null ? metric.stageStart() : new StageStart(stage.startIndex(), stage.startIndex());
    }

    private static MetricData since(MetricData data, StageStart start) {
        if (data instanceof MetricData.Continuous c) {
            return new MetricData.Continuous(since(c.baseline(), start.baseline()), since(c.canary(), start.canary()));
        }
        if (data instanceof MetricData.Rate r) {
            return new MetricData.Rate(since(r.baseline(), start.baseline()), since(r.canary(), start.canary()));
        }
        if (data instanceof MetricData.Histograms h) {
            return new MetricData.Histograms(h.baseline().since(start.baseline()), h.canary().since(start.canary()));
        }
        if (data instanceof MetricData.Unvouched u) {
            return new MetricData.Unvouched(since(u.data(), start), u.outcome(), u.reason());
        }
        if (data instanceof MetricData.Annotated a) {
            return new MetricData.Annotated(since(a.data(), start), a.note());
        }
        return data;
    }

    private static Series since(Series series, int start) {
        double[] v = series.values();
        return Series.of(Arrays.copyOfRange(v, Math.min(start, v.length), v.length));
    }

    private static Counts since(Counts counts, int start) {
        long[] e = counts.errorsPerInterval();
        long[] n = counts.requestsPerInterval();
        int from = Math.min(start, e.length);
        return Counts.of(Arrays.copyOfRange(e, from, e.length), Arrays.copyOfRange(n, from, n.length));
    }

    /**
     * @param whole the metric's outcome on the whole window
     * @param staged its outcome on the stage's window
     * @return the combined outcome, carrying the stage's result
     */
    static MetricOutcome combine(MetricOutcome whole, MetricOutcome staged, Stage stage) {
        StageResult result = new StageResult(stage.name(), staged.outcome(), staged.effect().orElse(null),
            n(staged.baseline()), n(staged.canary()), staged.reason());
        Outcome outcome = whole.outcome();
        String reason = whole.reason();
        String inStage = "In stage " + stage.name() + ": " + (empty(staged)
            ? "no points since the stage began yet; the stage decides once its own data come in."
            : staged.reason());
        if (outcome != Outcome.ROLLBACK && staged.outcome() == Outcome.ROLLBACK) {
            outcome = Outcome.ROLLBACK;
            reason = inStage + " Over the whole window: " + whole.reason();
        } else if (outcome == Outcome.PASS && staged.outcome() != Outcome.PASS) {
            outcome = staged.outcome();
            reason = "The whole window passes (" + whole.reason() + "), but not the current stage. " + inStage;
        } else if (outcome != Outcome.ROLLBACK && outcome != Outcome.HOLD && staged.outcome() == Outcome.HOLD) {
            // Evidence of a breach in the stage outweighs a whole window that cannot tell yet.
            outcome = Outcome.HOLD;
            reason = inStage + " Over the whole window: " + whole.reason();
        }
        return new MetricOutcome(whole.name(), outcome, reason, whole.test(), whole.pValue(), whole.effects(),
            whole.holdAllowed(), whole.rollbackAllowed(), whole.baseline(), whole.canary(), result);
    }

    /** @return whether a side of the stage's window has no points at all (as at the stage's first moment) */
    private static boolean empty(MetricOutcome staged) {
        return staged.outcome() == Outcome.NODATA && (n(staged.baseline()) == 0 || n(staged.canary()) == 0);
    }

    private static long n(SideSummary summary) {
        return summary instanceof RateSummary r ? r.requests() : ((SampleSummary) summary).n();
    }
}
