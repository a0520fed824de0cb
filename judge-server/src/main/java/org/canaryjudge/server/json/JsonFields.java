package org.canaryjudge.server.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.canaryjudge.model.Violation;

/**
 * Reads typed fields of one JSON object, recording a violation at the field's JSON Pointer for
 * every field that is missing, of the wrong type or out of range — and for every unknown field, so
 * that a typo such as {@code "rollbak"} is an error rather than a silently missing band.
 *
 * <p>Public for the other adapters' readers (the Kayenta endpoint), which read foreign request
 * shapes with the same messages and pointers; {@link #lenient} serves the parts of such a shape
 * that carry fields the adapter does not use.
 */
public final class JsonFields {

    private final JsonNode object;
    private final String pointer;
    private final List<Violation> violations;

    /**
     * @param object the JSON object to read
     * @param pointer its JSON Pointer, for messages
     * @param violations where problems are recorded
     * @param known the fields it may have; every other field is a violation
     */
    public JsonFields(JsonNode object, String pointer, List<Violation> violations, Set<String> known) {
        this.object = object;
        this.pointer = pointer;
        this.violations = violations;
        if (known == null) {
            return;
        }
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                violations.add(new Violation(at(name), "unknown field; expected one of " + String.join(", ", known)));
            }
        }
    }

    /**
     * A reader that lets unknown fields pass: for objects of a foreign shape (such as Kayenta's)
     * that carry fields this server does not use.
     */
    public static JsonFields lenient(JsonNode object, String pointer, List<Violation> violations) {
        return new JsonFields(object, pointer, violations, null);
    }

    /** @return the JSON Pointer of a field of this object */
    public String at(String field) {
        return pointer + "/" + field.replace("~", "~0").replace("/", "~1");
    }

    public boolean has(String field) {
        return object.has(field) && !object.get(field).isNull();
    }

    public JsonNode node(String field) {
        return object.get(field);
    }

    public void fail(String field, String message) {
        violations.add(new Violation(at(field), message));
    }

    /** @return the string, or null when absent (a violation when of the wrong type) */
    public String string(String field) {
        if (!has(field)) {
            return null;
        }
        JsonNode v = object.get(field);
        if (!v.isTextual()) {
            fail(field, "must be a string, got " + describe(v));
            return null;
        }
        return v.textValue();
    }

    /** @return the string, or a violation and null when absent */
    public String requiredString(String field) {
        if (!has(field)) {
            fail(field, "is required");
            return null;
        }
        return string(field);
    }

    /** @return the finite number, or null when absent or invalid */
    public Double number(String field) {
        if (!has(field)) {
            return null;
        }
        JsonNode v = object.get(field);
        if (!v.isNumber()) {
            fail(field, "must be a number, got " + describe(v));
            return null;
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d)) {
            fail(field, "is too large to be a number here");
            return null;
        }
        return d;
    }

    /** @return the whole number, or null when absent or invalid */
    public Integer integer(String field) {
        if (!has(field)) {
            return null;
        }
        JsonNode v = object.get(field);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            fail(field, "must be a whole number, got " + describe(v));
            return null;
        }
        return v.intValue();
    }

    /** @return the boolean, or null when absent or invalid */
    public Boolean bool(String field) {
        if (!has(field)) {
            return null;
        }
        JsonNode v = object.get(field);
        if (!v.isBoolean()) {
            fail(field, "must be true or false, got " + describe(v));
            return null;
        }
        return v.booleanValue();
    }

    /**
     * @return the enum constant whose lower-case name is the field's value, or null when absent or
     *     invalid
     */
    public <E extends Enum<E>> E choice(String field, Class<E> type) {
        String s = string(field);
        if (s == null) {
            return null;
        }
        for (E e : type.getEnumConstants()) {
            if (JsonNames.of(e).equals(s)) {
                return e;
            }
        }
        fail(field, "must be one of " + JsonNames.all(type) + ", got \"" + s + "\"");
        return null;
    }

    /**
     * Reads an array of numbers in which some elements stand for a missing point.
     *
     * @param array the array
     * @param pointer its JSON Pointer, for messages
     * @param missing which elements are missing points (for example {@code null})
     * @param missingValue the value a missing point takes: NaN to drop it later, 0 to count it as zero
     * @param expected what an element must be, for messages: "a number or null (missing)"
     * @param violations receives one violation per element that is neither a finite number nor missing
     * @return the values, or null when an element is invalid
     */
    public static double[] numbers(JsonNode array, String pointer, Predicate<JsonNode> missing, double missingValue,
                                   String expected, List<Violation> violations) {
        NumberArray compact = NumberArray.of(array);
        if (compact != null) {
            double[] values = new double[compact.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = compact.isNull(i) ? missingValue : compact.value(i);
            }
            return values;
        }
        double[] values = new double[array.size()];
        boolean ok = true;
        for (int i = 0; i < values.length; i++) {
            JsonNode v = array.get(i);
            if (missing.test(v)) {
                values[i] = missingValue;
            } else if (v.isNumber() && Double.isFinite(v.doubleValue())) {
                values[i] = v.doubleValue();
            } else {
                violations.add(new Violation(pointer + "/" + i, v.isNumber()
                    ? "is too large to be a number here"
                    : "must be " + expected + ", got " + describe(v)));
                ok = false;
            }
        }
        return ok ? values : null;
    }

    /** @return whether the node is an array, as nodes or as a {@link NumberArray} */
    public static boolean isArray(JsonNode node) {
        return node.isArray() || NumberArray.of(node) != null;
    }

    /** @return the number of elements of an array of either form */
    public static int size(JsonNode array) {
        NumberArray compact = NumberArray.of(array);
        return compact == null ? array.size() : compact.size();
    }

    /** @return how a value is named in messages: "a string", "an array", "the number 2.5", "null" */
    public static String describe(JsonNode v) {
        if (v.isTextual()) {
            return "a string";
        }
        if (isArray(v)) {
            return "an array";
        }
        if (v.isObject()) {
            return "an object";
        }
        if (v.isNumber()) {
            return v.isIntegralNumber() ? "the whole number " + v.asText() : "the number " + v.asText();
        }
        return v.asText();
    }
}
