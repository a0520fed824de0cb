package org.canaryjudge.server.kayenta;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import org.canaryjudge.model.Violation;
import org.canaryjudge.server.json.JsonFields;

/** The readers' shared step: "this must be an object", with the violation when it is not. */
final class KayentaJson {

    private KayentaJson() {
    }

    /**
     * @param what how the object is named in the message: "a metric set pair"
     * @return a lenient reader of {@code node}, or null with a violation when it is not an object
     */
    static JsonFields object(JsonNode node, String pointer, String what, List<Violation> violations) {
        if (!node.isObject()) {
            violations.add(new Violation(pointer, what + " must be an object, got " + JsonFields.describe(node)));
            return null;
        }
        return JsonFields.lenient(node, pointer, violations);
    }

    /**
     * @param required whether an absent field is a violation
     * @param known the object's fields, every other being a violation; null to let any pass
     * @return a reader of the object field, or null when it is absent or not an object (a violation)
     */
    static JsonFields field(JsonFields parent, String field, boolean required, Set<String> known, List<Violation> violations) {
        if (!parent.has(field)) {
            if (required) {
                parent.fail(field, "is required");
            }
            return null;
        }
        JsonNode node = parent.node(field);
        if (!node.isObject()) {
            parent.fail(field, "must be an object, got " + JsonFields.describe(node));
            return null;
        }
        return known == null
            ? JsonFields.lenient(node, parent.at(field), violations)
            : new JsonFields(node, parent.at(field), violations, known);
    }
}
