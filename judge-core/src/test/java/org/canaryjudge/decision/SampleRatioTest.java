package org.canaryjudge.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.canaryjudge.model.Band;
import org.canaryjudge.model.Counts;
import org.canaryjudge.model.InvalidInputException;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.model.JudgeRequest;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.MetricData;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.MetricType;
import org.canaryjudge.model.Mode;
import org.canaryjudge.model.TrafficCheck;
import org.canaryjudge.model.TrafficSplit;
import org.canaryjudge.model.Verdict;
import org.junit.jupiter.api.Test;

/** The traffic-split check against the targets: power at 2 % for 5 %, false alarms on a correct split, never promote. */
class SampleRatioTest {

    static final MetricSpec ERRORS = MetricSpec.builder("error_rate").type(MetricType.RATE).hold(Band.absolute(0.01)).build();

    /** One rollout's looks: each minute 1,000 requests, each the canary's with probability {@code share}. */
    static Counts[] minutes(SplittableRandom random, int looks, double share) {
        long[] eb = new long[looks];
        long[] nb = new long[looks];
        long[] ec = new long[looks];
        long[] nc = new long[looks];
        for (int i = 0; i < looks; i++) {
            int canary = 0;
            for (int r = 0; r < 1_000; r++) {
                canary += random.nextDouble() < share ? 1 : 0;
            }
            nc[i] = canary;
            nb[i] = 1_000 - canary;
        }
        return new Counts[] {Counts.of(eb, nb), Counts.of(ec, nc)};
    }

    static TrafficCheck check(Counts baseline, Counts canary, double expected) {
        return SampleRatio.check(new TrafficSplit(expected, "error_rate"), new Metric(ERRORS, new MetricData.Rate(baseline, canary)));
    }

    static Counts first(Counts c, int looks) {
        return Counts.of(Arrays.copyOf(c.errorsPerInterval(), looks), Arrays.copyOf(c.requestsPerInterval(), looks));
    }

    /** @return how many of {@code rollouts} simulated ones are flagged a mismatch at some look up to {@code looks} */
    static int flagged(long seed, int rollouts, int looks, double share) {
        SplittableRandom random = new SplittableRandom(seed);
        int flagged = 0;
        for (int r = 0; r < rollouts; r++) {
            Counts[] c = minutes(random, looks, share);
            for (int look = 1; look <= looks; look++) {
                if (check(first(c[0], look), first(c[1], look), 0.05).outcome() == TrafficCheck.Outcome.MISMATCH) {
                    flagged++;
                    break;
                }
            }
        }
        return flagged;
    }

    @Test
    void aCanaryGettingTwoPercentWhereFiveAreMeantIsFlaggedWithinThreeLooks() {
        int flagged = flagged(11, 2_000, 3, 0.02);
        assertTrue(flagged >= 0.95 * 2_000, flagged + " of 2000 flagged within 3 looks");
    }

    @Test
    void aCorrectSplitIsAlmostNeverFlaggedOverTwelveLooks() {
        int flagged = flagged(12, 2_000, 12, 0.05);
        assertTrue(flagged <= 0.01 * 2_000, flagged + " of 2000 correct splits flagged");
    }

    @Test
    void aSmallDeviationWithMuchTrafficIsWithinTheToleranceAndAClearSplitIsOk() {
        TrafficCheck close = check(Counts.of(new long[] {0}, new long[] {9_470_000}), Counts.of(new long[] {0}, new long[] {530_000}), 0.05);
        assertEquals(TrafficCheck.Outcome.OK, close.outcome(), close.reason());
        assertEquals(0.053, close.observedShare(), 1e-12);
        TrafficCheck few = check(Counts.of(new long[] {0}, new long[] {95}), Counts.of(new long[] {0}, new long[] {5}), 0.05);
        assertEquals(TrafficCheck.Outcome.INCONCLUSIVE, few.outcome(), few.reason());
    }

    @Test
    void aMismatchNeverPromotesAndSaysWhatWasExpected() {
        Metric healthy = new Metric(ERRORS, new MetricData.Rate(Counts.of(new long[] {980}, new long[] {980_000}),
            Counts.of(new long[] {20}, new long[] {20_000})));
        Judgement plain = new Judge().judge(new JudgeRequest(null, Mode.FIXED, 0.95, List.of(healthy)));
        assertEquals(Verdict.PROMOTE, plain.verdict(), plain.reason());
        Judgement checked = new Judge().judge(new JudgeRequest(null, Mode.FIXED, 0.95, List.of(healthy), null,
            new TrafficSplit(0.05, "error_rate")));
        assertEquals(Verdict.HOLD, checked.verdict());
        assertEquals(TrafficCheck.Outcome.MISMATCH, checked.traffic().outcome());
        assertTrue(checked.reason().startsWith("traffic: the canary got 2.00 % of requests (20,000 of 1,000,000) where"
            + " 5.00 % was expected"), checked.reason());
    }

    @Test
    void theSplitMustBeReadFromARateMetricOfTheRequest() {
        Metric healthy = new Metric(ERRORS, new MetricData.Rate(Counts.of(new long[] {1}, new long[] {100}),
            Counts.of(new long[] {1}, new long[] {100})));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new JudgeRequest(null, Mode.FIXED, 0.95,
            List.of(healthy), null, new TrafficSplit(0.05, "latency")));
        assertEquals("traffic/metric", e.violations().get(0).path());
        assertThrows(InvalidInputException.class, () -> new TrafficSplit(1.5, "error_rate"));
    }
}
