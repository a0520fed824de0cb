package org.canaryjudge.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.canaryjudge.model.Band;
import org.canaryjudge.model.Counts;
import org.canaryjudge.model.InvalidInputException;
import org.canaryjudge.model.JudgeRequest;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.MetricOutcome;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.MetricType;
import org.canaryjudge.model.Mode;
import org.canaryjudge.model.Outcome;
import org.canaryjudge.model.PlanRequest;
import org.canaryjudge.model.StagePlan;
import org.canaryjudge.model.Violation;
import org.junit.jupiter.api.Test;

/** The stage planner's invariants, reasons and refusals. */
class StagePlannerTest {

    private static MetricSpec rate(double hold, double rollback) {
        return MetricSpec.builder("error_rate").type(MetricType.RATE).hold(Band.absolute(hold))
            .rollback(Band.absolute(rollback)).build();
    }

    private static Double promote(MetricSpec spec, Mode mode, double p, double nb, double nc) {
        return StagePlanner.plan(new PlanRequest(spec, mode, 0.95, new PlanRequest.RateTraffic(p, nb, nc), 1)).minutesToPromote();
    }

    /** null (never within the day) counts as longer than any time. */
    private static double orNever(Double minutes) {
        return minutes == null ? Double.POSITIVE_INFINITY : minutes;
    }

    @Test
    void moreCanaryTrafficNeverTakesLonger() {
        qt().withExamples(40).forAll(doubles().between(0.001, 0.05), integers().between(500, 50_000),
                integers().between(20, 5_000), doubles().between(1.1, 5))
            .checkAssert((p, nb, nc, factor) -> {
                MetricSpec spec = rate(0.005, 0.02);
                for (Mode mode : Mode.values()) {
                    double narrow = orNever(promote(spec, mode, p, nb, nc));
                    double wide = orNever(promote(spec, mode, p, nb, nc * factor));
                    assertTrue(wide <= narrow, mode + ": " + wide + " minutes at " + nc * factor + " a minute, "
                        + narrow + " at " + nc);
                }
            });
    }

    @Test
    void aTighterBandNeverTakesLessTime() {
        qt().withExamples(40).forAll(doubles().between(0.001, 0.05), integers().between(20, 5_000),
                doubles().between(0.002, 0.02), doubles().between(0.3, 0.95))
            .checkAssert((p, nc, hold, shrink) -> {
                double nb = 19.0 * nc;
                for (Mode mode : Mode.values()) {
                    double loose = orNever(promote(rate(hold, 0.05), mode, p, nb, nc));
                    double tight = orNever(promote(rate(hold * shrink, 0.05), mode, p, nb, nc));
                    assertTrue(tight >= loose, mode + ": " + tight + " minutes at ±" + hold * shrink + ", " + loose
                        + " at ±" + hold);
                }
            });
    }

    @Test
    void theReasonSaysWhatAWiderCanaryWouldTake() {
        PlanRequest request = new PlanRequest(rate(0.005, 0.02), Mode.SEQUENTIAL, 0.95,
            new PlanRequest.RateTraffic(0.002, 980, 20, 1_000, Double.NaN), 1);
        StagePlan plan = StagePlanner.plan(request);
        assertNotNull(plan.minutesToPromote(), plan.reason());
        assertEquals(0.042, plan.regression(), 1e-12);
        assertTrue(plan.reason().contains("passes error_rate after about " + Math.round(plan.minutesToPromote())
            + " minutes"), plan.reason());
        assertTrue(plan.reason().contains("at 2 % of traffic this takes about"), plan.reason());
        assertTrue(plan.reason().contains("a regression to 4.2 % errors (twice as far from baseline as the +2 point"
            + " rollback band) is rolled back after about"), plan.reason());
        List<StagePlan.Alternative> wider = plan.alternatives();
        assertEquals(List.of(0.05, 0.10, 0.25, 0.50), wider.stream().map(StagePlan.Alternative::canaryShare).toList());
        assertEquals(950, wider.get(0).baselinePerMinute(), 1e-9, "a wider canary takes its requests from the baseline");
        double previous = plan.minutesToPromote();
        for (StagePlan.Alternative a : wider) {
            assertTrue(a.minutesToPromote() <= previous, a + " after " + previous);
            previous = a.minutesToPromote();
        }
    }

    @Test
    void aCanaryTooSmallForTheBandNeverPassesAndTheReasonSaysSo() {
        PlanRequest request = new PlanRequest(rate(0.0005, 0.02), Mode.SEQUENTIAL, 0.95,
            new PlanRequest.RateTraffic(0.01, 100, 1), 1);
        StagePlan plan = StagePlanner.plan(request);
        assertNull(plan.minutesToPromote());
        assertTrue(plan.reason().contains("would not pass error_rate within 24 hours"), plan.reason());
        assertTrue(plan.reason().contains("at 2 canary requests a minute, over 24 hours"), plan.reason());
    }

    @Test
    void aMetricWithoutARollbackBandNeverRollsBackOnItsOwn() {
        MetricSpec holdOnly = MetricSpec.builder("error_rate").type(MetricType.RATE).hold(Band.absolute(0.005)).build();
        StagePlan plan = StagePlanner.plan(new PlanRequest(holdOnly, Mode.FIXED, 0.95,
            new PlanRequest.RateTraffic(0.01, 10_000, 1_000), 1));
        assertNull(plan.minutesToRollback());
        assertNull(plan.regression());
        assertTrue(plan.reason().contains("no rollback band"), plan.reason());
        StagePlan asked = StagePlanner.plan(new PlanRequest(holdOnly, Mode.FIXED, 0.95,
            new PlanRequest.RateTraffic(0.01, 10_000, 1_000, Double.NaN, 0.2), 1));
        assertNull(asked.regression(), "no regression is timed without a band to roll back on");
        assertTrue(asked.reason().contains("no rollback band"), asked.reason());
    }

    @Test
    void badTrafficNamesEveryFieldAsTheJsonSpellsIt() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
            () -> new PlanRequest.RateTraffic(1.5, 0, -3, Double.POSITIVE_INFINITY, 7));
        assertEquals(List.of("baselineRate", "baselineRequestsPerMinute", "canaryRequestsPerMinute",
            "totalRequestsPerMinute", "regressionRate"), e.violations().stream().map(Violation::path).toList());
        MetricSpec continuous = MetricSpec.builder("latency").hold(Band.relative(0.1)).build();
        InvalidInputException type = assertThrows(InvalidInputException.class, () -> new PlanRequest(continuous,
            Mode.SEQUENTIAL, 0.95, new PlanRequest.RateTraffic(0.01, 100, 10), 0));
        assertEquals(List.of("minutesBetweenLooks", "metric/type"), type.violations().stream().map(Violation::path).toList());
    }

    @Test
    void aContinuousPlanComesFromTheBaselineSpread() {
        SplittableRandom random = new SplittableRandom(7);
        double[] sample = new double[120];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = Math.exp(Math.log(0.2) + 0.3 * random.nextGaussian());
        }
        MetricSpec latency = MetricSpec.builder("latency").hold(Band.relative(0.1)).rollback(Band.relative(0.5)).build();
        StagePlan narrow = StagePlanner.plan(new PlanRequest(latency, Mode.SEQUENTIAL, 0.95,
            new PlanRequest.PointTraffic(sample, 1, 1), 1));
        StagePlan wide = StagePlanner.plan(new PlanRequest(latency, Mode.SEQUENTIAL, 0.95,
            new PlanRequest.PointTraffic(sample, 4, 4), 1));
        assertNotNull(narrow.minutesToPromote(), narrow.reason());
        assertTrue(wide.minutesToPromote() < narrow.minutesToPromote(), wide + " / " + narrow);
        assertEquals(1.0, narrow.regression(), 1e-12);
        assertTrue(narrow.reason().contains("a regression of +100 %"), narrow.reason());
        double[] signed = sample.clone();
        signed[0] = -1;
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new PlanRequest(latency,
            Mode.SEQUENTIAL, 0.95, new PlanRequest.PointTraffic(signed, 1, 1), 1));
        assertEquals("baselineSample", e.violations().get(0).path());
    }

    @Test
    void anInconclusiveRateSaysHowManyMoreIntervalsAndTheJudgeAgrees() {
        MetricSpec spec = rate(0.005, 0.02);
        Judge judge = new Judge();
        for (long canaryPerInterval : new long[] {20, 60}) {
            MetricOutcome now = judgeIntervals(judge, spec, canaryPerInterval, 0);
            assertEquals(Outcome.INCONCLUSIVE, now.outcome(), now.reason());
            Matcher m = Pattern.compile("would pass after about ([0-9,]+) more intervals?\\.").matcher(now.reason());
            assertTrue(m.find(), now.reason());
            int more = Integer.parseInt(m.group(1).replace(",", ""));
            // The planner's look: with that many more intervals at the baseline's rate the judge passes, with one fewer not.
            assertEquals(Outcome.PASS, judgeIntervals(judge, spec, canaryPerInterval, more).outcome());
            assertEquals(Outcome.INCONCLUSIVE, judgeIntervals(judge, spec, canaryPerInterval, more - 1).outcome());
        }
    }

    @Test
    void aSingleTotalSaysHowManyTimesTheRequestsItWouldTake() {
        MetricSpec spec = rate(0.005, 0.02);
        Judge judge = new Judge();
        MetricOutcome now = judgeTotals(judge, spec, 1);
        Matcher m = Pattern.compile("would pass with about ([0-9,]+) times the requests so far\\.").matcher(now.reason());
        assertTrue(m.find(), now.reason());
        int times = Integer.parseInt(m.group(1).replace(",", ""));
        assertEquals(Outcome.PASS, judgeTotals(judge, spec, times).outcome());
        assertEquals(Outcome.INCONCLUSIVE, judgeTotals(judge, spec, times - 1).outcome());
    }

    /** 20 errors in 10,000 baseline requests and none in 200 canary requests, then {@code times} as many requests at the baseline's rate. */
    private static MetricOutcome judgeTotals(Judge judge, MetricSpec spec, int times) {
        Metric metric = new Metric(spec, Counts.of(new long[] {20L * times}, new long[] {10_000L * times}),
            Counts.of(new long[] {Math.round(0.002 * 200 * (times - 1))}, new long[] {200L * times}));
        return judge.judge(new JudgeRequest(null, Mode.SEQUENTIAL, 0.95, List.of(metric))).metrics().get(0);
    }

    /**
     * Ten intervals of the baseline's 2 errors in 1,000 requests and a canary with none, then
     * {@code more} intervals at the baseline's rate on both sides, the canary's expected errors all in the last.
     */
    private static MetricOutcome judgeIntervals(Judge judge, MetricSpec spec, long canaryPerInterval, int more) {
        int intervals = 10 + more;
        long[] be = new long[intervals];
        long[] bn = new long[intervals];
        long[] ce = new long[intervals];
        long[] cn = new long[intervals];
        for (int i = 0; i < intervals; i++) {
            be[i] = 2;
            bn[i] = 1_000;
            cn[i] = canaryPerInterval;
        }
        ce[intervals - 1] += Math.round(0.002 * canaryPerInterval * more);
        Metric metric = new Metric(spec, Counts.of(be, bn), Counts.of(ce, cn));
        return judge.judge(new JudgeRequest(null, Mode.SEQUENTIAL, 0.95, List.of(metric))).metrics().get(0);
    }
}
