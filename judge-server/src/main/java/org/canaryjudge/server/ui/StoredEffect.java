package org.canaryjudge.server.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import org.canaryjudge.model.Effect;
import org.canaryjudge.model.EffectScale;
import org.canaryjudge.model.Interval;

/**
 * A look's effect as the store keeps it ({@code RolloutStore.MetricLook#effectJson}): the effect,
 * and the hold and rollback bands on its scale. JSON's nulls stand for an unbounded end (−∞ or +∞)
 * and for an estimate that was not computed (NaN).
 *
 * @param hold the hold band's allowed effects, or null when the band is not on this scale
 * @param rollback the rollback band's allowed effects, or null when the band is not on this scale
 */
record StoredEffect(Effect effect, Interval hold, Interval rollback) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** @return the stored effect, or null when none was recorded or the record cannot be read */
    static StoredEffect parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(json);
            EffectScale scale = EffectScale.valueOf(n.path("scale").asText("").toUpperCase(Locale.ROOT));
            Effect effect = new Effect(scale, number(n.get("estimate"), Double.NaN), interval(n), n.path("confidence").asDouble(Double.NaN));
            return new StoredEffect(effect, n.has("hold") ? interval(n.get("hold")) : null,
                n.has("rollback") ? interval(n.get("rollback")) : null);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // An older or damaged record: the page shows the look without its effect rather than fail.
            return null;
        }
    }

    /** @return the scale's spelling in the contract: {@code absolute} or {@code relative} */
    String scale() {
        return effect.scale().name().toLowerCase(Locale.ROOT);
    }

    private static Interval interval(JsonNode n) {
        return new Interval(number(n.get("lower"), Double.NEGATIVE_INFINITY), number(n.get("upper"), Double.POSITIVE_INFINITY));
    }

    private static double number(JsonNode n, double ifNull) {
        return n == null || !n.isNumber() ? ifNull : n.doubleValue();
    }
}
