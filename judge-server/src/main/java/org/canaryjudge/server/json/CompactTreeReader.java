package org.canaryjudge.server.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.Set;

/**
 * Reads a JSON document into a tree, except the arrays of numbers under the fields that carry
 * series ({@link #SERIES_FIELDS}), which it reads straight into {@link NumberArray}s. An array
 * that turns out to hold anything else (a string, an object, an infinite number) becomes ordinary
 * nodes, so that the readers' messages about it stay what they are.
 */
final class CompactTreeReader {

    /** Fields whose arrays are series: a request's sides and counts, Kayenta's values. */
    static final Set<String> SERIES_FIELDS = Set.of("baseline", "canary", "errors", "requests", "control", "experiment");

    /** Whole numbers beyond 2^53 are not exact as doubles: they stay nodes. */
    private static final double EXACT = 9_007_199_254_740_992.0;

    private final JsonNodeFactory nodes = JsonNodeFactory.instance;
    private final JsonParser p;

    private CompactTreeReader(JsonParser parser) {
        this.p = parser;
    }

    /**
     * @return the document's one value, or null when the input holds none
     * @throws IOException as the parser throws it (malformed JSON, a limit passed)
     * @throws TrailingContent when something follows the value
     */
    static JsonNode read(JsonParser parser) throws IOException {
        CompactTreeReader reader = new CompactTreeReader(parser);
        JsonToken first = parser.nextToken();
        if (first == null) {
            return null;
        }
        JsonNode root = reader.value(first, null);
        if (parser.nextToken() != null) {
            throw new TrailingContent();
        }
        return root;
    }

    /** Something follows the document's value. */
    static final class TrailingContent extends IOException {
        TrailingContent() {
            super("there is more after the first JSON value");
        }
    }

    private JsonNode value(JsonToken token, String field) throws IOException {
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                    String name = p.currentName();
                    object.set(name, value(p.nextToken(), name));
                }
                return object;
            }
            case START_ARRAY -> {
                return field != null && SERIES_FIELDS.contains(field) ? seriesArray() : array(nodes.arrayNode());
            }
            case VALUE_STRING -> {
                return nodes.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> nodes.numberNode(p.getIntValue());
                    case LONG -> nodes.numberNode(p.getLongValue());
                    default -> nodes.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return nodes.numberNode(p.getDoubleValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return nodes.booleanNode(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return nodes.nullNode();
            }
            default -> throw new IOException("unexpected " + token);
        }
    }

    private ArrayNode array(ArrayNode into) throws IOException {
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            into.add(value(t, null));
        }
        return into;
    }

    private JsonNode seriesArray() throws IOException {
        double[] values = new double[16];
        byte[] kinds = new byte[16];
        int n = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            double v;
            byte kind;
            if (t == JsonToken.VALUE_NULL) {
                v = Double.NaN;
                kind = NumberArray.NULL;
            } else if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                && Math.abs((double) p.getLongValue()) <= EXACT) {
                v = p.getLongValue();
                kind = NumberArray.WHOLE;
            } else if (t == JsonToken.VALUE_NUMBER_FLOAT && !Double.isInfinite(p.getDoubleValue())) {
                v = p.getDoubleValue();
                kind = Double.isNaN(v) ? NumberArray.NULL : NumberArray.FRACTION;
            } else {
                ArrayNode mixed = asNodes(values, kinds, n);
                mixed.add(value(t, null));
                return array(mixed);
            }
            if (n == values.length) {
                values = Arrays.copyOf(values, 2 * n);
                kinds = Arrays.copyOf(kinds, 2 * n);
            }
            values[n] = v;
            kinds[n++] = kind;
        }
        return nodes.pojoNode(new NumberArray(Arrays.copyOf(values, n), Arrays.copyOf(kinds, n)));
    }

    /** The elements read so far as ordinary nodes, for an array that is not all numbers. */
    private ArrayNode asNodes(double[] values, byte[] kinds, int n) {
        ArrayNode array = nodes.arrayNode();
        for (int i = 0; i < n; i++) {
            switch (kinds[i]) {
                case NumberArray.NULL -> array.add(nodes.nullNode());
                case NumberArray.WHOLE -> array.add(nodes.numberNode((long) values[i]));
                default -> array.add(nodes.numberNode(values[i]));
            }
        }
        return array;
    }
}
