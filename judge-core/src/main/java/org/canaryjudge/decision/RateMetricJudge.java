package org.canaryjudge.decision;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.BinomialTest;
import org.canaryjudge.model.Band;
import org.canaryjudge.model.Direction;
import org.canaryjudge.model.Effect;
import org.canaryjudge.model.EffectScale;
import org.canaryjudge.model.Interval;
import org.canaryjudge.model.MetricData;
import org.canaryjudge.model.MetricOutcome;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.Outcome;
import org.canaryjudge.stats.ErrorShareSequence;
import org.canaryjudge.stats.NormalMixtureBoundary;
import org.canaryjudge.stats.RateDifferenceInterval;
import org.canaryjudge.stats.RateRatioInterval;

/**
 * Judges one rate metric (errors out of requests) on the counts pooled over the window.
 *
 * <ul>
 * <li><b>Absolute bands</b> compare p<sub>c</sub> − p<sub>b</sub>: Newcombe's hybrid score interval
 * in fixed mode; in sequential mode a normal-mixture confidence sequence δ̂ ± c(V)·SE (Howard et al.
 * 2021; Waudby-Smith et al. 2021) with V = N<sub>c</sub>N<sub>b</sub> / (N<sub>c</sub> + N<sub>b</sub>)
 * requests and SE from rates shrunk by half an error (so zero errors never give zero width).
 * <li><b>Relative and ratio bands</b> compare p<sub>c</sub> / p<sub>b</sub> − 1: the exact conditional
 * interval in fixed mode; the Lindon–Malek error-share sequence in sequential mode.
 * </ul>
 * A sequential interval is never reported narrower than the fixed one at the same level: it is
 * the hull of both, which keeps its time-uniform coverage.
 *
 * <p>An inconclusive outcome's reason ends with what it would take, from the {@link StagePlanner}:
 * how many more intervals of data at this traffic until a canary as good as the baseline would pass.
 *
 * <p>Guard: unless the metric sets {@code minRequests}, each side needs enough requests that a canary
 * with zero errors could be shown inside the band — the rule of three (Hanley &amp; Lippman-Hand 1983,
 * "If nothing goes wrong, is everything all right?", JAMA 249): N ≥ 3 / d, with d the band's width in
 * rate units on the harmful side, and twice that in sequential mode.
 */
final class RateMetricJudge {

    /** The method of each interval, named in {@code test} after the hold band's (the rollback band's without one). */
    static final String ABSOLUTE_FIXED = "newcombe-hybrid-score";
    static final String ABSOLUTE_SEQUENTIAL = "normal-mixture-sequential";
    static final String RELATIVE_FIXED = "binomial-exact-conditional";
    static final String RELATIVE_SEQUENTIAL = "dirichlet-mixture-sequential";

    /** The rule of three: zero errors in N requests put the 95 % upper bound near 3 / N. */
    static final double RULE_OF_THREE = 3;

    /** How many more intervals of data an inconclusive reason looks ahead: a day of one-minute intervals. */
    static final int MAX_INTERVALS_AHEAD = 1440;
    /** For data given as a single total, how many times the requests so far it looks ahead. */
    static final int MAX_MULTIPLE_AHEAD = 100;

    /** Default horizon, in multiples of the requests a zero-error canary needs. */
    static final int HORIZON_MULTIPLE = 100;

    private RateMetricJudge() {
    }

    static MetricOutcome judge(MetricSpec spec, MetricData.Rate data, Level level) {
        long eb = data.baseline().errors();
        long nb = data.baseline().requests();
        long ec = data.canary().errors();
        long nc = data.canary().requests();
        if (nb == 0 || nc == 0) {
            String side = nc == 0 ? "canary" : "baseline";
            return Outcomes.withoutEffect(spec, data, Outcome.NODATA, "no " + side + " requests in the window.");
        }
        long needed = minRequests(spec, (double) eb / nb, level);
        if (nc < needed || nb < needed) {
            String side = nc < needed ? "canary" : "baseline";
            long has = nc < needed ? nc : nb;
            Band band = spec.hold().orElseGet(() -> spec.rollback().orElseThrow());
            String role = spec.hold().isPresent() ? "hold" : "rollback";
            return Outcomes.withoutEffect(spec, data, Outcome.INCONCLUSIVE, "too few " + side + " requests to judge: "
                + Reasons.count(has) + " of the " + Reasons.count(needed) + " needed to show the rate is within "
                + Reasons.band(role, band, spec.direction(), spec.type()) + "." + whatItWouldTake(spec, level, data));
        }
        Set<EffectScale> scales = new LinkedHashSet<>();
        spec.bands().forEach(b -> scales.add(b.scale()));
        Map<EffectScale, Effect> effects = new EnumMap<>(EffectScale.class);
        double pb = (double) eb / nb;
        double pc = (double) ec / nc;
        for (EffectScale scale : scales) {
            double estimate = scale == EffectScale.ABSOLUTE ? pc - pb
                : eb == 0 ? (ec == 0 ? Double.NaN : Double.POSITIVE_INFINITY) : pc / pb - 1;
            double[] interval = interval(spec, scale, ec, nc, eb, nb, level);
            effects.put(scale, new Effect(scale, estimate, new Interval(interval[0], interval[1]), level.confidence()));
        }
        BandDecision decision = BandDecision.of(spec, effects);
        List<Effect> ordered = new ArrayList<>();
        scales.forEach(s -> ordered.add(effects.get(s)));
        boolean absolute = ordered.get(0).scale() == EffectScale.ABSOLUTE;
        String test = absolute ? (level.sequential() ? ABSOLUTE_SEQUENTIAL : ABSOLUTE_FIXED)
            : (level.sequential() ? RELATIVE_SEQUENTIAL : RELATIVE_FIXED);
        String reason = decision.outcome() == Outcome.INCONCLUSIVE ? decision.reason() + whatItWouldTake(spec, level, data)
            : decision.reason();
        return Outcomes.of(spec, data, decision.outcome(), reason, test, pValue(eb, nb, ec, nc, level), ordered);
    }

    /**
     * What an inconclusive metric would take, from the stage planner: how many more intervals of data
     * at the traffic per interval so far (or, for a single total, how many times the requests so far)
     * until a canary as good as the baseline would pass.
     */
    private static String whatItWouldTake(MetricSpec spec, Level level, MetricData.Rate data) {
        int intervals = Math.max(1, data.canary().size());
        boolean total = intervals == 1;
        int max = total ? MAX_MULTIPLE_AHEAD : MAX_INTERVALS_AHEAD;
        OptionalLong more = StagePlanner.moreLooksToPass(spec, level, data.baseline().errors(), data.baseline().requests(),
            data.canary().errors(), data.canary().requests(), intervals, max);
        String subject = " At this traffic a canary as good as the baseline would ";
        if (more.isEmpty()) {
            return subject + "not pass within " + (total ? max + " times the requests so far" : Reasons.count(max)
                + " more intervals") + ": widen the canary, or the band.";
        }
        long m = more.getAsLong();
        return subject + "pass " + (total ? "with about " + Reasons.count(m + 1) + " times the requests so far"
            : "after about " + Reasons.count(m) + (m == 1 ? " more interval" : " more intervals")) + ".";
    }

    /**
     * The interval of the effect on one scale, as the judge reports it: p<sub>c</sub> − p<sub>b</sub> for
     * the absolute scale, p<sub>c</sub> / p<sub>b</sub> − 1 for the relative one. The stage planner
     * evaluates the same intervals at the counts it expects, so its times are this judge's.
     *
     * @return {lower, upper}
     */
    static double[] interval(MetricSpec spec, EffectScale scale, long ec, long nc, long eb, long nb, Level level) {
        if (scale == EffectScale.ABSOLUTE) {
            double[] interval = RateDifferenceInterval.newcombe(ec, nc, eb, nb, level.confidence());
            return level.sequential() ? hull(interval, differenceSequence(spec, ec, nc, eb, nb, level)) : interval;
        }
        double[] ratio = RateRatioInterval.exactConditional(ec, nc, eb, nb, level.confidence());
        double[] interval = {ratio[0] - 1, ratio[1] - 1};
        if (!level.sequential()) {
            return interval;
        }
        double[] log = new ErrorShareSequence(eb, ec, (double) nc / (nc + nb)).logRatio(level.alpha());
        return hull(interval, new double[] {Math.expm1(log[0]), Math.expm1(log[1])});
    }

    /**
     * Requests each side needs: the metric's {@code minRequests}, else as many as a zero-error canary
     * needs to be shown inside the hold band (the rollback band without one): 3 / d, twice that in
     * sequential mode, where d is the band's width in rate units on the harmful side, taken at the
     * baseline's rate for relative and ratio bands.
     * Without baseline errors a relative band has no width yet: the interval alone decides.
     */
    static long minRequests(MetricSpec spec, double baselineRate, Level level) {
        if (spec.minRequests().isPresent()) {
            return spec.minRequests().getAsInt();
        }
        Band band = spec.hold().orElseGet(() -> spec.rollback().orElseThrow());
        double width = harmfulWidth(band, spec.direction(), baselineRate);
        if (!(width > 0)) {
            return 1;
        }
        double k = level.sequential() ? 2 * RULE_OF_THREE : RULE_OF_THREE;
        return (long) Math.ceil(k / width);
    }

    /** The band's width in rate units: how far from the baseline's rate the rate may move before harm. */
    private static double harmfulWidth(Band band, Direction direction, double baselineRate) {
        Interval allowed = band.allowed(direction);
        double width = Math.min(allowed.upper(), -allowed.lower());
        return band.kind() == Band.Kind.ABSOLUTE ? width : width * baselineRate;
    }

    /**
     * Normal-mixture confidence sequence for p_c − p_b, tuned for the metric's horizon in requests.
     * The default horizon comes from the absolute band alone, never from the data: a tuning that
     * moved with the data from look to look would void the time-uniform guarantee.
     */
    private static double[] differenceSequence(MetricSpec spec, long ec, long nc, long eb, long nb, Level level) {
        double horizon;
        if (spec.horizon().isPresent()) {
            horizon = spec.horizon().getAsInt();
        } else {
            Band absolute = spec.bands().stream().filter(b -> b.kind() == Band.Kind.ABSOLUTE).findFirst().orElseThrow();
            horizon = HORIZON_MULTIPLE * Math.ceil(2 * RULE_OF_THREE / harmfulWidth(absolute, spec.direction(), 0));
        }
        NormalMixtureBoundary boundary = NormalMixtureBoundary.tunedFor(horizon / 2, level.alpha());
        double v = (double) nc * nb / ((double) nc + nb);
        double sc = (ec + 0.5) / (nc + 1.0);
        double sb = (eb + 0.5) / (nb + 1.0);
        double se = Math.sqrt(sc * (1 - sc) / nc + sb * (1 - sb) / nb);
        double d = (double) ec / nc - (double) eb / nb;
        double radius = boundary.criticalValue(v) * se;
        return new double[] {d - radius, d + radius};
    }

    /**
     * Fixed mode: the exact conditional binomial test of equal rates (e<sub>c</sub> out of
     * E errors against the canary's share of requests). Sequential: the anytime-valid p-value of the
     * error-share sequence, or the fixed one when that is larger (as with the intervals, taking the
     * more cautious of the two keeps the anytime guarantee).
     */
    private static double pValue(long eb, long nb, long ec, long nc, Level level) {
        double share = (double) nc / (nc + nb);
        double fixed = fixedPValue(eb, ec, share);
        return level.sequential() ? Math.max(fixed, new ErrorShareSequence(eb, ec, share).pValue()) : fixed;
    }

    private static double fixedPValue(long eb, long ec, double share) {
        long total = eb + ec;
        if (total == 0) {
            return 1;
        }
        if (total > Integer.MAX_VALUE) {
            // Beyond int counts the normal approximation of the same conditional test is exact enough.
            double z = (ec - total * share) / Math.sqrt(total * share * (1 - share));
            return 2 * NormalDistribution.of(0, 1).survivalProbability(Math.abs(z));
        }
        return BinomialTest.withDefaults().with(AlternativeHypothesis.TWO_SIDED)
            .test((int) total, (int) ec, share).getPValue();
    }

    private static double[] hull(double[] a, double[] b) {
        return new double[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])};
    }
}
