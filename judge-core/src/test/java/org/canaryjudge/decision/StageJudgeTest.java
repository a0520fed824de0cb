package org.canaryjudge.decision;

import static org.canaryjudge.decision.JudgeTest.normal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.canaryjudge.model.Band;
import org.canaryjudge.model.Correlation;
import org.canaryjudge.model.Counts;
import org.canaryjudge.model.JudgeRequest;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.MetricOutcome;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.MetricType;
import org.canaryjudge.model.Mode;
import org.canaryjudge.model.Outcome;
import org.canaryjudge.model.Series;
import org.canaryjudge.model.Stage;
import org.canaryjudge.model.StageResult;
import org.canaryjudge.model.StageStart;
import org.junit.jupiter.api.Test;

/** Stages: the whole window and the current stage's window, each a test of its own. */
class StageJudgeTest {

    private final Judge judge = new Judge();

    private static MetricSpec latency() {
        return MetricSpec.builder("latency").hold(Band.relative(0.10)).rollback(Band.relative(0.30))
            .correlation(Correlation.IGNORE).build();
    }

    /** 30 healthy canary points, then 15 doubled: the whole window dilutes them, the stage does not. */
    private static Metric lateDoubling(MetricSpec spec, StageStart override) {
        double[] base = normal(1, 45, 100, 3).values();
        double[] canary = normal(2, 45, 100, 3).values();
        for (int i = 30; i < 45; i++) {
            canary[i] *= 2;
        }
        return new Metric(spec, new org.canaryjudge.model.MetricData.Continuous(Series.of(base), Series.of(canary)),
            override);
    }

    private MetricOutcome judgeOne(Metric metric, Stage stage, Mode mode) {
        return judge.judge(new JudgeRequest("r", mode, 0.95, List.of(metric), stage)).metrics().get(0);
    }

    @Test
    void aLateDoublingRollsBackThroughItsStage() {
        MetricOutcome unstaged = judgeOne(lateDoubling(latency(), null), null, Mode.FIXED);
        assertTrue(unstaged.outcome() != Outcome.ROLLBACK, "the whole window alone is diluted: " + unstaged.reason());
        assertNull(unstaged.stage());
        MetricOutcome staged = judgeOne(lateDoubling(latency(), null), new Stage("25%", 30), Mode.FIXED);
        assertEquals(Outcome.ROLLBACK, staged.outcome(), staged.reason());
        StageResult stage = staged.stageResult().orElseThrow();
        assertEquals("25%", stage.name());
        assertEquals(Outcome.ROLLBACK, stage.outcome());
        assertEquals(15, stage.baselineN());
        assertEquals(15, stage.canaryN());
        assertEquals(0.975, stage.effect().confidence(), 1e-12, "the stage's half of α");
        assertTrue(stage.effect().estimate() > 0.8, "the stage sees the doubling: " + stage.effect());
        assertTrue(staged.reason().startsWith("In stage 25%: canary is"), staged.reason());
        assertEquals(unstaged.effects(), staged.effects(), "the whole window's own effect is unchanged");
    }

    @Test
    void aStageWithoutPointsYetSaysSoAndHolds() {
        // The stage begins after the last point: it has none of its own yet.
        MetricOutcome o = judgeOne(lateDoubling(latency(), null), new Stage("50%", 45), Mode.FIXED);
        assertEquals(0, o.stageResult().orElseThrow().canaryN());
        assertTrue(o.outcome() != Outcome.PASS, o.reason());
        assertTrue(o.reason().contains("In stage 50%: no points since the stage began yet"), o.reason());
    }

    @Test
    void aMetricsOwnStageStartOverridesTheRequests() {
        MetricOutcome o = judgeOne(lateDoubling(latency(), new StageStart(0, 0)), new Stage("all", 30), Mode.FIXED);
        assertEquals(45, o.stageResult().orElseThrow().canaryN());
    }

    @Test
    void passNeedsBothWindowsToPass() {
        Metric healthy = new Metric(latency(), normal(1, 60, 100, 3), normal(2, 60, 100, 3));
        MetricOutcome whole = judgeOne(healthy, null, Mode.FIXED);
        assertEquals(Outcome.PASS, whole.outcome(), whole.reason());
        MetricOutcome thin = judgeOne(healthy, new Stage("new", 55), Mode.FIXED);
        assertEquals(Outcome.INCONCLUSIVE, thin.outcome(), "5 stage points cannot pass: " + thin.reason());
        assertTrue(thin.reason().startsWith("The whole window passes ("), thin.reason());
        assertTrue(thin.reason().contains("too few observations"), thin.reason());
        MetricOutcome both = judgeOne(healthy, new Stage("wide", 20), Mode.FIXED);
        assertEquals(Outcome.PASS, both.outcome(), both.reason());
        assertEquals(Outcome.PASS, both.stageResult().orElseThrow().outcome());
    }

    @Test
    void sequentialStagesAndRatesAreJudgedToo() {
        MetricOutcome seq = judgeOne(lateDoubling(latency(), null), new Stage("25%", 30), Mode.SEQUENTIAL);
        assertEquals(Outcome.ROLLBACK, seq.stageResult().orElseThrow().outcome(), seq.reason());
        MetricSpec errors = MetricSpec.builder("errors").type(MetricType.RATE).hold(Band.relative(0.25))
            .rollback(Band.ratio(1.5)).build();
        long[] requests = {10_000, 10_000, 10_000, 10_000};
        Metric rate = new Metric(errors, Counts.of(new long[] {100, 100, 100, 100}, requests),
            Counts.of(new long[] {100, 100, 400, 400}, requests));
        MetricOutcome o = judgeOne(rate, new Stage("50%", 2), Mode.SEQUENTIAL);
        assertEquals(Outcome.ROLLBACK, o.outcome(), o.reason());
        assertEquals(20_000, o.stageResult().orElseThrow().canaryN(), "a rate's n is its requests");
    }

    /** A stage that shows a breach of the hold band holds the metric while the whole window cannot tell yet. */
    @Test
    void aStageHoldOutweighsAnInconclusiveWholeWindow() {
        MetricSpec spec = MetricSpec.builder("latency").hold(Band.relative(0.10)).rollback(Band.relative(3.0))
            .correlation(Correlation.IGNORE).build();
        double[] base = normal(1, 24, 100, 10).values();
        double[] canary = normal(2, 24, 100, 10).values();
        for (int i = 14; i < 24; i++) {
            canary[i] *= 1.5;
        }
        Metric metric = new Metric(spec, Series.of(base), Series.of(canary));
        MetricOutcome whole = judgeOne(metric, null, Mode.FIXED);
        assertTrue(whole.outcome() == Outcome.INCONCLUSIVE, whole.reason());
        MetricOutcome staged = judgeOne(metric, new Stage("late", 14), Mode.FIXED);
        assertEquals(Outcome.HOLD, staged.stageResult().orElseThrow().outcome(), staged.reason());
        assertEquals(Outcome.HOLD, staged.outcome(), staged.reason());
        assertTrue(staged.reason().startsWith("In stage late: canary is"), staged.reason());
    }

    @Test
    void aStageBeyondTheDataIsNodataAndNeverPasses() {
        Metric healthy = new Metric(latency(), normal(1, 60, 100, 3), normal(2, 60, 100, 3));
        MetricOutcome o = judgeOne(healthy, new Stage("later", 80), Mode.FIXED);
        assertEquals(Outcome.NODATA, o.outcome(), o.reason());
        assertEquals(0, o.stageResult().orElseThrow().canaryN());
    }
}
