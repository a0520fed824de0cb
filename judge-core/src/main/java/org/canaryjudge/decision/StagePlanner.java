package org.canaryjudge.decision;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.LongPredicate;
import org.canaryjudge.model.Band;
import org.canaryjudge.model.Direction;
import org.canaryjudge.model.EffectScale;
import org.canaryjudge.model.Interval;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.PlanRequest;
import org.canaryjudge.model.StagePlan;
import org.canaryjudge.stats.FirstPassage;

/**
 * The stage planner: how long a stage must run before the judge can decide one metric.
 *
 * <p>For a canary as good as the baseline, the answer is the median first look at which the judge's
 * interval lies inside every band; for a regression, the median first look at which it lies beyond
 * the rollback band (a critical metric's hold band too). Each look is judged on everything seen so
 * far, so the standardised estimate z<sub>k</sub> is a random walk S<sub>k</sub>/√k, and the median
 * of its first entry into the judge's region ({@link PlanRegions}: the judge's own intervals, guard and
 * α, evaluated at the counts each deviation would give) is computed by recursive numerical
 * integration ({@link FirstPassage}) — not merely the look at which the interval's half-width equals
 * the band, which comes later, since the estimate's own noise passes some canaries sooner.
 *
 * <p>The regression timed by default is twice as far from the baseline as the rollback band (for a
 * ratio band r, a ratio of r²): a canary sitting exactly at the band is, by the band's definition,
 * rolled back only when its interval lies wholly beyond it, which the interval's coverage allows at
 * most α/2 of the time — never in the median. The planner looks ahead {@link #MAX_MINUTES} minutes
 * and judges the metric on its own, at its own level (a request of k metrics in sequential mode
 * gives each α/k, and so takes a little longer).
 *
 * <p>The check against the real judge: {@code StagePlannerSimulationTest} runs binomial rollouts
 * through {@link Judge} look by look; the medians agree within ±25 % (docs/statistics.md has the numbers).
 */
public final class StagePlanner {

    /** How far ahead the planner looks: a day. */
    public static final double MAX_MINUTES = PlanRequest.MAX_MINUTES;

    /** Canary shares of all traffic offered as wider stages, when the total traffic is known. */
    static final double[] WIDER_SHARES = {0.01, 0.02, 0.05, 0.10, 0.25, 0.50};

    /** Multiples of the canary's traffic offered as wider stages when the total is not known. */
    static final double[] WIDER_MULTIPLES = {2, 5};

    private StagePlanner() {
    }

    /**
     * @param request the metric, the mode and the traffic
     * @return the median minutes to promote and to roll back, with what a wider canary would take
     */
    public static StagePlan plan(PlanRequest request) {
        MetricSpec spec = request.metric();
        Level level = new Level(request.mode(), spec.confidence().orElse(request.confidence()));
        int lastLook = (int) Math.floor(MAX_MINUTES / request.minutesBetweenLooks());
        if (request.traffic() instanceof PlanRequest.RateTraffic rate) {
            return planRate(spec, level, rate, request.minutesBetweenLooks(), lastLook);
        }
        return planPoints(spec, level, (PlanRequest.PointTraffic) request.traffic(), request.minutesBetweenLooks(), lastLook);
    }

    private static StagePlan planRate(MetricSpec spec, Level level, PlanRequest.RateTraffic t, double cadence, int lastLook) {
        double p = t.baselineRate();
        Double promote = minutes(PlanRegions.Rate::pass, new PlanRegions.Rate(spec, level, p, p,
            t.baselineRequestsPerMinute() * cadence, t.canaryRequestsPerMinute() * cadence), cadence, lastLook);
        Optional<Band> line = PlanRegions.rollbackLine(spec);
        // Without a band to roll back on, no regression is timed, whatever the caller asked for.
        Double regression = line.isEmpty() ? null : Double.isNaN(t.regressionRate())
            ? regressionRate(p, line.get(), spec.direction()) : Double.valueOf(t.regressionRate());
        Double rollback = regression == null ? null
            : minutes(PlanRegions.Rate::rollback, new PlanRegions.Rate(spec, level, p, regression,
                t.baselineRequestsPerMinute() * cadence, t.canaryRequestsPerMinute() * cadence), cadence, lastLook);
        List<StagePlan.Alternative> wider = new ArrayList<>();
        boolean total = !Double.isNaN(t.totalRequestsPerMinute());
        double share = total ? t.canaryRequestsPerMinute() / t.totalRequestsPerMinute() : Double.NaN;
        for (double step : total ? WIDER_SHARES : WIDER_MULTIPLES) {
            if (total && !(step > share * 1.001)) {
                continue;
            }
            double canary = total ? step * t.totalRequestsPerMinute() : step * t.canaryRequestsPerMinute();
            // A wider canary takes its requests from the baseline only where the total leaves no room.
            double baseline = total ? Math.min(t.baselineRequestsPerMinute(), t.totalRequestsPerMinute() - canary)
                : t.baselineRequestsPerMinute();
            Double m = minutes(PlanRegions.Rate::pass, new PlanRegions.Rate(spec, level, p, p, baseline * cadence,
                canary * cadence), cadence, lastLook);
            wider.add(new StagePlan.Alternative(total ? step : null, canary, baseline, m));
        }
        String traffic = perMinute(t.canaryRequestsPerMinute()) + " canary and "
            + perMinute(t.baselineRequestsPerMinute()) + " baseline requests a minute"
            + (total ? ", " + share(share) + " of traffic" : "") + ", baseline error rate " + Reasons.percent(p);
        String regressed = regression == null ? null : "a regression to " + Reasons.percent(regression) + " errors"
            + (Double.isNaN(t.regressionRate()) ? " (" + twiceTheBand(spec, line.get()) + ")" : "");
        String widerText = widerText(wider, total, share, promote);
        return new StagePlan(spec.name(), promote, rollback, regression, MAX_MINUTES, wider,
            reason(spec, traffic, promote, regressed, rollback, cadence) + widerText);
    }

    private static StagePlan planPoints(MetricSpec spec, Level level, PlanRequest.PointTraffic t, double cadence,
                                        int lastLook) {
        double[] sample = t.baseline();
        double bpl = t.baselinePointsPerMinute() * cadence;
        double cpl = t.canaryPointsPerMinute() * cadence;
        Double promote = minutes(PlanRegions.Points::pass, PlanRegions.Points.of(spec, level, sample, bpl, cpl, 0),
            cadence, lastLook);
        Optional<Band> line = PlanRegions.rollbackLine(spec);
        Double effect = line.map(b -> regressionEffect(b, spec.direction())).orElse(null);
        Double rollback = effect == null ? null
            : minutes(PlanRegions.Points::rollback, PlanRegions.Points.of(spec, level, sample, bpl, cpl,
                line.get().scale() == EffectScale.RELATIVE ? Math.log1p(effect) : effect), cadence, lastLook);
        String traffic = Reasons.number(t.canaryPointsPerMinute()) + " canary and " + Reasons.number(t.baselinePointsPerMinute())
            + " baseline points a minute, with the spread of the " + sample.length + " baseline values given";
        String regressed = effect == null ? null : "a regression of " + Reasons.signed(effect, line.get().scale(), spec.type())
            + " (" + twiceTheBand(spec, line.get()) + ")";
        return new StagePlan(spec.name(), promote, rollback, effect, MAX_MINUTES, List.of(),
            reason(spec, traffic, promote, regressed, rollback, cadence)
                + (promote == null ? " Lengthening the stage does not help within a day: widen the hold band, or judge a"
                    + " metric with less spread." : ""));
    }

    /**
     * For the judge's own reasons, where a rate metric is inconclusive: the further looks (intervals
     * of data, at the traffic per interval seen so far) after which a canary as good as the baseline
     * would pass, at the counts expected by then (the errors so far, plus the baseline's rate on what
     * is to come). That is the look where half such canaries would pass if looked at only then,
     * found by doubling and bisection over a dozen of the judge's intervals; it bounds the
     * first-passage median of {@link #plan} from above, and costs far less, so every judgement can
     * afford it.
     *
     * @return the looks still to come, or empty when not within {@code maxLooks}
     */
    static OptionalLong moreLooksToPass(MetricSpec spec, Level level, long eb, long nb, long ec, long nc, int looks,
                                        int maxLooks) {
        // Half an error keeps a zero-error baseline from planning as if it could never err.
        double p = eb > 0 ? (double) eb / nb : 0.5 / (nb + 1.0);
        long needed = RateMetricJudge.minRequests(spec, p, level);
        LongPredicate passesAfter = more -> {
            double share = (double) more / looks;
            long nbk = nb + Math.round(nb * share);
            long nck = nc + Math.round(nc * share);
            if (nbk < needed || nck < needed) {
                return false;
            }
            long ebk = eb + Math.round(p * nb * share);
            long eck = ec + Math.round(p * nc * share);
            return spec.bands().stream().allMatch(band -> {
                double[] i = RateMetricJudge.interval(spec, band.scale(), eck, nck, ebk, nbk, level);
                return band.allowed(spec.direction()).contains(new Interval(i[0], i[1]));
            });
        };
        long high = 1;
        while (!passesAfter.test(high)) {
            if (high >= maxLooks) {
                return OptionalLong.empty();
            }
            high = Math.min(maxLooks, 2 * high);
        }
        long low = high / 2;
        while (high - low > 1) {
            long mid = (low + high) / 2;
            if (passesAfter.test(mid)) {
                high = mid;
            } else {
                low = mid;
            }
        }
        return OptionalLong.of(high);
    }

    /** The outcome region of a plan at one look. */
    private interface Region<R extends PlanRegions> {
        double[] at(R regions, int look);
    }

    private static <R extends PlanRegions> Double minutes(Region<R> region, R regions, double cadence, int lastLook) {
        OptionalDouble look = FirstPassage.medianLook(0, 0, lastLook, k -> region.at(regions, k));
        return look.isPresent() ? look.getAsDouble() * cadence : null;
    }

    /**
     * Twice as far from the baseline as the band, on the band's scale: p ± 2x, p(1 ± 2x), p·r^±2.
     *
     * @return the rate, or null when it would leave [0, 1]
     */
    private static Double regressionRate(double p, Band band, Direction direction) {
        double effect = regressionEffect(band, direction);
        double q = band.scale() == EffectScale.ABSOLUTE ? p + effect : p * (1 + effect);
        return q >= 0 && q <= 1 && q != p ? q : null;
    }

    /** @return the effect twice as far from the baseline as the band: ±2x, or r^±2 − 1 for a ratio */
    private static Double regressionEffect(Band band, Direction direction) {
        boolean down = direction == Direction.DECREASE;
        if (band.kind() == Band.Kind.RATIO) {
            double r2 = band.amount() * band.amount();
            return down ? 1 / r2 - 1 : r2 - 1;
        }
        double effect = down ? -2 * band.amount() : 2 * band.amount();
        return band.scale() == EffectScale.RELATIVE && effect <= -1 ? null : effect;
    }

    /** "twice as far from baseline as the +2 point rollback band", "4× baseline, the rollback band of 2× baseline squared". */
    private static String twiceTheBand(MetricSpec spec, Band line) {
        String band = Reasons.band(spec.rollback().isPresent() ? "rollback" : "hold", line, spec.direction(), spec.type());
        if (line.kind() != Band.Kind.RATIO) {
            return "twice as far from baseline as " + band;
        }
        String squared = Reasons.number(line.amount() * line.amount());
        return (spec.direction() == Direction.DECREASE ? "baseline / " + squared : squared + "× baseline") + ", " + band + " squared";
    }

    private static String reason(MetricSpec spec, String traffic, Double promote, String regressed, Double rollback,
                                 double cadence) {
        String looks = cadence == 1 ? "looking every minute" : "looking every " + Reasons.number(cadence) + " minutes";
        String text = "At this traffic (" + traffic + "; " + looks + "), a canary as good as the baseline "
            + (promote == null ? "would not pass " + spec.name() + " within 24 hours"
                : "passes " + spec.name() + " after " + about(promote) + " (the median)");
        if (regressed == null) {
            return text + "; the metric has no rollback band, so it never rolls back on its own.";
        }
        return text + ", and " + regressed + (rollback == null ? " would not be rolled back within 24 hours."
            : " is rolled back after " + about(rollback) + ".");
    }

    private static String widerText(List<StagePlan.Alternative> wider, boolean total, double share, Double promote) {
        if (wider.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder(" To decide sooner, lengthen the stage or widen the canary: ");
        text.append(total ? "at " + share(share) + " of traffic" : "at this traffic").append(promote == null ? " it takes over 24 hours"
            : " this takes " + about(promote));
        for (StagePlan.Alternative a : wider) {
            text.append("; at ").append(total ? share(a.canaryShare()) : perMinute(a.canaryPerMinute())
                + " canary requests a minute").append(", ")
                .append(a.minutesToPromote() == null ? "over 24 hours" : "about " + roundedMinutes(a.minutesToPromote()));
        }
        return text.append(".").toString();
    }

    /** "4,900", "2.5": whole numbers from ten up, three digits below. */
    private static String perMinute(double rate) {
        return rate >= 10 ? Reasons.count(Math.round(rate)) : Reasons.number(rate);
    }

    private static String share(double share) {
        return Reasons.number(share * 100) + " %";
    }

    /** "about 95 minutes", "about 1 minute", "about 2.5 minutes". */
    private static String about(double minutes) {
        String m = roundedMinutes(minutes);
        return "about " + m + (m.equals("1") ? " minute" : " minutes");
    }

    private static String roundedMinutes(double minutes) {
        return minutes >= 10 ? Reasons.count(Math.round(minutes)) : Reasons.number(Math.round(minutes * 10) / 10.0);
    }
}
