package org.canaryjudge.server.flagger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.canaryjudge.model.InvalidInputException;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.model.Verdict;
import org.canaryjudge.model.Violation;
import org.canaryjudge.server.json.JsonFields;
import org.canaryjudge.server.store.RolloutField;

/**
 * Flagger's webhook call turned into a judge request, and the verdict turned into Flagger's answer.
 *
 * <p>Flagger posts {@code {"name", "namespace", "phase", "checksum", "metadata": {…}}} to each
 * webhook of a {@code Canary}. The request judges the named configuration (which must have a data
 * source) with the payload as template variables: {@code name}, {@code namespace}, {@code phase},
 * {@code checksum} and every metadata entry, except {@code start}, {@code end} and {@code step},
 * which set the window like the request fields of the same names, {@code stage}, the rollout's
 * stage, and {@code token}, which the server checks as its bearer token. Without {@code start} the window is the configuration's
 * {@code lookback} up to now.
 *
 * <p>A gate ({@code confirm-traffic-increase}, {@code confirm-promotion}) passes (200) only on
 * {@code promote}; a {@code rollback} hook fires (200) only on {@code rollback}. Any other verdict
 * is 403, and the body — which Flagger shows in its events — is the verdict and its reason.
 */
public final class FlaggerWebhook {

    /** What the hook asks. */
    public enum Hook {
        /** confirm-traffic-increase and confirm-promotion: may the canary advance? */
        GATE(Verdict.PROMOTE),
        /** rollback: must the canary be rolled back? */
        ROLLBACK(Verdict.ROLLBACK);

        private final Verdict yes;

        Hook(Verdict yes) {
            this.yes = yes;
        }

        /** @return 200 when the verdict answers the hook's question with yes, else 403 */
        public int status(Judgement judgement) {
            return judgement.verdict() == yes ? 200 : 403;
        }
    }

    /** The metadata key that may carry the server's bearer token, since Flagger sends no headers. */
    public static final String TOKEN = "token";

    private static final Set<String> PAYLOAD_FIELDS = Set.of("name", "namespace", "phase", "checksum", "metadata");
    private static final Set<String> WINDOW_KEYS = Set.of("start", "end", "step");
    /** The metadata key naming the rollout's stage: a label, not a template variable. */
    static final String STAGE = "stage";

    private FlaggerWebhook() {
    }

    /**
     * @param config the configuration to judge
     * @param payload the webhook's body
     * @return the judge request: config, variables and window
     * @throws InvalidInputException when the payload is not Flagger's, at pointers into the payload
     */
    public static ObjectNode request(String config, ObjectNode payload) {
        List<Violation> violations = new ArrayList<>();
        JsonFields f = new JsonFields(payload, "", violations, PAYLOAD_FIELDS);
        ObjectNode request = JsonNodeFactory.instance.objectNode().put("config", config);
        ObjectNode variables = request.putObject("variables");
        JsonNode stage = null;
        for (String field : List.of("name", "namespace", "phase", "checksum")) {
            String value = field.equals("name") || field.equals("namespace") ? f.requiredString(field) : f.string(field);
            if (value != null) {
                variables.put(field, value);
            }
        }
        if (f.has("metadata")) {
            JsonNode metadata = f.node("metadata");
            if (!metadata.isObject()) {
                f.fail("metadata", "must be an object of string values");
            } else {
                for (Iterator<Map.Entry<String, JsonNode>> it = metadata.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (PAYLOAD_FIELDS.contains(e.getKey())) {
                        violations.add(new Violation("/metadata/" + e.getKey(), "is set by Flagger's payload and cannot be given here"));
                    } else if (WINDOW_KEYS.contains(e.getKey())) {
                        request.set(e.getKey(), e.getValue());
                    } else if (e.getKey().equals(STAGE)) {
                        stage = e.getValue();
                    } else if (!e.getKey().equals(TOKEN)) {
                        variables.set(e.getKey(), e.getValue());
                    }
                }
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        rollout(variables, stage, request);
        return request;
    }

    /**
     * Names the rollout {@code {namespace}/{name}/{checksum}} (the canary's revision), so that the
     * server remembers Flagger's looks; the metadata entry {@code stage}, when given, is its stage
     * (Flagger's payload carries neither the weight nor the iteration, and metadata are fixed per
     * webhook). A payload without a checksum names no rollout.
     */
    private static void rollout(ObjectNode variables, JsonNode stage, ObjectNode request) {
        String id = rolloutId(variables);
        if (id == null) {
            return;
        }
        ObjectNode rollout = request.putObject(RolloutField.FIELD).put("id", id);
        if (stage != null) {
            rollout.set("stage", stage);
        }
    }

    /**
     * @param payload a webhook's payload (or the variables made of it)
     * @return the rollout it names, {@code {namespace}/{name}/{checksum}}, or null when it has no
     *     checksum or the three do not make a rollout id
     */
    public static String rolloutId(JsonNode payload) {
        if (!payload.path("checksum").isTextual() || !payload.path("namespace").isTextual() || !payload.path("name").isTextual()) {
            return null;
        }
        String id = payload.get("namespace").textValue() + "/" + payload.get("name").textValue() + "/" + payload.get("checksum").textValue();
        return RolloutField.ID.matcher(id).matches() ? id : null;
    }

    /**
     * @param violations problems found in a request made by {@link #request}
     * @return the same problems, at pointers into Flagger's payload
     */
    public static List<Violation> inPayload(List<Violation> violations) {
        return violations.stream().map(v -> new Violation(payloadPointer(v.path()), v.message())).toList();
    }

    private static String payloadPointer(String pointer) {
        for (String field : List.of("name", "namespace", "phase", "checksum")) {
            if (pointer.equals("/variables/" + field)) {
                return "/" + field;
            }
        }
        if (pointer.startsWith("/variables/")) {
            return "/metadata/" + pointer.substring("/variables/".length());
        }
        if (pointer.equals("/variables")) {
            return "/metadata";
        }
        if (pointer.equals("/rollout/stage")) {
            return "/metadata/" + STAGE;
        }
        for (String key : WINDOW_KEYS) {
            if (pointer.equals("/" + key)) {
                return "/metadata/" + key;
            }
        }
        return pointer;
    }

    /** @return the answer's body: the verdict and the judge's reason, on one line */
    public static String body(Judgement judgement) {
        return judgement.verdict().name().toLowerCase(java.util.Locale.ROOT) + ": " + judgement.reason();
    }
}
