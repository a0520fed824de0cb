package org.canaryjudge.server.ui;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.canaryjudge.server.report.EffectSeries;
import org.canaryjudge.server.store.RolloutStore;

/**
 * A rollout's chart data for the review page's script ({@code ui/review.js}), in the shape the
 * shared effect charts read ({@code report/charts.js}): {@code {"x": [from, to], "decided": null,
 * "looks": [{"look", "t", "verdict"}], "stages": [{"name", "t"}], "metrics": [{"name", "effects":
 * [EffectSeries]}]}}, times in epoch seconds. Each metric is charted on the scale of its first
 * recorded effect, against the bands its latest look recorded on that scale; an absolute effect's
 * unit is the metric's own ({@code value}), since the store does not keep the metric's type.
 */
final class RolloutCharts {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** With one look the time axis still needs a span: this much on each side of it. */
    private static final long LONE_LOOK_MARGIN_SECONDS = 60;

    private RolloutCharts() {
    }

    /**
     * @param charts receives the metrics that have a chart, in the data's order
     * @return the chart data
     */
    static ObjectNode of(RolloutStore.History h, List<RolloutPage.MetricChart> charts) {
        List<RolloutStore.RecordedLook> looks = h.looks();
        ObjectNode n = JSON.objectNode();
        long first = looks.get(0).at().getEpochSecond();
        long last = looks.get(looks.size() - 1).at().getEpochSecond();
        n.putArray("x").add(first == last ? first - LONE_LOOK_MARGIN_SECONDS : first)
            .add(first == last ? last + LONE_LOOK_MARGIN_SECONDS : last);
        n.putNull("decided");
        ArrayNode lookNodes = n.putArray("looks");
        looks.forEach(l -> lookNodes.addObject().put("look", l.look()).put("t", l.at().getEpochSecond()).put("verdict", l.verdict()));
        ArrayNode stages = n.putArray("stages");
        h.stages().forEach(s -> stages.addObject().put("name", s.name()).put("t", s.startedAt().getEpochSecond()));
        ArrayNode metrics = n.putArray("metrics");
        for (Map.Entry<String, List<StoredEffect>> m : effects(looks).entrySet()) {
            StoredEffect scaled = m.getValue().stream().filter(e -> e != null).findFirst().orElse(null);
            if (scaled == null) {
                continue;
            }
            charts.add(new RolloutPage.MetricChart(metrics.size(), m.getKey(), scaled.scale()));
            ObjectNode metric = metrics.addObject().put("name", m.getKey());
            metric.putArray("effects").add(series(m.getKey(), m.getValue(), scaled.scale(), looks).json());
        }
        return n;
    }

    /** @return per metric, in the order the metrics first appear, its stored effect at each look (null where none) */
    private static Map<String, List<StoredEffect>> effects(List<RolloutStore.RecordedLook> looks) {
        Map<String, List<StoredEffect>> effects = new LinkedHashMap<>();
        for (int i = 0; i < looks.size(); i++) {
            for (RolloutStore.MetricLook m : looks.get(i).metrics()) {
                List<StoredEffect> list = effects.computeIfAbsent(m.name(), k -> new ArrayList<>());
                while (list.size() < i) {
                    list.add(null);
                }
                list.add(StoredEffect.parse(m.effectJson()));
            }
        }
        effects.values().forEach(list -> {
            while (list.size() < looks.size()) {
                list.add(null);
            }
        });
        return effects;
    }

    private static EffectSeries series(String name, List<StoredEffect> effects, String scale, List<RolloutStore.RecordedLook> looks) {
        EffectSeries series = new EffectSeries(scale, scale.equals("relative") ? "percent" : "value");
        StoredEffect banded = null;
        for (int i = 0; i < looks.size(); i++) {
            StoredEffect e = effects.get(i);
            String outcome = outcome(looks.get(i), name);
            if (e != null && e.scale().equals(scale)) {
                series.look(e.effect().estimate(), e.effect().interval().lower(), e.effect().interval().upper(), outcome);
                banded = e;
            } else {
                series.lookWithout(outcome);
            }
        }
        if (banded != null && banded.hold() != null) {
            series.band("hold", banded.hold().lower(), banded.hold().upper());
        }
        if (banded != null && banded.rollback() != null) {
            series.band("rollback", banded.rollback().lower(), banded.rollback().upper());
        }
        return series;
    }

    private static String outcome(RolloutStore.RecordedLook look, String metric) {
        return look.metrics().stream().filter(m -> m.name().equals(metric)).map(RolloutStore.MetricLook::outcome)
            .findFirst().orElse("nodata");
    }
}
