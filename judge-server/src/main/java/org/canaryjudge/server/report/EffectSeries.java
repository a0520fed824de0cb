package org.canaryjudge.server.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One metric's effect on one scale, look by look, as the effect charts draw it (charts.js,
 * {@code effectChart}), for the replay report and the review page alike: {@code {"scale", "unit",
 * "hold": [lower, upper], "rollback": [lower, upper], "has", "estimate", "lower", "upper",
 * "outcome"}}, one entry per look in each array; {@code has} says whether the look estimated the
 * effect. {@code unit} is {@code percent} (relative scale), {@code points} (a rate's absolute
 * scale) or {@code value}. Every number is finite: NaN and an infinite end of an interval or band
 * (unbounded) are {@code null}.
 */
public final class EffectSeries {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ObjectNode node = JSON.objectNode();
    private final ArrayNode has;
    private final ArrayNode estimate;
    private final ArrayNode lower;
    private final ArrayNode upper;
    private final ArrayNode outcome;

    /**
     * @param scale {@code absolute} or {@code relative}
     * @param unit {@code percent}, {@code points} or {@code value}
     */
    public EffectSeries(String scale, String unit) {
        node.put("scale", scale);
        node.put("unit", unit);
        has = node.putArray("has");
        estimate = node.putArray("estimate");
        lower = node.putArray("lower");
        upper = node.putArray("upper");
        outcome = node.putArray("outcome");
    }

    /**
     * Sets a band's allowed effects, drawn as dashed limits.
     *
     * @param band {@code hold} or {@code rollback}
     */
    public EffectSeries band(String band, double lower, double upper) {
        ArrayNode a = node.putArray(band);
        add(a, lower);
        add(a, upper);
        return this;
    }

    /** Adds a look that estimated the effect. */
    public void look(double estimate, double lower, double upper, String outcome) {
        has.add(true);
        add(this.estimate, estimate);
        add(this.lower, lower);
        add(this.upper, upper);
        this.outcome.add(outcome);
    }

    /** Adds a look without an estimate on this scale. */
    public void lookWithout(String outcome) {
        has.add(false);
        estimate.addNull();
        lower.addNull();
        upper.addNull();
        this.outcome.add(outcome);
    }

    /** @return the series as the charts read it */
    public ObjectNode json() {
        return node;
    }

    /** Adds a finite number, or null for NaN and infinities (which JSON cannot hold). */
    static void add(ArrayNode array, double v) {
        if (Double.isFinite(v)) {
            array.add(v);
        } else {
            array.addNull();
        }
    }
}
