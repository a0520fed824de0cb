package org.canaryjudge.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.canaryjudge.model.Band;
import org.canaryjudge.model.Correlation;
import org.canaryjudge.model.Direction;
import org.canaryjudge.model.Effect;
import org.canaryjudge.model.EffectScale;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.model.JudgeRequest;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.MetricOutcome;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.Mode;
import org.canaryjudge.model.Outcome;
import org.canaryjudge.model.Series;
import org.canaryjudge.model.Verdict;
import org.canaryjudge.stats.HodgesLehmannInterval;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Property-based tests (QuickTheories) of the Hodges–Lehmann interval's equivariances and of the
 * judge's decision rule. Every property runs with a fixed seed, so a failure is reproducible.
 */
class JudgePropertiesTest {

    private static final long SEED = 0x5EED_CA4A_41L;
    private static final int EXAMPLES = 200;

    /** Relative tolerance for results that go through one rounding of x + c or s·x. */
    private static final double REL_TOL = 1e-12;

    private static final Judge JUDGE = new Judge();

    // ------------------------------------------------------------------------------------------
    // Generated data
    // ------------------------------------------------------------------------------------------

    /** A canary sample x and a baseline sample y. */
    record Samples(double[] x, double[] y) {
        double magnitude() {
            return maxAbs(x) + maxAbs(y);
        }

        @Override
        public String toString() {
            return "x (canary) = " + Arrays.toString(x) + ", y (baseline) = " + Arrays.toString(y);
        }
    }

    private static final List<Double> UNITS = List.of(1e-6, 1e-3, 1.0, 1e3, 1e6);

    /**
     * Values k + f − 40 for strictly increasing integers k and fractions f in [fracLo, fracHi]:
     * distinct within the sample; two samples with disjoint fraction ranges never share a value.
     */
    private static Gen<double[]> latticeSample(int minSize, int maxSize, double fracLo, double fracHi) {
        Gen<Integer> starts = integers().between(0, 30);
        Gen<List<Integer>> steps = lists().of(integers().between(1, 4)).ofSizeBetween(minSize, maxSize);
        Gen<Double> fractions = doubles().between(fracLo, fracHi);
        return in -> {
            long k = starts.generate(in);
            List<Integer> st = steps.generate(in);
            double[] v = new double[st.size()];
            for (int i = 0; i < v.length; i++) {
                k += st.get(i);
                v[i] = k + fractions.generate(in) - 40;
            }
            return v;
        };
    }

    /** Continuous samples without ties anywhere in the pooled sample, sizes in [min, max]. */
    private static Gen<Samples> continuousSamples(int minSize, int maxSize) {
        Gen<double[]> xs = latticeSample(minSize, maxSize, 0.55, 0.95);
        Gen<double[]> ys = latticeSample(minSize, maxSize, 0.05, 0.45);
        Gen<Double> units = Generate.pick(UNITS);
        return xs.zip(ys, units, (x, y, u) -> new Samples(times(x, u), times(y, u)));
    }

    /** Samples from the small grid {−4, …, 5}·unit, sizes 11–120: always tied within each sample. */
    private static Gen<Samples> gridSamples() {
        Gen<List<Integer>> grid = lists().of(integers().between(-4, 5)).ofSizeBetween(11, 120);
        Gen<Double> units = Generate.pick(UNITS);
        return grid.zip(grid, units, (x, y, u) -> new Samples(times(toArray(x), u), times(toArray(y), u)));
    }

    /** Inputs of the exact path: no ties, 3–49 values a side. */
    private static Gen<Samples> exactSamples() {
        return continuousSamples(3, 49);
    }

    /** Inputs of the asymptotic path: tied grid data, or tie-free samples of 50–120 values. */
    private static Gen<Samples> asymptoticSamples() {
        return gridSamples().mix(continuousSamples(50, 120), 40);
    }

    /** Everything: both paths. */
    private static Gen<Samples> anySamples() {
        return exactSamples().mix(asymptoticSamples(), 50);
    }

    private static Gen<Double> confidences() {
        return doubles().between(0.51, 0.999);
    }

    /** Variance inflation: 1 (no serial correlation) half the time, else up to 6. */
    private static Gen<Double> inflations() {
        return Generate.constant(1.0).mix(doubles().between(1.0, 6.0), 50);
    }

    // ------------------------------------------------------------------------------------------
    // 1. Swapping canary and baseline negates the estimate and mirrors the interval
    // ------------------------------------------------------------------------------------------

    @Test
    void swappingSidesNegatesTheEstimateAndMirrorsTheIntervalOnTheExactPath() {
        qt().withFixedSeed(SEED).withExamples(EXAMPLES)
            .forAll(exactSamples(), confidences())
            .checkAssert((s, conf) -> {
                HodgesLehmannInterval xy = HodgesLehmannInterval.of(s.x(), s.y(), conf, 1);
                HodgesLehmannInterval yx = HodgesLehmannInterval.of(s.y(), s.x(), conf, 1);
                assertEquals(HodgesLehmannInterval.Method.EXACT, xy.method(), "generator must hit the exact path");
                assertEquals(HodgesLehmannInterval.Method.EXACT, yx.method());
                assertMirrored(xy, yx);
            });
    }

    @Test
    void swappingSidesNegatesTheEstimateAndMirrorsTheIntervalOnTheAsymptoticPath() {
        qt().withFixedSeed(SEED).withExamples(EXAMPLES)
            .forAll(asymptoticSamples(), confidences(), inflations())
            .checkAssert((s, conf, inflation) -> {
                HodgesLehmannInterval xy = HodgesLehmannInterval.of(s.x(), s.y(), conf, inflation);
                HodgesLehmannInterval yx = HodgesLehmannInterval.of(s.y(), s.x(), conf, inflation);
                assertEquals(HodgesLehmannInterval.Method.ASYMPTOTIC, xy.method(),
                    "generator must hit the asymptotic path");
                assertEquals(HodgesLehmannInterval.Method.ASYMPTOTIC, yx.method());
                assertMirrored(xy, yx);
            });
    }

    /** Floating-point subtraction is exactly antisymmetric, so the mirror image is exact. */
    private static void assertMirrored(HodgesLehmannInterval xy, HodgesLehmannInterval yx) {
        assertSame(-xy.estimate(), yx.estimate(), "estimate of HL(y, x) vs −estimate of HL(x, y) " + xy);
        assertSame(-xy.upper(), yx.lower(), "lower of HL(y, x) vs −upper of HL(x, y) " + xy);
        assertSame(-xy.lower(), yx.upper(), "upper of HL(y, x) vs −lower of HL(x, y) " + xy);
    }

    // ------------------------------------------------------------------------------------------
    // 2. Adding c to the canary shifts everything by c
    // ------------------------------------------------------------------------------------------

    @Test
    void addingAConstantToTheCanaryShiftsEstimateAndIntervalByIt() {
        qt().withFixedSeed(SEED).withExamples(EXAMPLES)
            .forAll(anySamples(), doubles().between(-100, 100), confidences(), inflations())
            .checkAssert((s, cPerUnit, conf, inflation) -> {
                double c = cPerUnit * Math.max(maxAbs(s.x()), maxAbs(s.y()));
                double[] shifted = Arrays.stream(s.x()).map(v -> v + c).toArray();
                HodgesLehmannInterval before = HodgesLehmannInterval.of(s.x(), s.y(), conf, inflation);
                HodgesLehmannInterval after = HodgesLehmannInterval.of(shifted, s.y(), conf, inflation);
                // A generic c adds no tie between the samples and removes none within them.
                assertEquals(before.method(), after.method(), "the shift changed the path");
                double tol = REL_TOL * (s.magnitude() + Math.abs(c));
                String what = "c = " + c + ": " + before + " then " + after;
                assertEquals(before.estimate() + c, after.estimate(), tol, "estimate, " + what);
                assertEquals(before.lower() + c, after.lower(), tol, "lower, " + what);
                assertEquals(before.upper() + c, after.upper(), tol, "upper, " + what);
            });
    }

    // ------------------------------------------------------------------------------------------
    // 3. Scaling both sides by s > 0 scales everything by s
    // ------------------------------------------------------------------------------------------

    @Test
    void scalingBothSidesByAPowerOfTwoScalesEstimateAndIntervalExactly() {
        qt().withFixedSeed(SEED).withExamples(EXAMPLES)
            .forAll(anySamples(), integers().between(-30, 30), confidences(), inflations())
            .checkAssert((s, exponent, conf, inflation) -> {
                double scale = Math.scalb(1.0, exponent);
                HodgesLehmannInterval before = HodgesLehmannInterval.of(s.x(), s.y(), conf, inflation);
                HodgesLehmannInterval after = HodgesLehmannInterval.of(
                    times(s.x(), scale), times(s.y(), scale), conf, inflation);
                assertEquals(before.method(), after.method());
                String what = "s = 2^" + exponent + ": " + before + " then " + after;
                assertSame(before.estimate() * scale, after.estimate(), "estimate, " + what);
                assertSame(before.lower() * scale, after.lower(), "lower, " + what);
                assertSame(before.upper() * scale, after.upper(), "upper, " + what);
            });
    }

    @Test
    void scalingBothSidesByAnyPositiveFactorScalesEstimateAndInterval() {
        qt().withFixedSeed(SEED).withExamples(EXAMPLES)
            .forAll(anySamples(), doubles().between(1e-3, 1e3), confidences(), inflations())
            .checkAssert((s, scale, conf, inflation) -> {
                HodgesLehmannInterval before = HodgesLehmannInterval.of(s.x(), s.y(), conf, inflation);
                HodgesLehmannInterval after = HodgesLehmannInterval.of(
                    times(s.x(), scale), times(s.y(), scale), conf, inflation);
                assertEquals(before.method(), after.method(), "scaling changed the path");
                double tol = REL_TOL * scale * s.magnitude();
                String what = "s = " + scale + ": " + before + " then " + after;
                assertEquals(before.estimate() * scale, after.estimate(), tol, "estimate, " + what);
                assertEquals(before.lower() * scale, after.lower(), tol, "lower, " + what);
                assertEquals(before.upper() * scale, after.upper(), tol, "upper, " + what);
            });
    }

    // ------------------------------------------------------------------------------------------
    // 4. The interval contains the estimate
    // ------------------------------------------------------------------------------------------

    @Test
    void theHodgesLehmannIntervalContainsItsEstimate() {
        qt().withFixedSeed(SEED).withExamples(EXAMPLES)
            .forAll(anySamples(), confidences(), inflations())
            .checkAssert((s, conf, inflation) -> {
                HodgesLehmannInterval hl = HodgesLehmannInterval.of(s.x(), s.y(), conf, inflation);
                assertTrue(hl.lower() <= hl.estimate() && hl.estimate() <= hl.upper(), hl::toString);
            });
    }

    @Test
    void theJudgesEffectIntervalsContainTheirEstimatesOnBothScales() {
        Set<EffectScale> seen = EnumSet.noneOf(EffectScale.class);
        qt().withFixedSeed(SEED).withExamples(EXAMPLES)
            .forAll(metricCases(5), confidences())
            .checkAssert((mc, conf) -> {
                MetricOutcome o = judgeOne(mc, conf);
                for (Effect e : o.effects()) {
                    seen.add(e.scale());
                    assertTrue(e.interval().contains(e.estimate()), () -> e + " of " + o);
                }
            });
        assertEquals(EnumSet.allOf(EffectScale.class), seen, "both scales must be exercised");
    }

    // ------------------------------------------------------------------------------------------
    // 5. Verdict and score follow from the metric outcomes
    // ------------------------------------------------------------------------------------------

    @Test
    void verdictAndScoreFollowFromTheMetricOutcomes() {
        Set<Outcome> outcomes = EnumSet.noneOf(Outcome.class);
        Set<Verdict> verdicts = EnumSet.noneOf(Verdict.class);
        qt().withFixedSeed(SEED).withExamples(EXAMPLES)
            .forAll(requests())
            .checkAssert(req -> {
                Judgement j = JUDGE.judge(req.request());
                List<MetricOutcome> ms = j.metrics();
                assertEquals(req.cases().size(), ms.size());
                boolean allPass = ms.stream().allMatch(o -> o.outcome() == Outcome.PASS);
                boolean anyRollback = ms.stream().anyMatch(o -> o.outcome() == Outcome.ROLLBACK);
                if (!allPass) {
                    assertNotEquals(Verdict.PROMOTE, j.verdict(), j::toString);
                }
                assertEquals(anyRollback, j.verdict() == Verdict.ROLLBACK, j::toString);
                assertEquals(allPass, j.verdict() == Verdict.PROMOTE, j::toString);
                double total = 0;
                double passed = 0;
                for (int i = 0; i < ms.size(); i++) {
                    double w = req.cases().get(i).weight();
                    total += w;
                    if (ms.get(i).outcome() == Outcome.PASS) {
                        passed += w;
                    }
                }
                assertEquals(100 * passed / total, j.score(), 1e-9, j::toString);
                // Valid specifications on positive, finite data never make the judge fail.
                for (MetricOutcome o : ms) {
                    assertNotEquals(Outcome.ERROR, o.outcome(), o::toString);
                }
                ms.forEach(o -> outcomes.add(o.outcome()));
                verdicts.add(j.verdict());
            });
        assertTrue(outcomes.containsAll(EnumSet.of(Outcome.PASS, Outcome.HOLD, Outcome.ROLLBACK,
            Outcome.INCONCLUSIVE, Outcome.NODATA)), "outcomes exercised: " + outcomes);
        assertEquals(EnumSet.allOf(Verdict.class), verdicts, "verdicts exercised");
    }

    /** The contract: score is a percentage, 0–100 — also when rounding is involved. */
    @Test
    void scoreStaysWithinZeroToHundred() {
        qt().withFixedSeed(SEED).withExamples(EXAMPLES)
            .forAll(requests())
            .checkAssert(req -> {
                Judgement j = JUDGE.judge(req.request());
                assertTrue(j.score() >= 0 && j.score() <= 100, () -> "score " + j.score() + " of " + j);
            });
    }

    // ------------------------------------------------------------------------------------------
    // 6. Too few observations is never a pass
    // ------------------------------------------------------------------------------------------

    /**
     * Fewer observed values than the guard's {@code minSamples} on either side never pass: they are
     * {@code nodata} (a side is empty), {@code inconclusive}, or — from four points a side, when the
     * interval at half of α lies wholly beyond the rollback band — {@code rollback}.
     */
    @Test
    void fewerThanTheGuardsSamplesNeverPass() {
        Set<Outcome> seen = EnumSet.noneOf(Outcome.class);
        qt().withFixedSeed(SEED).withExamples(EXAMPLES * 2)
            .forAll(metricCases(30), integers().between(0, 10), confidences(), Generate.enumValues(Mode.class))
            .checkAssert((mc, extra, conf, mode) -> {
                int nb = Series.of(mc.baseline()).observedCount();
                int nc = Series.of(mc.canary()).observedCount();
                MetricCase tooFew = mc.withMinSamples(Math.min(nb, nc) + 1 + extra);
                MetricOutcome o = judgeOne(tooFew, conf, mode);
                String context = "baseline has " + nb + ", canary " + nc + " observed, " + tooFew.minSamples()
                    + " needed: " + o;
                if (nb == 0 || nc == 0) {
                    assertEquals(Outcome.NODATA, o.outcome(), context);
                } else if (o.outcome() == Outcome.ROLLBACK) {
                    assertTrue(nb >= ContinuousMetricJudge.SPARSE_MIN && nc >= ContinuousMetricJudge.SPARSE_MIN, context);
                    Band rollback = tooFew.rollback();
                    Effect e = o.effects().stream().filter(x -> x.scale() == rollback.scale()).findFirst().orElseThrow();
                    assertTrue(rollback.allowed(tooFew.direction()).isDisjointFrom(e.interval()), context);
                } else {
                    assertEquals(Outcome.INCONCLUSIVE, o.outcome(), context);
                    assertTrue(o.effects().isEmpty(), context);
                }
                seen.add(o.outcome());
            });
        assertEquals(EnumSet.of(Outcome.NODATA, Outcome.INCONCLUSIVE, Outcome.ROLLBACK), seen);
    }

    // ------------------------------------------------------------------------------------------
    // 7. A critical metric never holds
    // ------------------------------------------------------------------------------------------

    @Test
    void aCriticalMetricNeverHoldsItRollsBackInstead() {
        int[] escalated = {0};
        qt().withFixedSeed(SEED).withExamples(EXAMPLES)
            .forAll(metricCases(5), confidences())
            .checkAssert((mc, conf) -> {
                MetricOutcome critical = judgeOne(mc.withCritical(true), conf);
                MetricOutcome plain = judgeOne(mc.withCritical(false), conf);
                assertNotEquals(Outcome.HOLD, critical.outcome(), critical::toString);
                Outcome expected = plain.outcome() == Outcome.HOLD ? Outcome.ROLLBACK : plain.outcome();
                assertEquals(expected, critical.outcome(), () -> "critical " + critical + " vs plain " + plain);
                if (plain.outcome() == Outcome.HOLD) {
                    escalated[0]++;
                }
            });
        assertTrue(escalated[0] > 0, "no example escalated a hold");
    }

    // ------------------------------------------------------------------------------------------
    // 8. Determinism
    // ------------------------------------------------------------------------------------------

    @Test
    void judgingTheSameRequestTwiceGivesEqualJudgements() {
        qt().withFixedSeed(SEED).withExamples(EXAMPLES)
            .forAll(requests())
            .checkAssert(req -> {
                Judgement first = JUDGE.judge(req.request());
                Judgement second = JUDGE.judge(req.request());
                Judgement fresh = new Judge().judge(req.rebuilt());
                assertEquals(first, second);
                assertEquals(first, fresh);
            });
    }

    // ------------------------------------------------------------------------------------------
    // Generated metrics and requests
    // ------------------------------------------------------------------------------------------

    /** One metric's specification parameters and data (NaN = missing). */
    record MetricCase(Direction direction, Band hold, Band rollback, boolean critical, double weight,
                      int minSamples, Double confidence, Correlation correlation,
                      double[] baseline, double[] canary) {

        MetricSpec spec(String name) {
            return MetricSpec.builder(name).direction(direction).hold(hold).rollback(rollback)
                .critical(critical).weight(weight).minSamples(minSamples).confidence(confidence)
                .correlation(correlation).build();
        }

        Metric metric(String name) {
            return new Metric(spec(name), Series.of(baseline), Series.of(canary));
        }

        MetricCase withCritical(boolean c) {
            return new MetricCase(direction, hold, rollback, c, weight, minSamples, confidence, correlation,
                baseline, canary);
        }

        MetricCase withMinSamples(int n) {
            return new MetricCase(direction, hold, rollback, critical, weight, n, confidence, correlation,
                baseline, canary);
        }

        @Override
        public String toString() {
            return "MetricCase[" + direction + ", hold=" + hold + ", rollback=" + rollback + ", critical=" + critical
                + ", weight=" + weight + ", minSamples=" + minSamples + ", confidence=" + confidence + ", "
                + correlation + ", baseline=" + Arrays.toString(baseline) + ", canary=" + Arrays.toString(canary)
                + "]";
        }
    }

    /** A request of 1–4 metrics, kept with the cases it was built from. */
    record RequestCase(double confidence, List<MetricCase> cases) {
        JudgeRequest request() {
            List<Metric> metrics = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                metrics.add(cases.get(i).metric("m" + i));
            }
            return new JudgeRequest("req", Mode.FIXED, confidence, metrics);
        }

        /** An equal request built from fresh objects. */
        JudgeRequest rebuilt() {
            return request();
        }
    }

    private static Gen<RequestCase> requests() {
        Gen<List<MetricCase>> cases = lists().of(metricCases(5)).ofSizeBetween(1, 4);
        return confidences().zip(cases, RequestCase::new);
    }

    private static MetricOutcome judgeOne(MetricCase mc, double requestConfidence) {
        return judgeOne(mc, requestConfidence, Mode.FIXED);
    }

    private static MetricOutcome judgeOne(MetricCase mc, double requestConfidence, Mode mode) {
        Judgement j = JUDGE.judge(new JudgeRequest(null, mode, requestConfidence, List.of(mc.metric("m"))));
        return j.metrics().get(0);
    }

    /**
     * Random valid specifications (any direction, absolute/relative/ratio hold and/or rollback bands
     * with rollback never tighter than hold on the same scale) over positive data: baseline
     * L·(1 + w·u), canary L·(1 + shift)·(1 + w·u) for u in [−1, 1], 0–40 points a side, each
     * missing (NaN) with {@code missingPercent} % chance, sometimes rounded to a coarse grid (ties).
     */
    private static Gen<MetricCase> metricCases(int missingPercent) {
        Gen<Direction> directions = Generate.enumValues(Direction.class);
        Gen<Integer> bandChoices = integers().between(0, 2);
        Gen<Band.Kind> kinds = Generate.enumValues(Band.Kind.class);
        Gen<Double> amounts = doubles().between(0.02, 1.0);
        Gen<Double> widenings = doubles().between(1.0, 4.0);
        Gen<Boolean> booleans = Generate.booleans();
        Gen<Double> weights = doubles().between(0.1, 10);
        Gen<Integer> minSamples = integers().between(1, 15);
        Gen<Optional<Double>> metricConfidences = confidences().toOptionals(50);
        Gen<Correlation> correlations = Generate.enumValues(Correlation.class);
        Gen<Double> levels = Generate.pick(List.of(1e-3, 1.0, 250.0, 1e5));
        Gen<Double> shifts = Generate.constant(0.0).mix(doubles().between(-0.6, 1.5), 70);
        Gen<Double> noises = doubles().between(0.0, 0.05).mix(doubles().between(0.0, 0.9), 60);
        Gen<List<Double>> points = lists()
            .of(doubles().between(-1, 1).mix(Generate.constant(Double.NaN), missingPercent))
            .ofSizeBetween(0, 40);
        return in -> {
            Direction direction = directions.generate(in);
            double level = levels.generate(in);
            int choice = bandChoices.generate(in);
            Band hold = choice == 1 ? null : band(kinds.generate(in), amounts.generate(in), level);
            Band rollback = choice == 0 ? null : band(kinds.generate(in), amounts.generate(in), level);
            if (hold != null && rollback != null && hold.scale() == rollback.scale()
                && !rollback.allowed(direction).contains(hold.allowed(direction))) {
                // Keep the contract's rule: the rollback band is the hold band widened.
                double f = widenings.generate(in);
                rollback = new Band(hold.kind(),
                    hold.kind() == Band.Kind.RATIO ? 1 + (hold.amount() - 1) * f : hold.amount() * f);
            }
            boolean critical = booleans.generate(in);
            double weight = weights.generate(in);
            int min = minSamples.generate(in);
            Double confidence = metricConfidences.generate(in).orElse(null);
            Correlation correlation = correlations.generate(in);
            double shift = shifts.generate(in);
            double noise = noises.generate(in);
            boolean quantize = booleans.generate(in);
            double[] baseline = data(points.generate(in), level, noise, quantize);
            double[] canary = data(points.generate(in), level * (1 + shift), noise, quantize);
            return new MetricCase(direction, hold, rollback, critical, weight, min, confidence, correlation,
                baseline, canary);
        };
    }

    private static Band band(Band.Kind kind, double amount, double level) {
        return switch (kind) {
            case ABSOLUTE -> Band.absolute(amount * level);
            case RELATIVE -> Band.relative(amount);
            case RATIO -> Band.ratio(1 + 2 * amount);
        };
    }

    private static double[] data(List<Double> u, double level, double noise, boolean quantize) {
        double[] v = new double[u.size()];
        double step = level * 0.05;
        for (int i = 0; i < v.length; i++) {
            double value = level * (1 + noise * u.get(i));
            if (quantize && !Double.isNaN(value)) {
                value = Math.max(step, Math.round(value / step) * step);
            }
            v[i] = value;
        }
        return v;
    }

    // ------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------

    /** Numeric equality (0.0 equals −0.0), with a message. */
    private static void assertSame(double expected, double actual, String message) {
        assertTrue(expected == actual, () -> message + ": expected " + expected + " but was " + actual);
    }

    private static double[] times(double[] v, double s) {
        return Arrays.stream(v).map(d -> d * s).toArray();
    }

    private static double[] toArray(List<Integer> values) {
        return values.stream().mapToDouble(Integer::doubleValue).toArray();
    }

    private static double maxAbs(double[] v) {
        return Arrays.stream(v).map(Math::abs).max().orElse(0);
    }
}
