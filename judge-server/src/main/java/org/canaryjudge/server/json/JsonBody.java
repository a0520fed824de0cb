package org.canaryjudge.server.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.canaryjudge.model.InvalidInputException;
import org.canaryjudge.model.Violation;

/**
 * Parses a request body into a JSON object, for every endpoint alike: hostile nesting, giant
 * numerals and duplicate keys are refused while parsing, series are read into primitive arrays
 * ({@link NumberArray}) rather than nodes, and a body that is not one JSON object is
 * an {@link InvalidInputException} at the pointer {@code ""} (the whole body) that says where it
 * broke.
 */
public final class JsonBody {

    private static final Pattern MAXIMUM = Pattern.compile("maximum allowed \\((\\d+)");

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
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /**
     * @param mapper from {@link #mapper}
     * @param body the request's bytes (UTF-8 JSON)
     * @return the body's JSON object
     * @throws InvalidInputException at {@code ""} when the body is empty, malformed or not an object
     */
    public static ObjectNode object(ObjectMapper mapper, byte[] body) {
        JsonNode root;
        try (JsonParser parser = mapper.getFactory().createParser(body)) {
            root = CompactTreeReader.read(parser);
        } catch (CompactTreeReader.TrailingContent e) {
            throw invalid("malformed JSON: there is more after the first JSON value; send exactly one JSON object");
        } catch (StreamConstraintsException e) {
            throw invalid("the JSON" + where(e.getLocation()) + " passes a limit of this server: " + limit(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw invalid("malformed JSON" + where(e.getLocation()) + ": " + plain(e.getOriginalMessage()));
        } catch (IOException e) {
            throw invalid("the request body could not be read as JSON");
        }
        if (root == null || root.isMissingNode()) {
            throw invalid("the request body is empty; expected a JSON object");
        }
        if (!root.isObject()) {
            throw invalid("the request must be a JSON object, got " + JsonFields.describe(root));
        }
        return (ObjectNode) root;
    }

    /** Which limit a {@link StreamConstraintsException} names, in this server's words. */
    private static String limit(String message) {
        String m = message == null ? "" : message;
        if (m.contains("nesting depth")) {
            Matcher max = MAXIMUM.matcher(m);
            return "objects and arrays nest more than " + (max.find() ? max.group(1) + " levels" : "allowed") + " deep";
        }
        if (m.contains("Number value length") || m.contains("Number length")) {
            return "a number has more than 64 characters";
        }
        if (m.contains("String value length") || m.contains("String length")) {
            return "a string has more than 1,048,576 characters";
        }
        if (m.contains("Name length") || m.contains("name length")) {
            return "a field name has more than 256 characters";
        }
        return "the document is too large or too deep";
    }

    /**
     * The parser's message without the library's vocabulary: no class names, feature flags or
     * internal token names, which mean nothing to a client.
     */
    static String plain(String message) {
        if (message == null || message.isBlank()) {
            return "the body is not valid JSON";
        }
        if (message.startsWith("Trailing token")) {
            return "there is more after the first JSON value; send exactly one JSON object";
        }
        String m = message
            .replaceAll("\\s*\\([^()]*`[^`]*`[^()]*\\)", "")
            .replaceAll(":?\\s*not allowed as per `[^`]*`", "")
            .replaceAll("`[^`]*\\.[^`]*`", "a value")
            .replaceAll("\\(code \\d+\\)", "")
            .replaceAll("\\s+", " ").strip();
        return m.matches(".*\\b[a-z]+\\.[a-z]+\\.[a-zA-Z.]*[A-Z]\\w*.*") ? "the body is not valid JSON" : m;
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
