package org.canaryjudge.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.canaryjudge.model.Band;
import org.canaryjudge.model.Correlation;
import org.canaryjudge.model.Direction;
import org.canaryjudge.model.EffectScale;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.model.JudgeRequest;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.MetricData;
import org.canaryjudge.model.MetricOutcome;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.MetricType;
import org.canaryjudge.model.Mode;
import org.canaryjudge.model.Outcome;
import org.canaryjudge.model.RateSummary;
import org.canaryjudge.model.SampleSummary;
import org.canaryjudge.model.Series;
import org.canaryjudge.model.Verdict;
import org.junit.jupiter.api.Test;

/** The decision rule of docs/contract.md on scenarios whose right answer is clear. */
class JudgeTest {

    private final Judge judge = new Judge();

    /** Independent normal draws with the given mean and standard deviation. */
    static Series normal(long seed, int n, double mean, double sd) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double u = 1 - random.nextDouble();
            v[i] = mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
        }
        return Series.of(v);
    }

    private static MetricSpec.Builder latency() {
        return MetricSpec.builder("latency_p99_ms").hold(Band.relative(0.10)).rollback(Band.relative(0.50))
            .correlation(Correlation.IGNORE);
    }

    private MetricOutcome judgeOne(MetricSpec spec, Series baseline, Series canary) {
        return judgeAll(new Metric(spec, baseline, canary)).metrics().get(0);
    }

    private Judgement judgeAll(Metric... metrics) {
        return judge.judge(new JudgeRequest("r1", Mode.FIXED, 0.95, List.of(metrics)));
    }

    @Test
    void sameDistributionWithEnoughDataPasses() {
        MetricOutcome o = judgeOne(latency().build(), normal(1, 60, 120, 3), normal(2, 60, 120, 3));
        assertEquals(Outcome.PASS, o.outcome(), o.reason());
        assertTrue(o.reason().contains("within the +10 % hold band"), o.reason());
        assertEquals(EffectScale.RELATIVE, o.effect().orElseThrow().scale());
        assertEquals("mann-whitney", o.test());
    }

    @Test
    void aThirtyPercentRiseHolds() {
        MetricOutcome o = judgeOne(latency().build(), normal(1, 60, 120, 3), normal(2, 60, 156, 3));
        assertEquals(Outcome.HOLD, o.outcome(), o.reason());
        assertEquals(0.30, o.effect().orElseThrow().estimate(), 0.02);
        assertTrue(o.reason().matches("canary is (29|30|31) % higher than baseline \\(95 % interval \\+\\d+ % to \\+\\d+ %\\), .*"),
            o.reason());
        assertTrue(o.reason().endsWith("beyond the +10 % hold band."), o.reason());
    }

    @Test
    void doublingRollsBack() {
        Judgement j = judgeAll(new Metric(latency().build(), normal(1, 60, 120, 3), normal(2, 60, 240, 3)));
        assertEquals(Outcome.ROLLBACK, j.metrics().get(0).outcome());
        assertEquals(Verdict.ROLLBACK, j.verdict());
        assertTrue(j.reason().matches("latency_p99_ms: canary is (99|100|101) % higher .*"), j.reason());
        assertTrue(j.reason().contains("beyond the +50 % rollback band"), j.reason());
    }

    @Test
    void aCriticalMetricsHoldRollsBack() {
        MetricOutcome o = judgeOne(latency().critical(true).build(), normal(1, 60, 120, 3), normal(2, 60, 156, 3));
        assertEquals(Outcome.ROLLBACK, o.outcome());
        assertTrue(o.reason().contains("critical"), o.reason());
    }

    @Test
    void noisyDataWithNoSignificantDifferenceIsInconclusiveNotPass() {
        MetricOutcome o = judgeOne(latency().build(), normal(1, 12, 120, 40), normal(2, 12, 120, 40));
        assertTrue(o.pValue() > 0.05, "no significant difference");
        assertEquals(Outcome.INCONCLUSIVE, o.outcome(), o.reason());
        assertTrue(o.reason().contains("reaches past the +10 % hold band"), o.reason());
    }

    @Test
    void tooFewObservationsAreInconclusiveAndNamesTheNumbers() {
        double[] canary = normal(2, 12, 120, 1).values();
        canary[3] = Double.NaN;
        canary[5] = Double.NaN;
        canary[7] = Double.NaN;
        MetricOutcome o = judgeOne(latency().build(), normal(1, 60, 120, 1), Series.of(canary));
        assertEquals(Outcome.INCONCLUSIVE, o.outcome());
        assertEquals("too few observations to judge: canary has 9, baseline has 60; 10 are needed on each side.",
            o.reason());
        assertTrue(o.effect().isEmpty());
        assertNull(o.test());
        assertEquals(9, ((SampleSummary) o.canary()).n());
    }

    /** 5 points a side: a canary three times the baseline rolls back at once, a healthy one stays inconclusive. */
    @Test
    void fivePointsASideRollBackAThreefoldCanaryButNeverPass() {
        MetricSpec spec = latency().rollback(Band.relative(0.30)).build();
        Series baseline = Series.of(101, 97, 110, 92, 104);
        MetricOutcome worse = judgeOne(spec, baseline, Series.of(310, 290, 335, 281, 300));
        assertEquals(Outcome.ROLLBACK, worse.outcome(), worse.reason());
        assertEquals(0.975, worse.effect().orElseThrow().confidence(), 1e-12, "half of α");
        assertTrue(worse.effect().orElseThrow().interval().lower() > 0.30, worse.reason());
        assertTrue(worse.reason().contains("Sparse data: too few observations to judge: canary has 5, baseline has 5; "
            + "10 are needed on each side to pass"), worse.reason());
        MetricOutcome same = judgeOne(spec, baseline, Series.of(99, 103, 95, 108, 100));
        assertEquals(Outcome.INCONCLUSIVE, same.outcome(), same.reason());
        MetricOutcome three = judgeOne(spec, Series.of(101, 97, 110), Series.of(310, 290, 335));
        assertEquals(Outcome.INCONCLUSIVE, three.outcome(), "three points a side are below the sparse floor");
        assertEquals(Double.POSITIVE_INFINITY, worse.effect().orElseThrow().interval().upper(), "one-sided");
        // Five points cannot show their own serial correlation: only metrics that declare independence get the rule.
        MetricOutcome adjusted = judgeOne(latency().rollback(Band.relative(0.30)).correlation(Correlation.ADJUST).build(),
            baseline, Series.of(310, 290, 335, 281, 300));
        assertEquals(Outcome.INCONCLUSIVE, adjusted.outcome(), adjusted.reason());
    }

    /** Past the planned horizon the design's α is spent: a kept share, wider, and the reason says so. */
    @Test
    void pastTheHorizonTheIntervalWidensAndSaysWhy() {
        Series baseline = normal(1, 30, 120, 3);
        Series canary = normal(2, 30, 120, 3);
        MetricOutcome atHorizon = judgeSequential(latency().horizon(30).build(), baseline, canary);
        MetricOutcome past = judgeSequential(latency().horizon(20).build(), baseline, canary);
        MetricOutcome early = judgeSequential(latency().horizon(60).build(), baseline, canary);
        double atWidth = width(atHorizon);
        assertTrue(width(past) > atWidth, "past the horizon: " + width(past) + " vs " + atWidth);
        assertTrue(width(early) > atWidth, "halfway to the horizon: " + width(early) + " vs " + atWidth);
        assertTrue(past.reason().contains("The planned horizon of 20 points a side is past"), past.reason());
        assertTrue(!atHorizon.reason().contains("horizon"), atHorizon.reason());
        assertEquals(Outcome.PASS, atHorizon.outcome(), atHorizon.reason());
    }

    private MetricOutcome judgeSequential(MetricSpec spec, Series baseline, Series canary) {
        return judge.judge(new JudgeRequest("r1", Mode.SEQUENTIAL, 0.95, List.of(new Metric(spec, baseline, canary))))
            .metrics().get(0);
    }

    private static double width(MetricOutcome o) {
        return o.effect().orElseThrow().interval().upper() - o.effect().orElseThrow().interval().lower();
    }

    @Test
    void aSideWithoutDataIsNodata() {
        MetricOutcome empty = judgeOne(latency().build(), normal(1, 20, 120, 1), Series.of());
        assertEquals(Outcome.NODATA, empty.outcome());
        assertEquals("no canary data (the series is empty).", empty.reason());
        MetricOutcome missing = judgeOne(latency().build(), Series.of(Double.NaN, Double.NaN), normal(1, 20, 120, 1));
        assertEquals(Outcome.NODATA, missing.outcome());
        assertEquals("no baseline data (all 2 points are missing).", missing.reason());
        assertEquals(Double.NaN, ((SampleSummary) missing.baseline()).median());
    }

    @Test
    void relativeBandsOnNonPositiveDataAreAnError() {
        double[] v = normal(1, 20, 5, 1).values();
        v[4] = -0.5;
        MetricOutcome o = judgeOne(latency().build(), normal(2, 20, 5, 1), Series.of(v));
        assertEquals(Outcome.ERROR, o.outcome());
        assertTrue(o.reason().contains("the canary has 1 value at or below zero (smallest -0.5)"), o.reason());
        Judgement j = judgeAll(new Metric(latency().build(), normal(2, 20, 5, 1), Series.of(v)));
        assertEquals(Verdict.HOLD, j.verdict());
    }

    @Test
    void identicalConstantSeriesPassWithAZeroWidthInterval() {
        double[] c = new double[12];
        Arrays.fill(c, 250);
        MetricOutcome o = judgeOne(latency().build(), Series.of(c), Series.of(c));
        assertEquals(Outcome.PASS, o.outcome(), o.reason());
        assertEquals(0, o.effect().orElseThrow().estimate());
        assertEquals(0, o.effect().orElseThrow().interval().lower());
        assertEquals(0, o.effect().orElseThrow().interval().upper());
        assertEquals(1, o.pValue());
        assertTrue(o.reason().startsWith("canary is the same as baseline (95 % interval 0 to 0)"), o.reason());
    }

    @Test
    void directionDecreaseTreatsADropAsHarm() {
        MetricSpec throughput = MetricSpec.builder("orders_per_min").direction(Direction.DECREASE)
            .hold(Band.relative(0.2)).correlation(Correlation.IGNORE).build();
        MetricOutcome drop = judgeOne(throughput, normal(1, 60, 100, 2), normal(2, 60, 60, 2));
        assertEquals(Outcome.HOLD, drop.outcome(), drop.reason());
        assertTrue(drop.reason().contains("lower than baseline"), drop.reason());
        assertTrue(drop.reason().contains("beyond the -20 % hold band"), drop.reason());
        MetricOutcome rise = judgeOne(throughput, normal(1, 60, 100, 2), normal(2, 60, 160, 2));
        assertEquals(Outcome.PASS, rise.outcome(), "a rise of a decrease-harmful metric is fine: " + rise.reason());
    }

    @Test
    void directionEitherTreatsBothSidesAsHarm() {
        MetricSpec cpu = MetricSpec.builder("cpu").direction(Direction.EITHER).hold(Band.absolute(5))
            .correlation(Correlation.IGNORE).build();
        assertEquals(Outcome.HOLD, judgeOne(cpu, normal(1, 60, 50, 1), normal(2, 60, 40, 1)).outcome());
        assertEquals(Outcome.HOLD, judgeOne(cpu, normal(1, 60, 50, 1), normal(2, 60, 60, 1)).outcome());
        MetricOutcome ok = judgeOne(cpu, normal(1, 60, 50, 1), normal(2, 60, 51, 1));
        assertEquals(Outcome.PASS, ok.outcome());
        assertTrue(ok.reason().contains("within the ±5 hold band"), ok.reason());
        assertEquals(-5, ok.holdAllowed().lower());
        assertEquals(5, ok.holdAllowed().upper());
    }

    @Test
    void bandsOnTwoScalesNeedAnIntervalOnEach() {
        MetricSpec spec = MetricSpec.builder("latency").hold(Band.absolute(10)).rollback(Band.ratio(2))
            .correlation(Correlation.IGNORE).build();
        MetricOutcome o = judgeOne(spec, normal(1, 60, 100, 2), normal(2, 60, 101, 2));
        assertEquals(Outcome.PASS, o.outcome(), o.reason());
        assertEquals(List.of(EffectScale.ABSOLUTE, EffectScale.RELATIVE),
            o.effects().stream().map(e -> e.scale()).toList());
        assertTrue(o.reason().contains("within the +10 hold band and the rollback band of 2× baseline"), o.reason());
        // Far beyond the ratio band, though the absolute hold band is on another scale: rollback.
        assertEquals(Outcome.ROLLBACK, judgeOne(spec, normal(1, 60, 100, 2), normal(2, 60, 250, 2)).outcome());
    }

    @Test
    void verdictAndScoreFollowTheWeightedPassShare() {
        Metric pass = new Metric(latency().weight(3).build(), normal(1, 60, 120, 3), normal(2, 60, 120, 3));
        Metric hold = new Metric(MetricSpec.builder("memory").hold(Band.relative(0.1)).weight(1)
            .correlation(Correlation.IGNORE).build(), normal(3, 60, 500, 5), normal(4, 60, 650, 5));
        Judgement both = judgeAll(pass, hold);
        assertEquals(Verdict.HOLD, both.verdict());
        assertEquals(75.0, both.score(), 1e-12);
        assertTrue(both.reason().startsWith("memory: canary is 30 % higher"), both.reason());
        assertEquals("r1", both.id());
        assertEquals(Mode.FIXED, both.mode());
        Judgement one = judgeAll(pass);
        assertEquals(Verdict.PROMOTE, one.verdict());
        assertEquals(100.0, one.score());
        assertEquals("The only metric, latency_p99_ms, is shown to be within its bands.", one.reason());
    }

    @Test
    void serialCorrelationWidensTheIntervalAndSaysSo() {
        double[] base = new double[60];
        double[] canary = new double[60];
        for (int i = 0; i < 60; i++) {
            base[i] = 100 + 5 * Math.sin(i / 6.0);
            canary[i] = 101 + 5 * Math.sin(i / 6.0 + 1);
        }
        MetricOutcome adjusted = judgeOne(latency().correlation(Correlation.ADJUST).build(), Series.of(base),
            Series.of(canary));
        MetricOutcome ignored = judgeOne(latency().build(), Series.of(base), Series.of(canary));
        double wAdjusted = adjusted.effect().orElseThrow().interval().upper() - adjusted.effect().orElseThrow().interval().lower();
        double wIgnored = ignored.effect().orElseThrow().interval().upper() - ignored.effect().orElseThrow().interval().lower();
        assertTrue(wAdjusted > 2 * wIgnored, wAdjusted + " vs " + wIgnored);
        assertTrue(adjusted.reason().contains("widened"), adjusted.reason());
        assertTrue(!ignored.reason().contains("widened"), ignored.reason());
    }

    @Test
    void sequentialIntervalsAreWiderAndSplitAlphaAcrossMetrics() {
        Metric a = new Metric(latency().build(), normal(1, 60, 120, 3), normal(2, 60, 121, 3));
        Metric b = new Metric(MetricSpec.builder("cpu").hold(Band.absolute(5)).correlation(Correlation.IGNORE).build(),
            normal(3, 60, 50, 1), normal(4, 60, 50, 1));
        Judgement fixed = judge.judge(new JudgeRequest(null, Mode.FIXED, 0.95, List.of(a, b)));
        Judgement sequential = judge.judge(new JudgeRequest(null, Mode.SEQUENTIAL, 0.95, List.of(a, b)));
        assertEquals(Mode.SEQUENTIAL, sequential.mode());
        for (int i = 0; i < 2; i++) {
            var f = fixed.metrics().get(i).effect().orElseThrow();
            var s = sequential.metrics().get(i).effect().orElseThrow();
            assertEquals(0.95, f.confidence());
            assertEquals(0.975, s.confidence(), 1e-12, "Bonferroni: two metrics share α = 0.05");
            assertEquals(f.estimate(), s.estimate());
            assertTrue(s.interval().lower() < f.interval().lower() && s.interval().upper() > f.interval().upper());
            assertTrue(sequential.metrics().get(i).pValue() >= fixed.metrics().get(i).pValue());
        }
        assertTrue(sequential.metrics().get(0).reason().contains("(97.5 % interval"), sequential.metrics().get(0).reason());
    }

    @Test
    void aLongerHorizonMovesWhereTheSequenceIsTightest() {
        Series base = normal(1, 40, 120, 3);
        Series canary = normal(2, 40, 121, 3);
        double width40 = width(judge.judge(new JudgeRequest(null, Mode.SEQUENTIAL, 0.95,
            List.of(new Metric(latency().horizon(40).build(), base, canary)))));
        double width4000 = width(judge.judge(new JudgeRequest(null, Mode.SEQUENTIAL, 0.95,
            List.of(new Metric(latency().horizon(4000).build(), base, canary)))));
        assertTrue(width40 < width4000, width40 + " vs " + width4000);
    }

    private static double width(Judgement j) {
        var i = j.metrics().get(0).effect().orElseThrow().interval();
        return i.upper() - i.lower();
    }

    @Test
    void aMetricsOwnConfidenceOverridesTheRequests() {
        Metric m = new Metric(latency().confidence(0.99).build(), normal(1, 60, 120, 3), normal(2, 60, 120, 3));
        assertEquals(0.99, judgeAll(m).metrics().get(0).effect().orElseThrow().confidence());
    }

    @Test
    void unavailableDataAreAnErrorThatHoldsEvenWhenEveryOtherMetricPasses() {
        Metric healthy = new Metric(latency().build(), normal(1, 60, 120, 3), normal(2, 60, 120, 3));
        Metric lost = new Metric(MetricSpec.builder("error_rate").type(MetricType.RATE).hold(Band.absolute(0.005)).build(),
            new MetricData.Unavailable(MetricType.RATE, "Prometheus source \"prom\" answered HTTP 503."));
        Judgement j = judgeAll(healthy, lost);
        assertEquals(Outcome.PASS, j.metrics().get(0).outcome(), j.metrics().get(0).reason());
        MetricOutcome o = j.metrics().get(1);
        assertEquals(Outcome.ERROR, o.outcome());
        assertEquals("Prometheus source \"prom\" answered HTTP 503.", o.reason());
        assertTrue(o.effect().isEmpty());
        assertEquals(0, ((RateSummary) o.canary()).requests());
        assertEquals(Verdict.HOLD, j.verdict());
        assertEquals(50.0, j.score(), 1e-12);
        assertTrue(j.reason().startsWith("error_rate: Prometheus source"), j.reason());
    }

    @Test
    void unvouchedDataAreJudgedAsTheSourceSaysEvenWhenTheyWouldPass() {
        MetricData full = new MetricData.Continuous(normal(1, 60, 120, 3), normal(2, 60, 120, 3));
        Metric m = new Metric(latency().build(), new MetricData.Unvouched(full, Outcome.INCONCLUSIVE,
            "the canary reported 12 of 61 one-minute steps."));
        Judgement j = judgeAll(m);
        MetricOutcome o = j.metrics().get(0);
        assertEquals(Outcome.INCONCLUSIVE, o.outcome());
        assertEquals("the canary reported 12 of 61 one-minute steps.", o.reason());
        assertEquals(60, ((SampleSummary) o.canary()).n(), "the summary still shows what arrived");
        assertEquals(Verdict.HOLD, j.verdict());
    }

    @Test
    void unvouchedDataCannotClaimAnOutcomeThatCouldPromote() {
        MetricData full = new MetricData.Continuous(normal(1, 60, 120, 3), normal(2, 60, 120, 3));
        for (Outcome claimed : List.of(Outcome.PASS, Outcome.HOLD, Outcome.ROLLBACK, Outcome.ERROR)) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new MetricData.Unvouched(full, claimed, "x"), claimed.name());
        }
    }

    @Test
    void annotatedDataAreJudgedWithTheNoteFirst() {
        MetricData counts = new MetricData.Rate(org.canaryjudge.model.Counts.of(new long[] {0}, new long[] {100_000}),
            org.canaryjudge.model.Counts.of(new long[] {0}, new long[] {100_000}));
        Metric m = new Metric(MetricSpec.builder("error_rate").type(MetricType.RATE).hold(Band.absolute(0.005)).build(),
            new MetricData.Annotated(counts, "No error series was returned; counted as zero errors."));
        MetricOutcome o = judgeAll(m).metrics().get(0);
        assertEquals(Outcome.PASS, o.outcome(), o.reason());
        assertTrue(o.reason().startsWith("No error series was returned; counted as zero errors. "), o.reason());
        assertEquals(100_000, ((RateSummary) o.canary()).requests());
    }
}
