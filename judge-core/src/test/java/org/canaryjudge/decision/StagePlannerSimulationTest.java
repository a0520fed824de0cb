package org.canaryjudge.decision;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.statistics.distribution.BinomialDistribution;
import org.apache.commons.statistics.distribution.DiscreteDistribution;
import org.canaryjudge.model.Band;
import org.canaryjudge.model.Correlation;
import org.canaryjudge.model.Counts;
import org.canaryjudge.model.Direction;
import org.canaryjudge.model.EffectScale;
import org.canaryjudge.model.JudgeRequest;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.MetricType;
import org.canaryjudge.model.Mode;
import org.canaryjudge.model.Outcome;
import org.canaryjudge.model.PlanRequest;
import org.canaryjudge.model.Series;
import org.canaryjudge.model.StagePlan;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The planner against the real judge: simulated rollouts — binomial counts each minute on both
 * sides (Commons RNG samplers), or lognormal and normal points — judged by {@link Judge} every minute
 * on everything so far; the median minute of the first {@code pass} (healthy canary) and of the first
 * {@code rollback} (the planner's regression) must lie within ±25 % of the planner's. Rollouts that
 * have not got there by twice the planned time count as later than any that have, so a planner far
 * too optimistic fails rather than hides.
 */
class StagePlannerSimulationTest {

    private static final int ROLLOUTS = 400;
    private static final double TOLERANCE = 0.25;

    private static final MetricSpec CHECKOUT = MetricSpec.builder("error_rate").type(MetricType.RATE)
        .hold(Band.absolute(0.005)).rollback(Band.absolute(0.02)).build();
    private static final MetricSpec RATIO = MetricSpec.builder("error_rate").type(MetricType.RATE)
        .hold(Band.relative(0.5)).rollback(Band.ratio(3)).build();
    private static final MetricSpec EITHER = MetricSpec.builder("error_rate").type(MetricType.RATE)
        .direction(Direction.EITHER).hold(Band.absolute(0.002)).build();

    /** A traffic setting: the metric, the mode, the baseline rate and each side's requests a minute. */
    record Setting(MetricSpec spec, Mode mode, double rate, double baselinePerMinute, double canaryPerMinute) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s %s %s p=%.4f nb=%.0f nc=%.0f", spec.hold().orElseThrow(), spec.direction(),
                mode, rate, baselinePerMinute, canaryPerMinute);
        }
    }

    static List<Setting> settings() {
        return List.of(
            new Setting(CHECKOUT, Mode.SEQUENTIAL, 0.002, 950, 50),
            new Setting(CHECKOUT, Mode.SEQUENTIAL, 0.002, 4_750, 250),
            new Setting(CHECKOUT, Mode.SEQUENTIAL, 0.002, 1_900, 100),
            new Setting(CHECKOUT, Mode.SEQUENTIAL, 0.01, 9_500, 500),
            new Setting(CHECKOUT, Mode.SEQUENTIAL, 0.01, 3_000, 3_000),
            new Setting(CHECKOUT, Mode.FIXED, 0.01, 1_900, 100),
            new Setting(RATIO, Mode.SEQUENTIAL, 0.01, 20_000, 500),
            new Setting(RATIO, Mode.SEQUENTIAL, 0.001, 50_000, 2_000),
            new Setting(RATIO, Mode.SEQUENTIAL, 0.001, 10_000, 400),
            new Setting(RATIO, Mode.FIXED, 0.005, 10_000, 500),
            new Setting(EITHER, Mode.SEQUENTIAL, 0.01, 2_000, 2_000),
            new Setting(EITHER, Mode.SEQUENTIAL, 0.01, 600, 600));
    }

    /**
     * A continuous setting: lognormal values (log-scale spread {@code sigma}) or normal ones (spread
     * {@code sigma}, around 10) for an absolute band, the same number of points a minute on each side.
     */
    record PointSetting(MetricSpec spec, Mode mode, double sigma, double pointsPerMinute) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s %s %s sigma=%.2f points=%.0f", spec.hold().orElseThrow(), spec.correlation(),
                mode, sigma, pointsPerMinute);
        }

        boolean logNormal() {
            return spec.hold().orElseThrow().scale() == EffectScale.RELATIVE;
        }

        double draw(SplittableRandom random, double shift) {
            return logNormal() ? Math.exp(Math.log(0.2) + shift + sigma * random.nextGaussian()) : 10 + shift + sigma * random.nextGaussian();
        }
    }

    /** A latency metric as most are configured: serial correlation adjusted for (the default). */
    private static final MetricSpec LATENCY = MetricSpec.builder("latency").hold(Band.relative(0.1)).rollback(Band.relative(0.5))
        .build();

    static List<PointSetting> pointSettings() {
        MetricSpec planned = MetricSpec.builder("latency").hold(Band.relative(0.1)).rollback(Band.relative(0.5))
            .horizon(120).build();
        MetricSpec absolute = MetricSpec.builder("cpu").hold(Band.absolute(0.5)).rollback(Band.absolute(2)).build();
        MetricSpec independent = MetricSpec.builder("latency").hold(Band.relative(0.1)).rollback(Band.relative(0.5))
            .correlation(Correlation.IGNORE).build();
        return List.of(
            new PointSetting(LATENCY, Mode.SEQUENTIAL, 0.3, 1),
            new PointSetting(LATENCY, Mode.SEQUENTIAL, 0.15, 1),
            new PointSetting(LATENCY, Mode.SEQUENTIAL, 0.2, 2),
            new PointSetting(LATENCY, Mode.FIXED, 0.3, 1),
            new PointSetting(planned, Mode.SEQUENTIAL, 0.3, 1),
            new PointSetting(absolute, Mode.SEQUENTIAL, 1.5, 2),
            new PointSetting(independent, Mode.SEQUENTIAL, 0.3, 1),
            new PointSetting(independent, Mode.SEQUENTIAL, 0.15, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pointSettings")
    void continuousMediansMatchSimulatedRollouts(PointSetting s) {
        SplittableRandom sampler = new SplittableRandom(42);
        double[] sample = new double[200];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = s.draw(sampler, 0);
        }
        StagePlan plan = StagePlanner.plan(new PlanRequest(s.spec(), s.mode(), 0.95,
            new PlanRequest.PointTraffic(sample, s.pointsPerMinute(), s.pointsPerMinute()), 1));
        assertNotNull(plan.minutesToPromote(), plan.reason());
        double promote = simulatedPointMedian(s, 0, Outcome.PASS, (int) Math.ceil(2 * plan.minutesToPromote()) + 5);
        System.out.printf(Locale.ROOT, "%s: promote planned %.1f simulated %.1f%n", s, plan.minutesToPromote(), promote);
        assertWithin(plan.minutesToPromote(), promote, s + " promote; " + plan.reason());
        double shift = s.logNormal() ? Math.log1p(plan.regression()) : plan.regression();
        double rollback = simulatedPointMedian(s, shift, Outcome.ROLLBACK, (int) Math.ceil(2 * plan.minutesToRollback()) + 5);
        System.out.printf(Locale.ROOT, "%s: rollback at %+.2f planned %.1f simulated %.1f%n", s, plan.regression(),
            plan.minutesToRollback(), rollback);
        if (s.spec().correlation() == Correlation.IGNORE) {
            // Declared independent points may roll back on sparse data before minSamples, which the planner leaves out.
            assertTrue(plan.minutesToRollback() >= (1 - TOLERANCE) * rollback, s + ": planned " + plan.minutesToRollback()
                + " is not an upper bound of the simulated " + rollback);
        } else {
            assertWithin(plan.minutesToRollback(), rollback, s + " rollback; " + plan.reason());
        }
    }

    private static double simulatedPointMedian(PointSetting s, double shift, Outcome outcome, int cap) {
        int[] firsts = IntStream.range(0, ROLLOUTS / 2).parallel()
            .map(r -> firstPointLook(s, shift, outcome, cap, new SplittableRandom(0xC0DE_0000L + r)))
            .sorted().toArray();
        int n = firsts.length;
        return (firsts[n / 2 - 1] + firsts[n / 2]) / 2.0;
    }

    private static int firstPointLook(PointSetting s, double shift, Outcome outcome, int cap, SplittableRandom random) {
        int perMinute = (int) s.pointsPerMinute();
        double[] baseline = new double[cap * perMinute];
        double[] canary = new double[cap * perMinute];
        Judge judge = new Judge();
        for (int minute = 1; minute <= cap; minute++) {
            for (int i = (minute - 1) * perMinute; i < minute * perMinute; i++) {
                baseline[i] = s.draw(random, 0);
                canary[i] = s.draw(random, shift);
            }
            int n = minute * perMinute;
            Metric metric = new Metric(s.spec(), Series.of(Arrays.copyOf(baseline, n)),
                Series.of(Arrays.copyOf(canary, n)));
            Outcome o = judge.judge(new JudgeRequest(null, s.mode(), 0.95, List.of(metric))).metrics().get(0).outcome();
            if (o == outcome) {
                return minute;
            }
        }
        return cap + 1;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void plannedMediansMatchSimulatedRollouts(Setting s) {
        PlanRequest.RateTraffic traffic = new PlanRequest.RateTraffic(s.rate(), s.baselinePerMinute(), s.canaryPerMinute());
        StagePlan plan = StagePlanner.plan(new PlanRequest(s.spec(), s.mode(), 0.95, traffic, 1));
        assertNotNull(plan.minutesToPromote(), plan.reason());
        int cap = (int) Math.ceil(2 * plan.minutesToPromote()) + 5;
        double promote = simulatedMedian(s, s.rate(), Outcome.PASS, cap);
        System.out.printf(Locale.ROOT, "%s: promote planned %.1f simulated %.1f%n", s, plan.minutesToPromote(), promote);
        assertWithin(plan.minutesToPromote(), promote, s + " promote; " + plan.reason());
        if (plan.minutesToRollback() != null) {
            int rollbackCap = (int) Math.ceil(2 * plan.minutesToRollback()) + 5;
            double rollback = simulatedMedian(s, plan.regression(), Outcome.ROLLBACK, rollbackCap);
            System.out.printf(Locale.ROOT, "%s: rollback at %.4f planned %.1f simulated %.1f%n", s, plan.regression(),
                plan.minutesToRollback(), rollback);
            assertWithin(plan.minutesToRollback(), rollback, s + " rollback; " + plan.reason());
        }
    }

    private static void assertWithin(double planned, double simulated, String what) {
        assertTrue(Math.abs(planned - simulated) <= TOLERANCE * simulated,
            what + ": planned " + planned + " against simulated " + simulated);
    }

    /** The median minute of the first look with {@code outcome}; rollouts that never get there count as beyond the cap. */
    private static double simulatedMedian(Setting s, double canaryRate, Outcome outcome, int cap) {
        int[] firsts = IntStream.range(0, ROLLOUTS).parallel()
            .map(r -> firstLook(s, canaryRate, outcome, cap, new SplittableRandom(0x5EED_0000L + r)))
            .sorted().toArray();
        return (firsts[ROLLOUTS / 2 - 1] + firsts[ROLLOUTS / 2]) / 2.0;
    }

    private static int firstLook(Setting s, double canaryRate, Outcome outcome, int cap, SplittableRandom random) {
        UniformRandomProvider rng = random::nextLong;
        DiscreteDistribution.Sampler baseline = BinomialDistribution.of((int) s.baselinePerMinute(), s.rate()).createSampler(rng);
        DiscreteDistribution.Sampler canary = BinomialDistribution.of((int) s.canaryPerMinute(), canaryRate).createSampler(rng);
        Judge judge = new Judge();
        long eb = 0;
        long ec = 0;
        for (int minute = 1; minute <= cap; minute++) {
            eb += baseline.sample();
            ec += canary.sample();
            long nb = (long) s.baselinePerMinute() * minute;
            long nc = (long) s.canaryPerMinute() * minute;
            Metric metric = new Metric(s.spec(), Counts.of(new long[] {eb}, new long[] {nb}), Counts.of(new long[] {ec}, new long[] {nc}));
            Outcome o = judge.judge(new JudgeRequest(null, s.mode(), 0.95, List.of(metric))).metrics().get(0).outcome();
            if (o == outcome) {
                return minute;
            }
        }
        return cap + 1;
    }
}
