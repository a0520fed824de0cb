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
 * [{"name", "type", "baseline": {"t", "y"}, "canary": {"t", "y"}, "effects": [...]}]}}, each
 * effect an {@link EffectSeries}. Times are epoch seconds. A rate's {@code y} is errors / requests
 * per interval. Every number is finite: a missing value and NaN are {@code null}.
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
        EffectSeries series = new EffectSeries(Formats.name(scale),
            scale == EffectScale.RELATIVE ? "percent" : spec.type() == MetricType.RATE ? "points" : "value");
        MetricOutcome firstOutcome = looks.get(0).judgement().metrics().get(index);
        if (spec.hold().filter(b -> b.scale() == scale).isPresent()) {
            series.band("hold", firstOutcome.holdAllowed().lower(), firstOutcome.holdAllowed().upper());
        }
        if (spec.rollback().filter(b -> b.scale() == scale).isPresent()) {
            series.band("rollback", firstOutcome.rollbackAllowed().lower(), firstOutcome.rollbackAllowed().upper());
        }
        for (Look look : looks) {
            MetricOutcome o = look.judgement().metrics().get(index);
            Optional<Effect> e = o.effects().stream().filter(x -> x.scale() == scale).findFirst();
            if (e.isPresent()) {
                series.look(e.get().estimate(), e.get().interval().lower(), e.get().interval().upper(), Formats.name(o.outcome()));
            } else {
                series.lookWithout(Formats.name(o.outcome()));
            }
        }
        return series.json();
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
            EffectSeries.add(values, v);
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
}
