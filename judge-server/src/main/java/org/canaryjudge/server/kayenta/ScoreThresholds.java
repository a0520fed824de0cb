package org.canaryjudge.server.kayenta;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.canaryjudge.model.Violation;
import org.canaryjudge.server.json.JsonFields;

/**
 * Kayenta's {@code scoreThresholds}: a score (0–100) at or above {@code pass} is {@code Pass}, at or
 * above {@code marginal} is {@code Marginal}, and below it {@code Fail} — Kayenta's own
 * threshold rule.
 *
 * @param pass the lowest passing score
 * @param marginal the lowest marginal score, at most {@code pass}
 */
record ScoreThresholds(double pass, double marginal) {

    private static final Set<String> FIELDS = new LinkedHashSet<>(List.of("pass", "marginal"));

    /** @return "Pass", "Marginal" or "Fail", Kayenta's spelling */
    String classify(double score) {
        if (score >= pass) {
            return "Pass";
        }
        return score >= marginal ? "Marginal" : "Fail";
    }

    /**
     * @param node the thresholds object
     * @param pointer its JSON Pointer
     * @return the thresholds, or null with violations when they are invalid
     */
    static ScoreThresholds read(JsonNode node, String pointer, List<Violation> violations) {
        if (!node.isObject()) {
            violations.add(new Violation(pointer, "must be an object {\"pass\": 95, \"marginal\": 75}, got "
                + JsonFields.describe(node)));
            return null;
        }
        JsonFields f = new JsonFields(node, pointer, violations, FIELDS);
        Double pass = score(f, "pass");
        Double marginal = score(f, "marginal");
        if (pass == null || marginal == null) {
            return null;
        }
        if (marginal > pass) {
            f.fail("marginal", "must not be above pass (" + pass + "), got " + marginal);
            return null;
        }
        return new ScoreThresholds(pass, marginal);
    }

    private static Double score(JsonFields f, String field) {
        if (!f.has(field)) {
            f.fail(field, "is required: a score from 0 to 100");
            return null;
        }
        Double v = f.number(field);
        if (v != null && !(v >= 0 && v <= 100)) {
            f.fail(field, "must be a score from 0 to 100, got " + v);
            return null;
        }
        return v;
    }
}
