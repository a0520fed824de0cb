package org.canaryjudge.server.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import org.canaryjudge.model.InvalidInputException;
import org.canaryjudge.model.Violation;

/**
 * Parses a request body into a JSON object, for every endpoint alike: hostile nesting, giant
 * numerals and duplicate keys are refused while parsing, and a body that is not one JSON object is
 * an {@link InvalidInputException} at the pointer {@code ""} (the whole body) that says where it
 * broke.
 */
public final class JsonBody {

    private JsonBody() {
    }

    /**
     * @param maxNestingDepth how deeply objects and arrays may nest
     * @param nonNumericNumbers accept the bare tokens {@code NaN} and {@code Infinity}, which Java
     *     clients such as Kayenta may write for doubles
     * @return a mapper for {@link #object}
     */
    public static ObjectMapper mapper(int maxNestingDepth, boolean nonNumericNumbers) {
        JsonFactory factory = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(maxNestingDepth).maxNumberLength(64).maxStringLength(1 << 20).maxNameLength(256).build())
            .configure(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS, nonNumericNumbers)
            .build();
        return new ObjectMapper(factory)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * @param mapper from {@link #mapper}
     * @param body the request's bytes (UTF-8 JSON)
     * @return the body's JSON object
     * @throws InvalidInputException at {@code ""} when the body is empty, malformed or not an object
     */
    public static ObjectNode object(ObjectMapper mapper, byte[] body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw invalid("malformed JSON" + where(e.getLocation()) + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid("unreadable request body: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw invalid("the request body is empty; expected a JSON object");
        }
        if (!root.isObject()) {
            throw invalid("the request must be a JSON object, got " + JsonFields.describe(root));
        }
        return (ObjectNode) root;
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static InvalidInputException invalid(String message) {
        return new InvalidInputException(List.of(new Violation("", message)));
    }
}
