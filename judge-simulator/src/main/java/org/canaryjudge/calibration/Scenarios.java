package org.canaryjudge.calibration;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.canaryjudge.model.Band;
import org.canaryjudge.model.Correlation;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.MetricType;

/**
 * The scenario sets of the calibration simulator. Each family is run at four true effects: none
 * (A/A), below the hold band, between the hold and rollback bands, and beyond the rollback band.
 */
public final class Scenarios {

    /** Points per side added at each look of a continuous rollout (12 looks: an hour of minutes). */
    static final int POINTS_PER_LOOK = 5;
    /**
     * Looks a continuous rollout is planned for: its metrics' {@code horizon} is this many looks of
     * points, so that a run with the default 12 looks ends at the horizon (longer runs go past it).
     */
    static final int PLANNED_LOOKS = 12;
    /** Requests per minute over both sides: 1,000 requests/s. */
    static final int REQUESTS_PER_MINUTE = 60_000;

    private Scenarios() {
    }

    /**
     * @return continuous metrics (AR(1) with φ = 0, 0.3, 0.5, 0.8 and absolute bands; lognormal with
     *     relative bands) and rate metrics (baseline rates 0.1 %, 1 %, 5 % × canary traffic 1 %, 5 %,
     *     50 % with ratio bands; and the checkout policy's absolute bands)
     */
    public static List<Scenario> standard() {
        List<Scenario> all = new ArrayList<>();
        for (double phi : new double[] {0, 0.3, 0.5, 0.8}) {
            all.addAll(autoregressive(phi));
        }
        all.addAll(lognormal());
        for (double rate : new double[] {0.001, 0.01, 0.05}) {
            for (double share : new double[] {0.01, 0.05, 0.5}) {
                all.addAll(rateRatio(rate, share));
            }
        }
        all.addAll(rateDifference());
        all.addAll(changes());
        all.addAll(histograms());
        all.addAll(trafficSplits());
        return all;
    }

    /**
     * @return the traffic-split check: 10,000 requests a minute, 0.2 % errors on both sides, hold
     *     +0.5 points; the canary meant to get 5 % gets 5 % (healthy: promote is right), or 2 % (a
     *     sample ratio mismatch: hold is right, a promote is false)
     */
    public static List<Scenario> trafficSplits() {
        MetricSpec spec = MetricSpec.builder("error_rate").type(MetricType.RATE).hold(Band.absolute(0.005))
            .rollback(Band.absolute(0.02)).build();
        return List.of(
            new Scenario("split-5pct-as-meant", TRAFFIC, spec, 0, 1, Scenario.split(10_000, 0.05, 0.05, 0.002, spec), false),
            new Scenario("split-2pct-meant-5pct", TRAFFIC, spec, 0, 1, Scenario.split(10_000, 0.02, 0.05, 0.002, spec), true));
    }

    /** The group of traffic-split scenarios. */
    static final String TRAFFIC = "traffic";

    /**
     * @return histogram metrics judged on p99: lognormal latencies (log-sd 0.3 around 60 ms), 1,000
     *     requests a side per one-minute look into buckets 10 % apart from 5 ms; hold +20 %, rollback
     *     +100 %; a healthy canary, one sending 4 % of its requests 3× slower (p99 about +83 %, median
     *     unchanged) and one sending 10 % of them 5× slower (p99 beyond the rollback band)
     */
    public static List<Scenario> histograms() {
        double[] bounds = java.util.stream.IntStream.rangeClosed(0, 64).mapToDouble(k -> 0.005 * Math.pow(1.1, k)).toArray();
        MetricSpec spec = MetricSpec.builder("latency_p99").type(MetricType.HISTOGRAM).quantile(0.99).bounds(bounds)
            .hold(Band.relative(0.2)).rollback(Band.relative(1.0)).build();
        double median = Math.log(0.06);
        List<Scenario> list = new ArrayList<>();
        double[][] families = {{0, 1}, {0.04, 3}, {0.10, 5}};
        String[] names = {"histogram-p99-aa", "histogram-p99-4pct-3x", "histogram-p99-10pct-5x"};
        for (int f = 0; f < families.length; f++) {
            double share = families[f][0];
            double factor = families[f][1];
            double effect = share == 0 ? 0 : Scenario.quantileRatio(0.99, 0.3, share, factor) - 1;
            list.add(new Scenario(names[f], HISTOGRAM, spec, effect,
                Scenario.histogram(median, 0.3, share, factor, 1_000, spec)));
        }
        return list;
    }

    /** The group of histogram scenarios. */
    static final String HISTOGRAM = "histogram";

    /**
     * @return changes the whole window dilutes: a lognormal canary (log-sd 0.2; hold +10 %, rollback
     *     +30 %) that is healthy until look {@value #ONSET_LOOK} and then doubles, with and without the
     *     judge told of the stage that began there; a slow drift (a leak) from look 3 that reaches
     *     +50 % at look 12; and a canary three times the baseline from the first look, with five points
     *     a side then, its points declared independent ({@code correlation: ignore}) and not
     */
    public static List<Scenario> changes() {
        MetricSpec spec = MetricSpec.builder("latency").hold(Band.relative(0.10)).rollback(Band.relative(0.30))
            .horizon(PLANNED_LOOKS * POINTS_PER_LOOK).build();
        MetricSpec independent = MetricSpec.builder("latency").hold(Band.relative(0.10)).rollback(Band.relative(0.30))
            .horizon(PLANNED_LOOKS * POINTS_PER_LOOK).correlation(Correlation.IGNORE).build();
        double median = Math.log(100);
        List<Scenario> list = new ArrayList<>();
        list.add(new Scenario("late-2x-look7-staged", CHANGE, spec, 1.0, ONSET_LOOK,
            Scenario.lateOnset(median, 0.2, Math.log(2), ONSET_LOOK, false, true, POINTS_PER_LOOK, spec)));
        list.add(new Scenario("late-2x-look7-unstaged", CHANGE, spec, 1.0, ONSET_LOOK,
            Scenario.lateOnset(median, 0.2, Math.log(2), ONSET_LOOK, false, false, POINTS_PER_LOOK, spec)));
        list.add(new Scenario("drift-to-1.5x-from-look3", CHANGE, spec, 0.5, 3,
            Scenario.lateOnset(median, 0.2, Math.log(1.5), 3, true, false, POINTS_PER_LOOK, spec)));
        list.add(new Scenario("lognormal-3x", "continuous", spec, 2.0,
            Scenario.series(median, 0.2, 0, Math.log(3), true, POINTS_PER_LOOK, spec)));
        list.add(new Scenario("lognormal-3x-independent", "continuous", independent, 2.0,
            Scenario.series(median, 0.2, 0, Math.log(3), true, POINTS_PER_LOOK, independent)));
        return list;
    }

    /** The group of scenarios whose effect begins after the first look. */
    static final String CHANGE = "change";

    /** The look at which the late-onset canaries double. */
    static final int ONSET_LOOK = 7;

    /** @return a small set for quick checks: A/A and between-bands of φ = 0, lognormal and one rate family */
    public static List<Scenario> reduced() {
        List<Scenario> all = new ArrayList<>();
        all.addAll(autoregressive(0));
        all.addAll(autoregressive(0.5));
        all.addAll(rateRatio(0.01, 0.05));
        return all;
    }

    /**
     * N(0, 1)-marginal AR(1) noise around 100; hold +1.0 and rollback +2.5 in absolute units; true
     * shifts 0, +0.3, +1.6, +3.5.
     */
    static List<Scenario> autoregressive(double phi) {
        MetricSpec spec = MetricSpec.builder("value").hold(Band.absolute(1.0)).rollback(Band.absolute(2.5))
            .horizon(PLANNED_LOOKS * POINTS_PER_LOOK).build();
        List<Scenario> list = new ArrayList<>();
        String family = String.format(Locale.ROOT, "ar1-phi%.1f", phi);
        double[] shifts = {0, 0.3, 1.6, 3.5};
        for (int i = 0; i < shifts.length; i++) {
            list.add(new Scenario(family + "-" + EFFECT_NAMES[i], "continuous", spec, shifts[i],
                Scenario.series(100, 1, phi, shifts[i], false, POINTS_PER_LOOK, spec)));
        }
        return list;
    }

    /** Lognormal latencies around 100 ms (log-sd 0.2); hold +10 %, rollback +30 %; true +0, +3, +18, +50 %. */
    static List<Scenario> lognormal() {
        MetricSpec spec = MetricSpec.builder("latency").hold(Band.relative(0.10)).rollback(Band.relative(0.30))
            .horizon(PLANNED_LOOKS * POINTS_PER_LOOK).build();
        List<Scenario> list = new ArrayList<>();
        double[] effects = {0, 0.03, 0.18, 0.50};
        for (int i = 0; i < effects.length; i++) {
            list.add(new Scenario("lognormal-" + EFFECT_NAMES[i], "continuous", spec, effects[i],
                Scenario.series(Math.log(100), 0.2, 0, Math.log1p(effects[i]), true, POINTS_PER_LOOK, spec)));
        }
        return list;
    }

    /**
     * Error rates with ratio bands: hold +25 %, rollback 1.5×; true ratios 1, 1.1, 1.35, 2.
     */
    static List<Scenario> rateRatio(double baselineRate, double canaryShare) {
        MetricSpec spec = MetricSpec.builder("errors").type(MetricType.RATE)
            .hold(Band.relative(0.25)).rollback(Band.ratio(1.5)).build();
        String family = String.format(Locale.ROOT, "rate%s-share%s", percent(baselineRate), percent(canaryShare));
        double[] ratios = {1, 1.1, 1.35, 2};
        List<Scenario> list = new ArrayList<>();
        for (int i = 0; i < ratios.length; i++) {
            list.add(new Scenario(family + "-" + EFFECT_NAMES[i], "rate", spec, ratios[i] - 1,
                Scenario.counts(REQUESTS_PER_MINUTE, canaryShare, baselineRate, baselineRate * ratios[i], spec)));
        }
        return list;
    }

    /**
     * The checkout policy: hold beyond +0.5 points, roll back beyond +2 points; baseline 1 %,
     * canary 5 % of traffic; true differences 0, +0.2, +1.0, +3.0 points.
     */
    static List<Scenario> rateDifference() {
        MetricSpec spec = MetricSpec.builder("errors").type(MetricType.RATE)
            .hold(Band.absolute(0.005)).rollback(Band.absolute(0.02)).build();
        double[] differences = {0, 0.002, 0.01, 0.03};
        List<Scenario> list = new ArrayList<>();
        for (int i = 0; i < differences.length; i++) {
            list.add(new Scenario("points-rate1%-share5%-" + EFFECT_NAMES[i], "rate", spec, differences[i],
                Scenario.counts(REQUESTS_PER_MINUTE, 0.05, 0.01, 0.01 + differences[i], spec)));
        }
        return list;
    }

    private static final String[] EFFECT_NAMES = {"aa", "below", "between", "beyond"};

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%s%%", new java.math.BigDecimal(fraction * 100)
            .round(new java.math.MathContext(2)).stripTrailingZeros().toPlainString());
    }
}
