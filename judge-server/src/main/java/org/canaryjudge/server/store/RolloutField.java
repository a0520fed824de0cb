package org.canaryjudge.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;
import org.canaryjudge.model.Violation;

/**
 * The request's {@code rollout} field: {@code {"id": "shop/checkout/7f9c6d5b8", "stage": "25%"}}.
 *
 * @param id matches {@code [A-Za-z0-9_.:/@-]{1,200}}
 * @param stage the stage, or null to stay in the rollout's current one
 */
public record RolloutField(String id, String stage) {

    public static final String FIELD = "rollout";
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:/@-]{1,200}");
    /** A stage is a short label such as {@code 25%} or {@code step-3}. */
    static final int MAX_STAGE = 100;

    /**
     * Takes the {@code rollout} field out of a request.
     *
     * @param root the request (changed: the field is removed)
     * @param violations receives every problem, at JSON Pointers under {@code /rollout}
     * @return the field, or null when the request has none or it is invalid
     */
    public static RolloutField take(ObjectNode root, List<Violation> violations) {
        JsonNode node = root.remove(FIELD);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            violations.add(new Violation("/rollout", "must be an object such as {\"id\": \"shop/checkout/7f9c6d5b8\", \"stage\": \"25%\"}"));
            return null;
        }
        int before = violations.size();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("id") && !name.equals("stage")) {
                violations.add(new Violation("/rollout/" + name.replace("~", "~0").replace("/", "~1"),
                    "is not a field of rollout; its fields are id and stage"));
            }
        }
        JsonNode id = node.get("id");
        if (id == null || id.isNull()) {
            violations.add(new Violation("/rollout/id", "is required: the rollout's name, such as \"shop/checkout/7f9c6d5b8\""));
        } else if (!id.isTextual() || !ID.matcher(id.textValue()).matches()) {
            violations.add(new Violation("/rollout/id", "must be 1 to 200 characters of letters, digits and _ . : / @ -, got "
                + shown(id)));
        }
        JsonNode stage = node.get("stage");
        if (stage != null && !stage.isNull() && (!stage.isTextual() || stage.textValue().isBlank()
            || stage.textValue().length() > MAX_STAGE || stage.textValue().chars().anyMatch(Character::isISOControl))) {
            violations.add(new Violation("/rollout/stage", "must be a label of 1 to " + MAX_STAGE
                + " printable characters, such as \"25%\", got " + shown(stage)));
        }
        if (violations.size() > before) {
            return null;
        }
        return new RolloutField(id.textValue(), stage == null || stage.isNull() ? null : stage.textValue());
    }

    private static String shown(JsonNode value) {
        String text = value.toString();
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }
}
