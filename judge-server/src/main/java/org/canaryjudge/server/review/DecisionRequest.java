package org.canaryjudge.server.review;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.canaryjudge.model.InvalidInputException;
import org.canaryjudge.model.Violation;
import org.canaryjudge.server.json.JsonFields;

/**
 * The body of {@code POST /rollouts/{id}/decisions}: {@code {"decision": "promote" | "hold" |
 * "rollback", "comment": "…"}}.
 *
 * @param decision what the reviewer decided
 * @param comment why, or null
 */
public record DecisionRequest(String decision, String comment) {

    public static final Set<String> DECISIONS = Set.of("promote", "hold", "rollback");
    /** A comment is a sentence or a paragraph, not a document. */
    public static final int MAX_COMMENT = 2000;

    private static final Set<String> FIELDS = Set.of("decision", "comment");

    /**
     * @throws InvalidInputException with every problem at its JSON Pointer
     */
    public static DecisionRequest read(JsonNode body) {
        List<Violation> violations = new ArrayList<>();
        JsonFields f = new JsonFields(body, "", violations, FIELDS);
        String decision = f.requiredString("decision");
        if (decision != null && !DECISIONS.contains(decision)) {
            f.fail("decision", "must be \"promote\", \"hold\" or \"rollback\", got \"" + clip(decision) + "\"");
        }
        String comment = f.string("comment");
        if (comment != null && comment.length() > MAX_COMMENT) {
            f.fail("comment", "must be at most " + MAX_COMMENT + " characters, got " + comment.length());
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return new DecisionRequest(decision, comment == null || comment.isBlank() ? null : comment.strip());
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
