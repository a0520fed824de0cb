package org.canaryjudge.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.canaryjudge.model.Band;
import org.canaryjudge.model.Counts;
import org.canaryjudge.model.InvalidInputException;
import org.canaryjudge.model.MetricData;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.MetricType;
import org.canaryjudge.model.Mode;
import org.canaryjudge.model.Verdict;
import org.junit.jupiter.api.Test;

/** The look semantics of docs/contract.md, "Recorded fixtures". */
class ReplayTest {

    private static final long T0 = 1_714_564_800L; // 2024-05-01T12:00:00Z

    private static final MetricSpec ERRORS = MetricSpec.builder("errors").type(MetricType.RATE)
        .hold(Band.absolute(0.01)).rollback(Band.absolute(0.05)).minRequests(100).build();

    /** Errors per minute for each side, one point a minute from T0. */
    private static RecordedMetric rate(int minutes, long canaryErrorsPerMinute) {
        long[] times = new long[minutes];
        long[] baseErrors = new long[minutes];
        long[] canaryErrors = new long[minutes];
        long[] requests = new long[minutes];
        for (int i = 0; i < minutes; i++) {
            times[i] = T0 + 60L * i;
            baseErrors[i] = 1;
            canaryErrors[i] = canaryErrorsPerMinute;
            requests[i] = 1000;
        }
        return RecordedMetric.rate(ERRORS, times, baseErrors, requests, times, canaryErrors, requests);
    }

    @Test
    void looksComeEveryIntervalUntilThePointsRunOutAndSeeOnlyEarlierPoints() {
        ReplayResult r = new Replay(Mode.FIXED, 0.95, Duration.ofMinutes(5)).run("f", List.of(rate(30, 1)));
        // Points at minutes 0..29: looks at 5, 10, ..., 30 minutes; the last one sees all 30 points.
        assertEquals(6, r.looks().size());
        assertEquals(T0 + 300, r.looks().get(0).time());
        assertEquals(T0 + 1800, r.looks().get(5).time());
        assertEquals("f-look-1", r.looks().get(0).judgement().id());
        assertEquals(5000, requests(r, 0));
        assertEquals(30000, requests(r, 5));
        assertEquals(Verdict.PROMOTE, r.outcome());
        assertEquals(6, r.decidedAtLook());
    }

    private static long requests(ReplayResult r, int look) {
        return ((org.canaryjudge.model.RateSummary) r.looks().get(look).judgement().metrics().get(0).canary()).requests();
    }

    @Test
    void theFirstRollbackDecides() {
        ReplayResult r = new Replay(Mode.FIXED, 0.95, Duration.ofMinutes(5)).run(null, List.of(rate(30, 300)));
        assertEquals(Verdict.ROLLBACK, r.outcome());
        assertEquals(1, r.decidedAtLook());
        assertEquals(null, r.looks().get(0).judgement().id());
    }

    @Test
    void withoutAPromoteAtTheLastLookTheOutcomeIsHold() {
        ReplayResult r = new Replay(Mode.SEQUENTIAL, 0.95, Duration.ofMinutes(5)).run("f", List.of(rate(6, 15)));
        assertEquals(Verdict.HOLD, r.outcome());
        assertEquals(r.looks().size(), r.decidedAtLook());
    }

    @Test
    void aMetricReadsOnlyThePointsBeforeATime() {
        RecordedMetric m = RecordedMetric.continuous(MetricSpec.builder("p99").hold(Band.relative(0.1)).build(),
            new long[] {10, 20, 20, 30}, new double[] {1, 2, 3, 4}, new long[] {15}, new double[] {9});
        MetricData.Continuous at20 = (MetricData.Continuous) m.before(20).data();
        assertEquals(1, at20.baseline().size());
        assertEquals(1, at20.canary().size());
        MetricData.Continuous at21 = (MetricData.Continuous) m.before(21).data();
        assertEquals(3, at21.baseline().size());
    }

    @Test
    void rejectsRecordingsThatGoBackInTimeOrDoNotPairUp() {
        MetricSpec spec = MetricSpec.builder("p99").hold(Band.relative(0.1)).build();
        InvalidInputException back = assertThrows(InvalidInputException.class, () -> RecordedMetric.continuous(spec,
            new long[] {20, 10}, new double[] {1, 2}, new long[0], new double[0]));
        assertEquals("baseline/1", back.violations().get(0).path());
        assertThrows(InvalidInputException.class, () -> RecordedMetric.continuous(spec,
            new long[] {10}, new double[] {1, 2}, new long[0], new double[0]));
        assertThrows(IllegalArgumentException.class, () -> RecordedMetric.rate(spec, new long[0], new long[0],
            new long[0], new long[0], new long[0], new long[0]));
        assertThrows(IllegalArgumentException.class, () -> new Replay(Mode.FIXED, 0.95, Duration.ofMillis(10)));
        assertThrows(IllegalArgumentException.class, () -> new Replay(Mode.FIXED, 0.95, Duration.ofMinutes(1))
            .run("x", List.of(RecordedMetric.continuous(spec, new long[0], new double[0], new long[0], new double[0]))));
        assertTrue(Counts.of(new long[0], new long[0]).requests() == 0);
    }
}
