package org.canaryjudge.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.canaryjudge.model.Band;
import org.canaryjudge.model.Correlation;
import org.canaryjudge.model.Counts;
import org.canaryjudge.model.Direction;
import org.canaryjudge.model.Effect;
import org.canaryjudge.model.EffectScale;
import org.canaryjudge.model.Interval;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.model.JudgeRequest;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.MetricOutcome;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.MetricType;
import org.canaryjudge.model.Mode;
import org.canaryjudge.model.Outcome;
import org.canaryjudge.model.Series;
import org.canaryjudge.model.Verdict;
import org.canaryjudge.stats.ErrorShareSequence;
import org.canaryjudge.stats.HodgesLehmannInterval;
import org.canaryjudge.stats.RateDifferenceInterval;
import org.canaryjudge.stats.RateRatioInterval;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Property-based tests (QuickTheories) of rate metrics and of sequential mode: sequential intervals
 * are never narrower than fixed ones at the same level, swapping the arms mirrors every interval,
 * the rate guards never let too little evidence pass, the verdict rule holds for mixed requests,
 * anytime p-values are never smaller than fixed ones, and intervals contain their estimates.
 * Every property runs with a fixed seed, so a failure is reproducible.
 */
class SequentialAndRatePropertiesTest {

    private static final long SEED = 0x5EED_5E0_4A7EL;
    private static final int EXAMPLES = 200;

    /** Relative tolerance of the exact ratio interval's inversion (two Beta quantiles and 1 − π). */
    private static final double RATIO_TOL = 1e-9;

    /** Tolerance of the error-share sequence's end points (bisection to 1e-12 of the logit). */
    private static final double SHARE_TOL = 1e-9;

    /** Relative rounding allowance when comparing p-values that are mathematically equal. */
    private static final double P_TOL = 1e-12;

    private static final Judge JUDGE = new Judge();

    // ------------------------------------------------------------------------------------------
    // 1. A sequential interval is never narrower than the fixed one at the same level
    // ------------------------------------------------------------------------------------------

    /**
     * A sequential request of k copies of one continuous metric at level c gives each copy the level
     * 1 − (1 − c)/k; the fixed request of that one metric at that level must give an interval the
     * sequential one contains, on every scale.
     */
    @Test
    void sequentialContinuousIntervalsContainTheFixedOnesAtTheSameLevel() {
        int[] exactPath = {0};
        int[] widened = {0};
        int[] split = {0};
        qt().withFixedSeed(SEED).withExamples(EXAMPLES)
            .forAll(continuousCases(false), confidences(), integers().between(1, 3))
            .checkAssert((cc, conf, k) -> {
                Judgement seq = JUDGE.judge(copies(Mode.SEQUENTIAL, conf, k, cc::metric));
                double perMetric = 1 - (1 - conf) / k;
                MetricOutcome fixed = judgeOne(Mode.FIXED, perMetric, cc.metric("m0"));
                for (MetricOutcome s : seq.metrics()) {
                    assertSequentialContainsFixed(s, fixed, perMetric);
                }
                if (cc.correlation() == Correlation.IGNORE && !cc.hasTies()
                    && cc.baseline().length < 50 && cc.canary().length < 50) {
                    exactPath[0]++;
                }
                if (fixed.reason().contains("widened")) {
                    widened[0]++;
                }
                if (k > 1) {
                    split[0]++;
                }
            });
        assertTrue(exactPath[0] > 5, "fixed intervals on the exact path: " + exactPath[0]);
        assertTrue(widened[0] > 10, "intervals widened for serial correlation: " + widened[0]);
        assertTrue(split[0] > 10, "requests that split α: " + split[0]);
    }

    /** As above for rates: absolute, relative and ratio bands, zero errors on either side included. */
    @Test
    void sequentialRateIntervalsContainTheFixedOnesAtTheSameLevel() {
        Set<EffectScale> scales = EnumSet.noneOf(EffectScale.class);
        int[] zeroErrors = {0};
        qt().withFixedSeed(SEED).withExamples(EXAMPLES)
            .forAll(rateCases(false), confidences(), integers().between(1, 3))
            .checkAssert((rc0, conf, k) -> {
                // Explicit minRequests: the modes' derived guards differ, and both intervals are wanted.
                RateCase rc = rc0.withMinRequests(1);
                Judgement seq = JUDGE.judge(copies(Mode.SEQUENTIAL, conf, k, rc::metric));
                double perMetric = 1 - (1 - conf) / k;
                MetricOutcome fixed = judgeOne(Mode.FIXED, perMetric, rc.metric("m0"));
                for (MetricOutcome s : seq.metrics()) {
                    assertSequentialContainsFixed(s, fixed, perMetric);
                }
                fixed.effects().forEach(e -> scales.add(e.scale()));
                if (rc.baselineErrors() == 0 || rc.canaryErrors() == 0) {
                    zeroErrors[0]++;
                }
            });
        assertEquals(EnumSet.allOf(EffectScale.class), scales);
        assertTrue(zeroErrors[0] > 20, "cases with zero errors on a side: " + zeroErrors[0]);
    }

    private static void assertSequentialContainsFixed(MetricOutcome seq, MetricOutcome fixed, double level) {
        String what = "sequential " + seq + "\nfixed " + fixed;
        assertNotEquals(Outcome.ERROR, seq.outcome(), what);
        assertNotEquals(Outcome.ERROR, fixed.outcome(), what);
        assertFalse(fixed.effects().isEmpty(), what);
        assertEquals(fixed.effects().size(), seq.effects().size(), what);
        for (int i = 0; i < fixed.effects().size(); i++) {
            Effect f = fixed.effects().get(i);
            Effect s = seq.effects().get(i);
            assertEquals(f.scale(), s.scale(), what);
            assertEquals(level, f.confidence(), what);
            assertEquals(level, s.confidence(), () -> "the sequential effect's level; " + what);
            assertTrue(s.interval().contains(f.interval()),
                () -> "sequential " + s.interval() + " must contain fixed " + f.interval() + " on the " + f.scale()
                    + " scale; " + what);
        }
    }

    // ------------------------------------------------------------------------------------------
    // 2. Swapping the arms negates the estimate and mirrors the interval
    // ------------------------------------------------------------------------------------------

    @Test
    void swappingTheArmsMirrorsNewcombesInterval() {
        qt().withFixedSeed(SEED).withExamples(EXAMPLES)
            .forAll(countPairs(), countPairs(), confidences())
            .checkAssert((canary, baseline, conf) -> {
                double[] d = RateDifferenceInterval.newcombe(canary[0], canary[1], baseline[0], baseline[1], conf);
                double[] s = RateDifferenceInterval.newcombe(baseline[0], baseline[1], canary[0], canary[1], conf);
                String what = "canary " + Arrays.toString(canary) + ", baseline " + Arrays.toString(baseline)
                    + " at " + conf + ": " + Arrays.toString(d) + " swapped " + Arrays.toString(s);
                assertEquals(-d[1], s[0], 1e-12, "lower of swapped vs −upper; " + what);
                assertEquals(-d[0], s[1], 1e-12, "upper of swapped vs −lower; " + what);
                assertTrue(d[0] <= d[1], what);
            });
    }

    @Test
    void swappingTheArmsInvertsTheExactRatioInterval() {
        int[] unbounded = {0};
        qt().withFixedSeed(SEED).withExamples(EXAMPLES)
            .forAll(countPairs(), countPairs(), confidences())
            .checkAssert((canary, baseline, conf) -> {
                double[] r = RateRatioInterval.exactConditional(canary[0], canary[1], baseline[0], baseline[1], conf);
                double[] s = RateRatioInterval.exactConditional(baseline[0], baseline[1], canary[0], canary[1], conf);
                String what = "canary " + Arrays.toString(canary) + ", baseline " + Arrays.toString(baseline)
                    + " at " + conf + ": " + Arrays.toString(r) + " swapped " + Arrays.toString(s);
                assertRelativelyClose(1 / r[1], s[0], RATIO_TOL, "lower of swapped vs 1/upper; " + what);
                assertRelativelyClose(1 / r[0], s[1], RATIO_TOL, "upper of swapped vs 1/lower; " + what);
                if (Double.isInfinite(r[1]) || Double.isInfinite(s[1])) {
                    unbounded[0]++;
                }
            });
        assertTrue(unbounded[0] > 10, "cases with an unbounded end: " + unbounded[0]);
    }

    @Test
    void swappingTheArmsMirrorsTheErrorShareSequence() {
        qt().withFixedSeed(SEED).withExamples(EXAMPLES)
            .forAll(countPairs(), countPairs(), confidences())
            .checkAssert((canary, baseline, conf) -> {
                double share = (double) canary[1] / (canary[1] + baseline[1]);
                double alpha = 1 - conf;
                ErrorShareSequence original = new ErrorShareSequence(baseline[0], canary[0], share);
                ErrorShareSequence swapped = new ErrorShareSequence(canary[0], baseline[0], 1 - share);
                double[] l = original.logRatio(alpha);
                double[] s = swapped.logRatio(alpha);
                String what = "errors baseline " + baseline[0] + ", canary " + canary[0] + ", share " + share + " at α = "
                    + alpha + ": " + Arrays.toString(l) + " swapped " + Arrays.toString(s);
                assertClose(-l[1], s[0], SHARE_TOL, "lower of swapped vs −upper; " + what);
                assertClose(-l[0], s[1], SHARE_TOL, "upper of swapped vs −lower; " + what);
                assertClose(original.pValue(), swapped.pValue(), SHARE_TOL, "p-value; " + what);
            });
    }

    /** The judge's absolute effect of a rate in fixed mode: Newcombe's interval, mirrored. */
    @Test
    void swappingTheArmsOfARateMetricMirrorsItsAbsoluteEffectInFixedMode() {
        assertRateSwapMirrorsTheAbsoluteEffect(Mode.FIXED);
    }

    /**
     * In sequential mode: the hull of Newcombe's interval and the normal-mixture confidence sequence
     * for p<sub>c</sub> − p<sub>b</sub>, whose radius c(V)·SE is symmetric in the two arms — as long as
     * its tuning (the horizon) does not depend on which arm is called the baseline.
     */
    @Test
    void swappingTheArmsOfARateMetricMirrorsItsAbsoluteEffectInSequentialMode() {
        assertRateSwapMirrorsTheAbsoluteEffect(Mode.SEQUENTIAL);
    }

    private static void assertRateSwapMirrorsTheAbsoluteEffect(Mode mode) {
        int[] compared = {0};
        qt().withFixedSeed(SEED).withExamples(EXAMPLES)
            .forAll(rateCases(false), confidences())
            .checkAssert((rc0, conf) -> {
                RateCase rc = rc0.withMinRequests(1);
                MetricOutcome o = judgeOne(mode, conf, rc.metric("m"));
                MetricOutcome s = judgeOne(mode, conf, rc.swapped().metric("m"));
                Optional<Effect> a = effectOn(o, EffectScale.ABSOLUTE);
                Optional<Effect> b = effectOn(s, EffectScale.ABSOLUTE);
                assertEquals(a.isPresent(), b.isPresent(), () -> o + "\nswapped " + s);
                if (a.isPresent()) {
                    String what = mode + " " + a.get() + "\nswapped " + b.get();
                    assertSame(-a.get().estimate(), b.get().estimate(), "estimate; " + what);
                    assertSame(-a.get().interval().upper(), b.get().interval().lower(), "lower vs −upper; " + what);
                    assertSame(-a.get().interval().lower(), b.get().interval().upper(), "upper vs −lower; " + what);
                    compared[0]++;
                }
            });
        assertTrue(compared[0] > 50, "absolute effects compared: " + compared[0]);
    }

    @Test
    void swappingTheSamplesMirrorsTheSequentialHodgesLehmannInterval() {
        qt().withFixedSeed(SEED).withExamples(EXAMPLES)
            .forAll(continuousCases(false), doubles().between(0.2, 6.0), confidences(), inflations())
            .checkAssert((cc, critical, conf, inflation) -> {
                double[] x = cc.canary();
                double[] y = cc.baseline();
                HodgesLehmannInterval xy = HodgesLehmannInterval.withCriticalValue(x, y, critical, conf, inflation);
                HodgesLehmannInterval yx = HodgesLehmannInterval.withCriticalValue(y, x, critical, conf, inflation);
                String what = "critical " + critical + ", inflation " + inflation + ": " + xy + " swapped " + yx;
                assertSame(-xy.estimate(), yx.estimate(), "estimate; " + what);
                assertSame(-xy.upper(), yx.lower(), "lower vs −upper; " + what);
                assertSame(-xy.lower(), yx.upper(), "upper vs −lower; " + what);
            });
    }

    /** Through the judge: information, serial-correlation inflation and critical value are symmetric too. */
    @Test
    void swappingTheArmsOfAContinuousMetricMirrorsItsSequentialAbsoluteEffect() {
        int[] compared = {0};
        qt().withFixedSeed(SEED).withExamples(EXAMPLES)
            .forAll(continuousCases(false), confidences())
            .checkAssert((drawn, conf) -> {
                // Correlation ADJUST reads serial correlation from the baseline alone, so swapping which
                // side is the control may rightly change the width; the mirror holds without it.
                ContinuousCase cc = new ContinuousCase(drawn.common(), Correlation.IGNORE, drawn.baseline(), drawn.canary());
                MetricOutcome o = judgeOne(Mode.SEQUENTIAL, conf, cc.metric("m"));
                MetricOutcome s = judgeOne(Mode.SEQUENTIAL, conf, cc.swapped().metric("m"));
                assertSame(o.pValue(), s.pValue(), "anytime p-value; " + o + "\nswapped " + s);
                Optional<Effect> a = effectOn(o, EffectScale.ABSOLUTE);
                Optional<Effect> b = effectOn(s, EffectScale.ABSOLUTE);
                assertEquals(a.isPresent(), b.isPresent());
                if (a.isPresent()) {
                    String what = a.get() + "\nswapped " + b.get();
                    assertSame(-a.get().estimate(), b.get().estimate(), "estimate; " + what);
                    assertSame(-a.get().interval().upper(), b.get().interval().lower(), "lower vs −upper; " + what);
                    assertSame(-a.get().interval().lower(), b.get().interval().upper(), "upper vs −lower; " + what);
                    compared[0]++;
                }
            });
        assertTrue(compared[0] > 50, "absolute effects compared: " + compared[0]);
    }

    // ------------------------------------------------------------------------------------------
    // 3. The rate guards: too few requests, no baseline errors
    // ------------------------------------------------------------------------------------------

    @Test
    void fewerRequestsThanAnExplicitMinRequestsIsNeverAPass() {
        Set<Outcome> seen = EnumSet.noneOf(Outcome.class);
        qt().withFixedSeed(SEED).withExamples(EXAMPLES)
            .forAll(rateCases(true), integers().between(0, 1000), confidences(), Generate.enumValues(Mode.class))
            .checkAssert((rc, extra, conf, mode) -> {
                long fewest = Math.min(rc.baselineRequests(), rc.canaryRequests());
                int min = (int) Math.min(Integer.MAX_VALUE, fewest + 1 + extra);
                MetricOutcome o = judgeOne(mode, conf, rc.withMinRequests(min).metric("m"));
                Outcome expected = fewest == 0 ? Outcome.NODATA : Outcome.INCONCLUSIVE;
                assertEquals(expected, o.outcome(), () -> mode + ", " + min + " requests needed: " + o);
                assertTrue(o.effects().isEmpty(), o::toString);
                seen.add(o.outcome());
            });
        assertEquals(EnumSet.of(Outcome.NODATA, Outcome.INCONCLUSIVE), seen);
    }

    /**
     * Without minRequests, each side needs 3/d requests (6/d in sequential mode: the contract's
     * example, 1,200 for half a point), d the hold band's width in rate units on the harmful side
     * (at the baseline's rate for a relative or ratio band). When neither side is short, the canary
     * is cut short; otherwise the generated case already is.
     */
    @Test
    void fewerRequestsThanTheDerivedMinimumIsNeverAPass() {
        int[] shortBaseline = {0};
        int[] shortCanary = {0};
        Set<Mode> modes = EnumSet.noneOf(Mode.class);
        qt().withFixedSeed(SEED).withExamples(EXAMPLES)
            .forAll(rateCases(false), confidences(), Generate.enumValues(Mode.class), doubles().between(0, 1))
            .checkAssert((rc0, conf, mode, cut) -> {
                long needed = derivedMinRequests(rc0, mode);
                if (needed <= 1) {
                    // No baseline errors under a relative band: no width, no guard (property below).
                    return;
                }
                RateCase rc = rc0;
                if (rc.baselineRequests() >= needed && rc.canaryRequests() >= needed) {
                    long nc = 1 + (long) (cut * (needed - 2));
                    long ec = Math.min(nc, Math.round(rc.canaryRate() * nc));
                    rc = rc.withCanary(new long[] {ec}, new long[] {nc});
                }
                MetricOutcome o = judgeOne(mode, conf, rc.metric("m"));
                String what = mode + ", " + needed + " needed: " + rc + "\n" + o;
                assertNotEquals(Outcome.PASS, o.outcome(), what);
                assertEquals(Outcome.INCONCLUSIVE, o.outcome(), what);
                assertTrue(o.reason().startsWith("too few "), what);
                if (rc.baselineRequests() < needed) {
                    shortBaseline[0]++;
                } else {
                    shortCanary[0]++;
                }
                modes.add(mode);
            });
        assertTrue(shortBaseline[0] > 10, "cases with a short baseline: " + shortBaseline[0]);
        assertTrue(shortCanary[0] > 10, "cases with a short canary: " + shortCanary[0]);
        assertEquals(EnumSet.allOf(Mode.class), modes);
    }

    private static long derivedMinRequests(RateCase rc, Mode mode) {
        Band band = rc.common().hold() != null ? rc.common().hold() : rc.common().rollback();
        Interval allowed = band.allowed(rc.common().direction());
        double width = Math.min(allowed.upper(), -allowed.lower());
        if (band.kind() != Band.Kind.ABSOLUTE) {
            width *= rc.baselineRate();
        }
        if (!(width > 0)) {
            return 1;
        }
        return (long) Math.ceil((mode == Mode.SEQUENTIAL ? 6 : 3) / width);
    }

    /**
     * No baseline errors leave the rate ratio unbounded above, so a relative or ratio band that limits
     * increases (direction increase or either) can never be shown to hold. (With direction decrease
     * the unbounded end is harmless, and a pass is legitimate.)
     */
    @Test
    void zeroBaselineErrorsUnderARelativeOrRatioBandAreNeverAPass() {
        Set<Outcome> seen = EnumSet.noneOf(Outcome.class);
        qt().withFixedSeed(SEED).withExamples(EXAMPLES)
            .forAll(rateCases(true), confidences(), Generate.enumValues(Mode.class),
                Generate.pick(List.of(Direction.INCREASE, Direction.EITHER)))
            .checkAssert((rc0, conf, mode, direction) -> {
                RateCase rc = rc0.withoutBaselineErrors().withRelativeBands(direction);
                MetricOutcome o = judgeOne(mode, conf, rc.metric("m"));
                String what = mode + ": " + rc + "\n" + o;
                assertNotEquals(Outcome.PASS, o.outcome(), what);
                assertNotEquals(Outcome.ERROR, o.outcome(), what);
                for (Effect e : o.effects()) {
                    assertEquals(Double.POSITIVE_INFINITY, e.interval().upper(), what);
                }
                seen.add(o.outcome());
            });
        assertTrue(seen.contains(Outcome.INCONCLUSIVE), "outcomes: " + seen);
    }

    // ------------------------------------------------------------------------------------------
    // 4. The verdict rule in sequential mode, continuous and rate metrics mixed
    // ------------------------------------------------------------------------------------------

    @Test
    void aMixedSequentialRequestPromotesOnlyWhenEveryMetricPasses() {
        Set<Verdict> verdicts = EnumSet.noneOf(Verdict.class);
        Set<MetricType> passedTypes = EnumSet.noneOf(MetricType.class);
        int[] mixed = {0};
        qt().withFixedSeed(SEED).withExamples(EXAMPLES)
            .forAll(mixedRequests())
            .checkAssert(req -> {
                Judgement j = JUDGE.judge(req.request());
                List<MetricOutcome> ms = j.metrics();
                String what = j.toString();
                assertEquals(Mode.SEQUENTIAL, j.mode());
                assertEquals(req.cases().size(), ms.size());
                boolean allPass = ms.stream().allMatch(o -> o.outcome() == Outcome.PASS);
                boolean anyRollback = ms.stream().anyMatch(o -> o.outcome() == Outcome.ROLLBACK);
                if (!allPass) {
                    assertNotEquals(Verdict.PROMOTE, j.verdict(), what);
                }
                Verdict expected = anyRollback ? Verdict.ROLLBACK : allPass ? Verdict.PROMOTE : Verdict.HOLD;
                assertEquals(expected, j.verdict(), what);
                assertTrue(j.score() >= 0 && j.score() <= 100, () -> "score " + j.score() + " of " + what);
                double total = 0;
                double passed = 0;
                for (int i = 0; i < ms.size(); i++) {
                    double w = req.cases().get(i).common().weight();
                    total += w;
                    if (ms.get(i).outcome() == Outcome.PASS) {
                        passed += w;
                        passedTypes.add(req.cases().get(i).type());
                    }
                }
                assertEquals(100 * passed / total, j.score(), 1e-9, what);
                for (MetricOutcome o : ms) {
                    assertNotEquals(Outcome.ERROR, o.outcome(), o::toString);
                }
                if (req.cases().stream().map(MetricCase::type).distinct().count() == 2) {
                    mixed[0]++;
                }
                verdicts.add(j.verdict());
            });
        assertEquals(EnumSet.allOf(Verdict.class), verdicts, "verdicts exercised");
        assertEquals(EnumSet.of(MetricType.CONTINUOUS, MetricType.RATE), passedTypes, "metric types the generator makes, each passing");
        assertTrue(mixed[0] > 50, "requests mixing both types: " + mixed[0]);
    }

    // ------------------------------------------------------------------------------------------
    // 5. Anytime p-values are never smaller than fixed-mode ones
    // ------------------------------------------------------------------------------------------

    @Test
    void anytimePValuesOfAContinuousMetricAreNeverSmallerThanFixedOnes() {
        int[] small = {0};
        qt().withFixedSeed(SEED).withExamples(EXAMPLES)
            .forAll(continuousCases(false), confidences())
            .checkAssert((cc, conf) -> {
                MetricOutcome f = judgeOne(Mode.FIXED, conf, cc.metric("m"));
                MetricOutcome s = judgeOne(Mode.SEQUENTIAL, conf, cc.metric("m"));
                assertPValuesOrdered(f, s);
                if (f.pValue() < 0.05) {
                    small[0]++;
                }
            });
        assertTrue(small[0] > 20, "cases with a fixed p below 0.05: " + small[0]);
    }

    @Test
    void anytimePValuesOfARateMetricAreNeverSmallerThanFixedOnes() {
        int[] small = {0};
        qt().withFixedSeed(SEED).withExamples(EXAMPLES)
            .forAll(rateCases(false), confidences())
            .checkAssert((rc0, conf) -> {
                RateCase rc = rc0.withMinRequests(1);
                MetricOutcome f = judgeOne(Mode.FIXED, conf, rc.metric("m"));
                MetricOutcome s = judgeOne(Mode.SEQUENTIAL, conf, rc.metric("m"));
                assertPValuesOrdered(f, s);
                if (f.pValue() < 0.05) {
                    small[0]++;
                }
            });
        assertTrue(small[0] > 20, "cases with a fixed p below 0.05: " + small[0]);
    }

    private static void assertPValuesOrdered(MetricOutcome fixed, MetricOutcome seq) {
        String what = "fixed " + fixed + "\nsequential " + seq;
        assertTrue(fixed.pValue() >= 0 && fixed.pValue() <= 1, what);
        assertTrue(seq.pValue() >= 0 && seq.pValue() <= 1, what);
        // Rounding only: with a single error the Bayes factor is exactly 1 (the prior's mean share is the
        // traffic share), yet log-Beta differences give 0.99999999999997 against the exact test's 1.
        assertTrue(seq.pValue() >= fixed.pValue() * (1 - P_TOL),
            () -> "anytime p " + seq.pValue() + " < fixed p " + fixed.pValue() + "; " + what);
    }

    // ------------------------------------------------------------------------------------------
    // 6. Intervals contain their (finite) estimates
    // ------------------------------------------------------------------------------------------

    @Test
    void continuousIntervalsContainTheirEstimatesInBothModes() {
        qt().withFixedSeed(SEED).withExamples(EXAMPLES)
            .forAll(continuousCases(true), confidences(), Generate.enumValues(Mode.class))
            .checkAssert((cc, conf, mode) -> {
                MetricOutcome o = judgeOne(mode, conf, cc.metric("m"));
                assertFalse(o.effects().isEmpty(), o::toString);
                for (Effect e : o.effects()) {
                    assertTrue(Double.isFinite(e.estimate()), o::toString);
                    assertTrue(e.interval().contains(e.estimate()), () -> mode + ": " + e);
                }
            });
    }

    @Test
    void rateIntervalsContainTheirFiniteEstimatesInBothModes() {
        int[] checked = {0};
        int[] skipped = {0};
        qt().withFixedSeed(SEED).withExamples(EXAMPLES)
            .forAll(rateCases(true), confidences(), Generate.enumValues(Mode.class))
            .checkAssert((rc0, conf, mode) -> {
                RateCase rc = rc0.withMinRequests(1);
                MetricOutcome o = judgeOne(mode, conf, rc.metric("m"));
                if (rc.baselineRequests() == 0 || rc.canaryRequests() == 0) {
                    assertEquals(Outcome.NODATA, o.outcome(), o::toString);
                    return;
                }
                assertFalse(o.effects().isEmpty(), o::toString);
                for (Effect e : o.effects()) {
                    if (!Double.isFinite(e.estimate())) {
                        // Only a ratio over a baseline without errors has no finite estimate.
                        assertEquals(EffectScale.RELATIVE, e.scale(), o::toString);
                        assertEquals(0, rc.baselineErrors(), o::toString);
                        skipped[0]++;
                        continue;
                    }
                    assertTrue(e.interval().contains(e.estimate()), () -> mode + ": " + e + " of " + rc);
                    checked[0]++;
                }
            });
        assertTrue(checked[0] > 100, "finite estimates checked: " + checked[0]);
        assertTrue(skipped[0] > 5, "non-finite estimates skipped: " + skipped[0]);
    }

    // ------------------------------------------------------------------------------------------
    // Generated metrics
    // ------------------------------------------------------------------------------------------

    /**
     * The specification parameters a continuous and a rate metric share.
     *
     * @param confidence the metric's own level, or null for the request's
     * @param horizon the planned observations per side, or null for the judge's default
     */
    record Common(Direction direction, Band hold, Band rollback, boolean critical, double weight, Double confidence,
                  Integer horizon) {

        MetricSpec.Builder builder(String name, MetricType type) {
            return MetricSpec.builder(name).type(type).direction(direction).hold(hold).rollback(rollback)
                .critical(critical).weight(weight).confidence(confidence).horizon(horizon);
        }
    }

    /** One metric of a request. */
    sealed interface MetricCase permits ContinuousCase, RateCase {
        Common common();

        MetricType type();

        Metric metric(String name);
    }

    record ContinuousCase(Common common, Correlation correlation, double[] baseline, double[] canary)
        implements MetricCase {

        @Override
        public MetricType type() {
            return MetricType.CONTINUOUS;
        }

        @Override
        public Metric metric(String name) {
            MetricSpec spec = common.builder(name, MetricType.CONTINUOUS).correlation(correlation).build();
            return new Metric(spec, Series.of(baseline), Series.of(canary));
        }

        ContinuousCase swapped() {
            return new ContinuousCase(common, correlation, canary, baseline);
        }

        boolean hasTies() {
            double[] pooled = new double[baseline.length + canary.length];
            System.arraycopy(baseline, 0, pooled, 0, baseline.length);
            System.arraycopy(canary, 0, pooled, baseline.length, canary.length);
            return Arrays.stream(pooled).distinct().count() < pooled.length;
        }

        @Override
        public String toString() {
            return "ContinuousCase[" + common + ", " + correlation + ", baseline=" + Arrays.toString(baseline)
                + ", canary=" + Arrays.toString(canary) + "]";
        }
    }

    record RateCase(Common common, Integer minRequests, long[] baselineErrorsPer, long[] baselineRequestsPer,
                    long[] canaryErrorsPer, long[] canaryRequestsPer) implements MetricCase {

        @Override
        public MetricType type() {
            return MetricType.RATE;
        }

        @Override
        public Metric metric(String name) {
            MetricSpec spec = common.builder(name, MetricType.RATE).minRequests(minRequests).build();
            return new Metric(spec, Counts.of(baselineErrorsPer, baselineRequestsPer),
                Counts.of(canaryErrorsPer, canaryRequestsPer));
        }

        long baselineErrors() {
            return Arrays.stream(baselineErrorsPer).sum();
        }

        long baselineRequests() {
            return Arrays.stream(baselineRequestsPer).sum();
        }

        long canaryErrors() {
            return Arrays.stream(canaryErrorsPer).sum();
        }

        long canaryRequests() {
            return Arrays.stream(canaryRequestsPer).sum();
        }

        double baselineRate() {
            return (double) baselineErrors() / baselineRequests();
        }

        double canaryRate() {
            return canaryRequests() == 0 ? 0 : (double) canaryErrors() / canaryRequests();
        }

        RateCase withMinRequests(Integer n) {
            return new RateCase(common, n, baselineErrorsPer, baselineRequestsPer, canaryErrorsPer, canaryRequestsPer);
        }

        RateCase withCanary(long[] errors, long[] requests) {
            return new RateCase(common, minRequests, baselineErrorsPer, baselineRequestsPer, errors, requests);
        }

        RateCase withoutBaselineErrors() {
            return new RateCase(common, minRequests, new long[baselineErrorsPer.length], baselineRequestsPer,
                canaryErrorsPer, canaryRequestsPer);
        }

        /** The same case with its bands restated as relative or ratio bands, and the given direction. */
        RateCase withRelativeBands(Direction direction) {
            Band hold = relativeOf(common.hold());
            Band rollback = relativeOf(common.rollback());
            if (hold != null && rollback != null && !rollback.allowed(direction).contains(hold.allowed(direction))) {
                rollback = null;
            }
            if (hold == null && rollback == null) {
                hold = Band.ratio(2);
            }
            Common c = new Common(direction, hold, rollback, common.critical(), common.weight(), common.confidence(),
                common.horizon());
            return new RateCase(c, minRequests, baselineErrorsPer, baselineRequestsPer, canaryErrorsPer,
                canaryRequestsPer);
        }

        private static Band relativeOf(Band band) {
            if (band == null || band.kind() != Band.Kind.ABSOLUTE) {
                return band;
            }
            // An absolute rate band of 0.0005–0.05 becomes a relative one of 5–500 %.
            return Band.relative(band.amount() * 100);
        }

        RateCase swapped() {
            return new RateCase(common, minRequests, canaryErrorsPer, canaryRequestsPer, baselineErrorsPer,
                baselineRequestsPer);
        }

        @Override
        public String toString() {
            return "RateCase[" + common + ", minRequests=" + minRequests + ", baseline "
                + Arrays.toString(baselineErrorsPer) + "/" + Arrays.toString(baselineRequestsPer) + " (" + baselineErrors()
                + "/" + baselineRequests() + "), canary " + Arrays.toString(canaryErrorsPer) + "/"
                + Arrays.toString(canaryRequestsPer) + " (" + canaryErrors() + "/" + canaryRequests() + ")]";
        }
    }

    /** A sequential request of 1–4 metrics, continuous and rate mixed. */
    record RequestCase(double confidence, List<MetricCase> cases) {
        JudgeRequest request() {
            List<Metric> metrics = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                metrics.add(cases.get(i).metric("m" + i));
            }
            return new JudgeRequest("req", Mode.SEQUENTIAL, confidence, metrics);
        }
    }

    private static Gen<RequestCase> mixedRequests() {
        Gen<Boolean> continuous = Generate.booleans();
        Gen<ContinuousCase> continuousCases = continuousCases(true);
        Gen<RateCase> rateCases = rateCases(true);
        Gen<MetricCase> one = in -> continuous.generate(in) ? continuousCases.generate(in) : rateCases.generate(in);
        Gen<List<MetricCase>> cases = lists().of(one).ofSizeBetween(1, 4);
        return confidences().zip(cases, RequestCase::new);
    }

    /**
     * Random valid specifications: any direction; absolute, relative or ratio hold and/or rollback
     * bands, the rollback band never tighter than the hold band on the same scale. With
     * {@code extras}, a critical flag, a weight and the metric's own level too.
     */
    private static Gen<Common> commons(boolean rate, boolean extras, double level) {
        Gen<Direction> directions = Generate.enumValues(Direction.class);
        Gen<Integer> bandChoices = integers().between(0, 2);
        Gen<Band.Kind> kinds = Generate.enumValues(Band.Kind.class);
        Gen<Double> amounts = doubles().between(0.02, 1.0);
        Gen<Double> widenings = doubles().between(1.0, 4.0);
        Gen<Boolean> booleans = Generate.booleans();
        Gen<Double> weights = doubles().between(0.1, 10);
        Gen<Optional<Double>> metricConfidences = confidences().toOptionals(50);
        Gen<Optional<Integer>> horizons = integers().between(2, 100_000).toOptionals(50);
        return in -> {
            Direction direction = directions.generate(in);
            int choice = bandChoices.generate(in);
            Band hold = choice == 1 ? null : band(kinds.generate(in), amounts.generate(in), level, rate);
            Band rollback = choice == 0 ? null : band(kinds.generate(in), amounts.generate(in), level, rate);
            if (hold != null && rollback != null && hold.scale() == rollback.scale()
                && !rollback.allowed(direction).contains(hold.allowed(direction))) {
                // Keep the contract's rule: the rollback band is the hold band widened.
                double f = widenings.generate(in);
                rollback = new Band(hold.kind(),
                    hold.kind() == Band.Kind.RATIO ? 1 + (hold.amount() - 1) * f : hold.amount() * f);
            }
            Integer horizon = horizons.generate(in).orElse(null);
            if (!extras) {
                return new Common(direction, hold, rollback, false, 1, null, horizon);
            }
            return new Common(direction, hold, rollback, booleans.generate(in), weights.generate(in),
                metricConfidences.generate(in).orElse(null), horizon);
        };
    }

    private static Band band(Band.Kind kind, double amount, double level, boolean rate) {
        return switch (kind) {
            // Rates: 0.1 to 5 points.
            case ABSOLUTE -> Band.absolute(rate ? amount * 0.05 : amount * level);
            case RELATIVE -> Band.relative(amount);
            case RATIO -> Band.ratio(1 + 2 * amount);
        };
    }

    /**
     * Continuous metrics over positive data, 10–120 points a side: baseline L·(1 + w·v), canary
     * L·(1 + shift)·(1 + w·v) with v an AR(1)-smoothed uniform noise in [−1, 1] (lag-1 coefficient
     * 0, 0.5 or 0.9), half of them rounded to a grid of L/20 (ties); without rounding the pooled
     * sample has no ties.
     */
    private static Gen<ContinuousCase> continuousCases(boolean extras) {
        Gen<Double> levels = Generate.pick(List.of(1e-3, 1.0, 250.0, 1e5));
        Gen<Correlation> correlations = Generate.enumValues(Correlation.class);
        Gen<Double> shifts = Generate.constant(0.0).mix(doubles().between(-0.5, 1.0), 60);
        Gen<Double> noises = doubles().between(0.001, 0.05).mix(doubles().between(0.0, 0.9), 50);
        Gen<Double> phis = Generate.pick(List.of(0.0, 0.0, 0.5, 0.9));
        Gen<Boolean> booleans = Generate.booleans();
        // Half the sides below 50 points, so that tie-free fixed intervals take the exact path.
        Gen<List<Double>> points = lists().of(doubles().between(-1, 1)).ofSizeBetween(10, 49)
            .mix(lists().of(doubles().between(-1, 1)).ofSizeBetween(50, 120), 50);
        return in -> {
            double level = levels.generate(in);
            Common common = commons(false, extras, level).generate(in);
            Correlation correlation = correlations.generate(in);
            double shift = shifts.generate(in);
            double noise = noises.generate(in);
            double phi = phis.generate(in);
            boolean quantize = booleans.generate(in);
            double[] baseline = series(points.generate(in), level, noise, phi, quantize);
            double[] canary = series(points.generate(in), level * (1 + shift), noise, phi, quantize);
            return new ContinuousCase(common, correlation, baseline, canary);
        };
    }

    private static double[] series(List<Double> u, double level, double noise, double phi, boolean quantize) {
        double[] v = new double[u.size()];
        double step = level * 0.05;
        double ar = 0;
        for (int i = 0; i < v.length; i++) {
            ar = phi * ar + (1 - phi) * u.get(i);
            double value = level * (1 + noise * ar);
            if (quantize) {
                value = Math.max(step, Math.round(value / step) * step);
            }
            v[i] = value;
        }
        return v;
    }

    /**
     * Rate metrics: 1–4 intervals a side of up to 100, 2,000, 50,000 or 500,000 requests each, with
     * error counts near rate·n. A quarter of baselines and a fifth of canaries have no errors at all;
     * the other rates run from 0.01 % to 60 %. With {@code extras}, sides without requests (NODATA),
     * an explicit minRequests, a critical flag, a weight and the metric's own level too.
     */
    private static Gen<RateCase> rateCases(boolean extras) {
        Gen<Integer> intervals = integers().between(1, 4);
        Gen<Long> sizes = Generate.pick(List.of(100L, 2_000L, 50_000L, 500_000L));
        Gen<Double> logRates = doubles().between(Math.log(1e-4), Math.log(0.05)).mix(
            doubles().between(Math.log(0.05), Math.log(0.6)), 15);
        Gen<Integer> percent = integers().between(1, 100);
        Gen<Double> shifts = Generate.constant(0.0).mix(doubles().between(-0.9, 3.0), 60);
        Gen<Double> noises = doubles().between(-2, 2);
        Gen<Long> fractions = longs().between(0, 1_000_000);
        Gen<Optional<Integer>> minRequests = integers().between(1, 5_000).toOptionals(70);
        return in -> {
            Common common = commons(true, extras, 1).generate(in);
            double baseRate = percent.generate(in) <= 25 ? 0 : Math.exp(logRates.generate(in));
            double canaryRate = percent.generate(in) <= 20 ? 0
                : baseRate > 0 ? Math.min(1, baseRate * (1 + shifts.generate(in))) : Math.exp(logRates.generate(in));
            long size = sizes.generate(in);
            boolean emptySides = extras && percent.generate(in) <= 5;
            long[][] b = counts(in, intervals.generate(in), size, baseRate, emptySides, fractions, noises);
            long[][] c = counts(in, intervals.generate(in), size, canaryRate, emptySides, fractions, noises);
            Integer min = extras ? minRequests.generate(in).orElse(null) : null;
            return new RateCase(common, min, b[0], b[1], c[0], c[1]);
        };
    }

    /** {errors, requests} per interval: requests in [1, size] (or 0 when empty), errors ≈ rate·n. */
    private static long[][] counts(org.quicktheories.core.RandomnessSource in, int intervals, long size, double rate,
                                   boolean empty, Gen<Long> fractions, Gen<Double> noises) {
        long[] errors = new long[intervals];
        long[] requests = new long[intervals];
        for (int i = 0; i < intervals; i++) {
            long n = empty ? 0 : 1 + fractions.generate(in) * (size - 1) / 1_000_000;
            double mean = rate * n;
            long e = rate == 0 ? 0 : Math.round(mean + noises.generate(in) * Math.sqrt(mean * (1 - rate) + 0.25));
            requests[i] = n;
            errors[i] = Math.max(0, Math.min(n, e));
        }
        return new long[][] {errors, requests};
    }

    /** {errors, requests} totals for the stats classes: 1–500,000 requests, zero errors often. */
    private static Gen<long[]> countPairs() {
        Gen<Long> requests = Generate.pick(List.of(20L, 1_000L, 500_000L)).zip(longs().between(0, 1_000_000),
            (size, f) -> 1 + f * (size - 1) / 1_000_000);
        Gen<Double> shares = Generate.constant(0.0).mix(doubles().between(0, 0.05).mix(doubles().between(0, 1), 20), 75);
        return requests.zip(shares, (n, share) -> new long[] {Math.min(n, Math.round(share * n)), n});
    }

    private static Gen<Double> confidences() {
        return doubles().between(0.51, 0.999);
    }

    private static Gen<Double> inflations() {
        return Generate.constant(1.0).mix(doubles().between(1.0, 6.0), 50);
    }

    // ------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------

    private static MetricOutcome judgeOne(Mode mode, double confidence, Metric metric) {
        return JUDGE.judge(new JudgeRequest(null, mode, confidence, List.of(metric))).metrics().get(0);
    }

    private static JudgeRequest copies(Mode mode, double confidence, int k,
                                       java.util.function.Function<String, Metric> metric) {
        List<Metric> metrics = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            metrics.add(metric.apply("m" + i));
        }
        return new JudgeRequest(null, mode, confidence, metrics);
    }

    private static Optional<Effect> effectOn(MetricOutcome o, EffectScale scale) {
        return o.effects().stream().filter(e -> e.scale() == scale).findFirst();
    }

    /** Numeric equality (0.0 equals −0.0), with a message. */
    private static void assertSame(double expected, double actual, String message) {
        assertTrue(expected == actual, () -> message + ": expected " + expected + " but was " + actual);
    }

    /** Equal infinities, or |expected − actual| ≤ tol·max(1, |expected|). */
    private static void assertClose(double expected, double actual, double tol, String message) {
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
            assertSame(expected, actual, message);
        } else {
            assertEquals(expected, actual, tol * Math.max(1, Math.abs(expected)), message);
        }
    }

    /** Equal when 0 or infinite, else within tol relative. */
    private static void assertRelativelyClose(double expected, double actual, double tol, String message) {
        if (expected == 0 || Double.isInfinite(expected) || actual == 0 || Double.isInfinite(actual)) {
            assertSame(expected, actual, message);
        } else {
            assertEquals(expected, actual, tol * Math.abs(expected), message);
        }
    }
}
