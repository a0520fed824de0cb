package org.canaryjudge.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.model.Violation;

/**
 * Dry-run metrics ({@code "dryRun": true} on a metric of a request with inline data): judged, recorded
 * and shown, never counted in the verdict. The request is judged whole, which gives every metric's
 * outcome with its pointers as sent, and once more without the dry-run metrics, which gives the
 * verdict, reason and score; a metric's outcome does not depend on the other metrics.
 */
final class DryRun {

    static final String FIELD = "dryRun";

    private DryRun() {
    }

    /**
     * Takes {@code dryRun} out of the request's metrics.
     *
     * @return the names of the dry-run metrics (empty when there are none)
     */
    static Set<String> take(ObjectNode root, List<Violation> violations) {
        Set<String> names = new LinkedHashSet<>();
        JsonNode metrics = root.get("metrics");
        if (metrics == null || !metrics.isArray()) {
            return names;
        }
        for (int i = 0; i < metrics.size(); i++) {
            if (!(metrics.get(i) instanceof ObjectNode m) || !m.has(FIELD)) {
                continue;
            }
            JsonNode flag = m.remove(FIELD);
            String pointer = "/metrics/" + i + "/" + FIELD;
            if (!flag.isBoolean()) {
                violations.add(new Violation(pointer, "must be true or false, got " + flag));
            } else if (flag.booleanValue() && !m.path("name").isTextual()) {
                continue; // the reader reports the missing name
            } else if (flag.booleanValue() && root.has("config")) {
                violations.add(new Violation(pointer, "dry-run metrics are judged from inline data only; this request names a configuration"));
            } else if (flag.booleanValue()) {
                names.add(m.get("name").textValue());
            }
        }
        if (!names.isEmpty() && names.size() == countNamed(metrics)) {
            violations.add(new Violation("/metrics", "every metric is a dry run; at least one must count in the verdict"));
        }
        return names;
    }

    private static int countNamed(JsonNode metrics) {
        int n = 0;
        for (JsonNode m : metrics) {
            n += m.path("name").isTextual() ? 1 : 0;
        }
        return n;
    }

    /** @return the request without its dry-run metrics */
    static ObjectNode counted(ObjectNode root, Set<String> dry) {
        ObjectNode copy = root.deepCopy();
        ArrayNode metrics = copy.putArray("metrics");
        for (JsonNode m : root.get("metrics")) {
            if (!dry.contains(m.path("name").asText(null))) {
                metrics.add(m);
            }
        }
        return copy;
    }

    /** @return the counted judgement's verdict, reason and score with every metric's outcome */
    static Judgement merge(Judgement whole, Judgement counted) {
        return new Judgement(counted.id(), counted.verdict(), counted.reason(), counted.score(), counted.mode(), whole.metrics());
    }

    /** Marks the dry-run metrics of a written response with {@code "dryRun": true}. */
    static void mark(ObjectNode response, Set<String> dry) {
        for (JsonNode m : response.path("metrics")) {
            if (dry.contains(m.path("name").asText(null))) {
                ((ObjectNode) m).put(FIELD, true);
            }
        }
    }
}
