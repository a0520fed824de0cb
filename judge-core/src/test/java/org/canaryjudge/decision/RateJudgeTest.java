package org.canaryjudge.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.canaryjudge.model.Band;
import org.canaryjudge.model.Counts;
import org.canaryjudge.model.Effect;
import org.canaryjudge.model.EffectScale;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.model.JudgeRequest;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.MetricOutcome;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.MetricType;
import org.canaryjudge.model.Mode;
import org.canaryjudge.model.Outcome;
import org.canaryjudge.model.RateSummary;
import org.canaryjudge.model.Verdict;
import org.junit.jupiter.api.Test;

/** Rate metrics (errors out of requests) in both modes. */
class RateJudgeTest {

    private final Judge judge = new Judge();

    private static Counts total(long errors, long requests) {
        return Counts.of(new long[] {errors}, new long[] {requests});
    }

    private static MetricSpec.Builder errors() {
        return MetricSpec.builder("error_rate").type(MetricType.RATE);
    }

    private MetricOutcome judgeOne(Mode mode, MetricSpec spec, Counts baseline, Counts canary) {
        return judge.judge(new JudgeRequest(null, mode, 0.95, List.of(new Metric(spec, baseline, canary)))).metrics().get(0);
    }

    @Test
    void theWorkedCheckPassesAnAbsoluteBandAndCannotTellADoubling() {
        MetricSpec points = errors().hold(Band.absolute(0.005)).build();
        MetricOutcome abs = judgeOne(Mode.FIXED, points, total(20, 10000), total(35, 10000));
        assertEquals(Outcome.PASS, abs.outcome(), abs.reason());
        Effect e = abs.effect().orElseThrow();
        assertEquals(EffectScale.ABSOLUTE, e.scale());
        assertEquals(0.0015, e.estimate(), 1e-15);
        assertEquals(3.47e-5, e.interval().lower(), 0.005e-5);
        assertEquals(0.003035, e.interval().upper(), 0.0000005);
        assertEquals("canary rate is 0.15 points higher than baseline (95 % interval +0.00347 points to +0.303 points), "
            + "within the +0.5 point hold band.", abs.reason());
        assertEquals("newcombe-hybrid-score", abs.test());

        MetricOutcome ratio = judgeOne(Mode.FIXED, errors().hold(Band.ratio(2.0)).build(), total(20, 10000), total(35, 10000));
        assertEquals(Outcome.INCONCLUSIVE, ratio.outcome(), ratio.reason());
        assertEquals(0.75, ratio.effect().orElseThrow().estimate(), 1e-12);
        assertEquals(RATE_TEST_FIXED, ratio.test());
        assertEquals(0.9827 - 1, ratio.effect().orElseThrow().interval().lower(), 0.00005);
        assertEquals(3.1992 - 1, ratio.effect().orElseThrow().interval().upper(), 0.00005);
    }

    static final String RATE_TEST_FIXED = "binomial-exact-conditional";

    @Test
    void zeroBaselineErrorsAndSparseCountsAreNeverAPass() {
        MetricSpec spec = errors().hold(Band.relative(0.5)).rollback(Band.ratio(3)).build();
        for (Mode mode : Mode.values()) {
            MetricOutcome o = judgeOne(mode, spec, total(0, 500), total(3, 500));
            assertEquals(Outcome.INCONCLUSIVE, o.outcome(), o.reason());
            assertEquals(Double.POSITIVE_INFINITY, o.effect().orElseThrow().interval().upper());
            assertTrue(o.reason().contains("to +∞"), o.reason());
            MetricOutcome none = judgeOne(mode, spec, total(0, 100000), total(0, 100000));
            assertEquals(Outcome.INCONCLUSIVE, none.outcome(), none.reason());
            assertTrue(none.reason().startsWith("canary rate cannot be compared with baseline yet"), none.reason());
        }
    }

    @Test
    void hundredsOfCanaryErrorsAgainstACleanBaselineRollBack() {
        MetricSpec spec = errors().hold(Band.absolute(0.005)).rollback(Band.ratio(2)).critical(true).build();
        for (Mode mode : Mode.values()) {
            Judgement j = judge.judge(new JudgeRequest(null, mode, 0.95,
                List.of(new Metric(spec, total(0, 100000), total(600, 2000)))));
            assertEquals(Verdict.ROLLBACK, j.verdict(), j.reason());
        }
    }

    @Test
    void tooFewRequestsSayHowManyAreNeeded() {
        MetricSpec spec = errors().hold(Band.absolute(0.005)).rollback(Band.ratio(2.0)).build();
        Counts base = Counts.of(new long[] {3, 1, 2}, new long[] {10000, 9800, 10100});
        Counts canary = Counts.of(new long[] {0, 1, 0}, new long[] {210, 190, 205});
        MetricOutcome sequential = judgeOne(Mode.SEQUENTIAL, spec, base, canary);
        assertEquals(Outcome.INCONCLUSIVE, sequential.outcome());
        assertEquals("too few canary requests to judge: 605 of the 1,200 needed to show the rate is within "
            + "the +0.5 point hold band. At this traffic a canary as good as the baseline would pass after about 394"
            + " more intervals.", sequential.reason());
        assertEquals(new RateSummary(1, 605), sequential.canary());
        MetricOutcome fixed = judgeOne(Mode.FIXED, spec, base, canary);
        assertTrue(fixed.reason().contains("605 of the 600 needed") || fixed.outcome() != Outcome.INCONCLUSIVE
            || !fixed.reason().startsWith("too few"), "fixed mode needs 3 / 0.005 = 600: " + fixed.reason());
        MetricOutcome explicit = judgeOne(Mode.FIXED, errors().hold(Band.absolute(0.005)).minRequests(5000).build(), base, canary);
        assertTrue(explicit.reason().contains("605 of the 5,000 needed"), explicit.reason());
    }

    @Test
    void aSideWithoutRequestsIsNodata() {
        MetricOutcome o = judgeOne(Mode.FIXED, errors().hold(Band.absolute(0.01)).build(), total(3, 1000),
            Counts.of(new long[0], new long[0]));
        assertEquals(Outcome.NODATA, o.outcome());
        assertEquals("no canary requests in the window.", o.reason());
    }

    @Test
    void sequentialIntervalsContainTheFixedOnes() {
        MetricSpec spec = errors().hold(Band.absolute(0.005)).rollback(Band.ratio(2)).build();
        MetricOutcome f = judgeOne(Mode.FIXED, spec, total(200, 100000), total(30, 10000));
        MetricOutcome s = judgeOne(Mode.SEQUENTIAL, spec, total(200, 100000), total(30, 10000));
        for (int i = 0; i < 2; i++) {
            var fi = f.effects().get(i).interval();
            var si = s.effects().get(i).interval();
            assertTrue(si.contains(fi), si + " contains " + fi);
        }
        assertEquals("normal-mixture-sequential", s.test(), "the hold band is absolute: its interval is the normal mixture's");
        assertTrue(s.pValue() >= f.pValue());
        MetricOutcome relative = judgeOne(Mode.SEQUENTIAL, errors().hold(Band.ratio(2)).build(), total(200, 100000), total(30, 10000));
        assertEquals("dirichlet-mixture-sequential", relative.test());
    }
}
