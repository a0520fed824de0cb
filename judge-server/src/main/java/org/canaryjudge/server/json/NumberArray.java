package org.canaryjudge.server.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;

/**
 * A JSON array of numbers and nulls held as primitives: 9 bytes an element where a tree of nodes
 * takes about 40. Request bodies carry their series this way, so that a body of a million points
 * a side costs tens of megabytes, not hundreds. It stands in the tree as a {@link POJONode};
 * readers ask {@link #of(JsonNode)}.
 */
public final class NumberArray {

    static final byte NULL = 0;
    static final byte WHOLE = 1;
    static final byte FRACTION = 2;

    private final double[] values;
    private final byte[] kinds;

    NumberArray(double[] values, byte[] kinds) {
        this.values = values;
        this.kinds = kinds;
    }

    /** @return the array a node holds, or null when it is not one */
    public static NumberArray of(JsonNode node) {
        return node instanceof POJONode pojo && pojo.getPojo() instanceof NumberArray a ? a : null;
    }

    /** @return the number of elements */
    public int size() {
        return values.length;
    }

    /** @return whether element {@code i} is null (or a NaN token, where those are allowed) */
    public boolean isNull(int i) {
        return kinds[i] == NULL;
    }

    /** @return element {@code i}; NaN when it is null */
    public double value(int i) {
        return values[i];
    }

    /** @return element {@code i} as messages name it, like {@link JsonFields#describe(JsonNode)} */
    public String describe(int i) {
        if (kinds[i] == NULL) {
            return "null";
        }
        return kinds[i] == WHOLE ? "the whole number " + (long) values[i] : "the number " + values[i];
    }
}
