package org.canaryjudge.server.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.canaryjudge.model.Band;
import org.canaryjudge.model.Counts;
import org.canaryjudge.model.Effect;
import org.canaryjudge.model.EffectScale;
import org.canaryjudge.model.Interval;
import org.canaryjudge.model.MetricData;
import org.canaryjudge.model.MetricOutcome;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.MetricType;
import org.canaryjudge.replay.Look;
import org.canaryjudge.replay.RecordedMetric;
import org.canaryjudge.server.fixture.FixtureReplay;

/**
 * The data the report's script draws for one fixture, as JSON: the looks, and per metric both
 * sides' series over time and, per scale its bands use, the effect look by look.
 *
 * <p>Shape: {@code {"x": [from, to], "decided": n, "looks": [{"look", "t", "verdict"}], "metrics":
 * [{"name", "type", "baseline": {"t", "y"}, "canary": {"t", "y"}, "effects": [{"scale", "unit",
 * "hold": [lower, upper], "rollback": [lower, upper], "has", "estimate", "lower", "upper",
 * "outcome"}]}]}}. Times are epoch seconds. A rate's {@code y} is errors / requests per interval.
 * Effect arrays have one entry per look; {@code has} says whether the look estimated the effect.
 * Every number is finite: a missing value, an infinite end of an interval or band (unbounded)
 * and NaN are all {@code null}.
 */
final class ChartData {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ChartData() {
    }

    /**
     * The scales on which a metric's effect is charted: those of its bands, hold band's first.
     *
     * @return one or two scales
     */
    static List<EffectScale> scales(MetricSpec spec) {
        List<EffectScale> scales = new ArrayList<>(2);
        for (Band band : spec.bands()) {
            if (!scales.contains(band.scale())) {
                scales.add(band.scale());
            }
        }
        return scales;
    }

    /** @return the fixture's chart data */
    static ObjectNode of(FixtureReplay replay) {
        List<Look> looks = replay.result().looks();
        List<RecordedMetric> metrics = replay.fixture().metrics();
        ObjectNode n = JSON.objectNode();
        long first = metrics.stream().mapToLong(ChartData::firstTime).min().orElse(looks.get(0).time());
        n.putArray("x").add(first).add(looks.get(looks.size() - 1).time());
        n.put("decided", replay.result().decidedAtLook());
        ArrayNode lookNodes = n.putArray("looks");
        for (Look look : looks) {
            lookNodes.addObject().put("look", look.index()).put("t", look.time())
                .put("verdict", Formats.name(look.judgement().verdict()));
        }
        ArrayNode metricNodes = n.putArray("metrics");
        for (int i = 0; i < metrics.size(); i++) {
            metricNodes.add(metric(metrics.get(i), i, looks));
        }
        return n;
    }

    private static ObjectNode metric(RecordedMetric recorded, int index, List<Look> looks) {
        MetricSpec spec = recorded.spec();
        ObjectNode n = JSON.objectNode();
        n.put("name", spec.name());
        n.put("type", Formats.name(spec.type()));
        MetricData data = recorded.before(Long.MAX_VALUE).data();
        if (data instanceof MetricData.Rate rate) {
            n.set("baseline", side(recorded.baselineTimes(), rates(rate.baseline())));
            n.set("canary", side(recorded.canaryTimes(), rates(rate.canary())));
        } else if (data instanceof MetricData.Histograms h) {
            // Each point's quantile, as histogram_quantile would chart it; the judgement uses the counts.
            n.set("baseline", side(recorded.baselineTimes(), h.baseline().quantilePerInterval(spec.quantile(), spec.bounds())));
            n.set("canary", side(recorded.canaryTimes(), h.canary().quantilePerInterval(spec.quantile(), spec.bounds())));
        } else {
            MetricData.Continuous series = (MetricData.Continuous) data;
            n.set("baseline", side(recorded.baselineTimes(), series.baseline().values()));
            n.set("canary", side(recorded.canaryTimes(), series.canary().values()));
        }
        ArrayNode effects = n.putArray("effects");
        for (EffectScale scale : scales(spec)) {
            effects.add(effects(spec, scale, index, looks));
        }
        return n;
    }

    private static ObjectNode effects(MetricSpec spec, EffectScale scale, int index, List<Look> looks) {
        ObjectNode n = JSON.objectNode();
        n.put("scale", Formats.name(scale));
        n.put("unit", scale == EffectScale.RELATIVE ? "percent" : spec.type() == MetricType.RATE ? "points" : "value");
        MetricOutcome firstOutcome = looks.get(0).judgement().metrics().get(index);
        if (spec.hold().filter(b -> b.scale() == scale).isPresent()) {
            n.set("hold", interval(firstOutcome.holdAllowed()));
        }
        if (spec.rollback().filter(b -> b.scale() == scale).isPresent()) {
            n.set("rollback", interval(firstOutcome.rollbackAllowed()));
        }
        ArrayNode has = n.putArray("has");
        ArrayNode estimate = n.putArray("estimate");
        ArrayNode lower = n.putArray("lower");
        ArrayNode upper = n.putArray("upper");
        ArrayNode outcome = n.putArray("outcome");
        for (Look look : looks) {
            MetricOutcome o = look.judgement().metrics().get(index);
            Optional<Effect> e = o.effects().stream().filter(x -> x.scale() == scale).findFirst();
            has.add(e.isPresent());
            add(estimate, e.map(Effect::estimate).orElse(Double.NaN));
            add(lower, e.map(x -> x.interval().lower()).orElse(Double.NaN));
            add(upper, e.map(x -> x.interval().upper()).orElse(Double.NaN));
            outcome.add(Formats.name(o.outcome()));
        }
        return n;
    }

    private static long firstTime(RecordedMetric m) {
        long[] b = m.baselineTimes();
        long[] c = m.canaryTimes();
        return Math.min(b.length == 0 ? Long.MAX_VALUE : b[0], c.length == 0 ? Long.MAX_VALUE : c[0]);
    }

    private static ObjectNode side(long[] times, double[] y) {
        ObjectNode n = JSON.objectNode();
        ArrayNode t = n.putArray("t");
        for (long time : times) {
            t.add(time);
        }
        ArrayNode values = n.putArray("y");
        for (double v : y) {
            add(values, v);
        }
        return n;
    }

    private static double[] rates(Counts counts) {
        long[] errors = counts.errorsPerInterval();
        long[] requests = counts.requestsPerInterval();
        double[] rates = new double[errors.length];
        for (int i = 0; i < rates.length; i++) {
            rates[i] = requests[i] == 0 ? Double.NaN : (double) errors[i] / requests[i];
        }
        return rates;
    }

    private static ArrayNode interval(Interval allowed) {
        ArrayNode a = JSON.arrayNode();
        add(a, allowed.lower());
        add(a, allowed.upper());
        return a;
    }

    /** Adds a finite number, or null for NaN and infinities (which JSON cannot hold). */
    private static void add(ArrayNode array, double v) {
        if (Double.isFinite(v)) {
            array.add(v);
        } else {
            array.addNull();
        }
    }
}
