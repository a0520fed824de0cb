package org.canaryjudge.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Where each value of a YAML file is: the line of every JSON Pointer, so that a problem found in
 * the parsed tree can be shown at its line. A field's line is the line of its key; an array
 * element's is the line where the element begins.
 */
final class YamlLines {

    private final Map<String, Integer> lines;

    private YamlLines(Map<String, Integer> lines) {
        this.lines = lines;
    }

    /** @return the lines of a file that has already been read as valid YAML; none when it cannot be walked again */
    static YamlLines of(byte[] yaml) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser parser = new YAMLFactory().createParser(yaml)) {
            if (parser.nextToken() != null) {
                walk(parser, "", lines);
            }
        } catch (IOException e) {
            lines.clear();
        }
        return new YamlLines(lines);
    }

    /**
     * @param pointer a JSON Pointer into the file
     * @return the line of the value it names or, for a value the file leaves out (a required field),
     *     of the nearest enclosing value; empty for the whole file
     */
    OptionalInt line(String pointer) {
        for (String p = pointer; !p.isEmpty(); p = p.substring(0, p.lastIndexOf('/'))) {
            Integer line = lines.get(p);
            if (line != null) {
                return OptionalInt.of(line);
            }
        }
        return OptionalInt.empty();
    }

    /** Walks the value at the parser's current token. */
    private static void walk(JsonParser parser, String pointer, Map<String, Integer> lines) throws IOException {
        lines.putIfAbsent(pointer, parser.currentTokenLocation().getLineNr());
        if (parser.currentToken() == JsonToken.START_OBJECT) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = pointer + "/" + ConfigFile.escape(parser.currentName());
                lines.put(field, parser.currentTokenLocation().getLineNr());
                parser.nextToken();
                walk(parser, field, lines);
            }
        } else if (parser.currentToken() == JsonToken.START_ARRAY) {
            int index = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                walk(parser, pointer + "/" + index++, lines);
            }
        }
    }
}
