package org.canaryjudge.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

/**
 * The JSON Schemas of the agents' tools, taken from the HTTP API's own OpenAPI document (the
 * {@code openapi.json} that {@code GET /openapi.json} serves) so that a tool and its endpoint cannot
 * drift apart. MCP clients want each schema self-contained, so every {@code $ref} into the document
 * is replaced by what it points at; the document has no recursive schemas, and one would be refused.
 */
final class ToolSchemas {

    /** Where the document lies on the class path, beside the HTTP server that serves it. */
    static final String DOCUMENT = "/org/canaryjudge/server/http/openapi.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode document;

    private ToolSchemas(JsonNode document) {
        this.document = document;
    }

    /** @return the schemas of the served document */
    static ToolSchemas load() {
        try (InputStream in = ToolSchemas.class.getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException(DOCUMENT + " is missing from the jar");
            }
            return of(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the schemas of an OpenAPI document */
    static ToolSchemas of(JsonNode document) {
        return new ToolSchemas(document);
    }

    /**
     * @return the component schema {@code #/components/schemas/NAME}, its references resolved, and
     *     {@code "type": "object"} said outright where the document has it only inside an
     *     {@code allOf} (MCP wants a tool's schemas to say so at the top)
     */
    Map<String, Object> component(String name) {
        ObjectNode schema = (ObjectNode) resolved("/components/schemas/" + name);
        if (!schema.has("type")) {
            schema.put("type", "object");
        }
        return map(schema);
    }

    /**
     * @return an object schema of an operation's arguments: its path parameter (such as
     *     {@code GET /rollouts/{id}}'s {@code id}, with the description given) and, when the operation
     *     takes a body of the component schema {@code body}, that body's properties
     */
    Map<String, Object> operationArguments(String path, String method, String parameter, String description, String body) {
        ObjectNode schema = JSON.createObjectNode().put("type", "object").put("additionalProperties", false);
        ObjectNode properties = schema.putObject("properties");
        var required = schema.putArray("required");
        JsonNode parameters = document.path("paths").path(path).path(method).path("parameters");
        for (JsonNode p : parameters) {
            if (parameter.equals(p.path("name").asText()) && "path".equals(p.path("in").asText())) {
                ObjectNode property = properties.putObject(parameter);
                property.setAll((ObjectNode) resolve(p.get("schema"), new ArrayDeque<>()));
                property.put("description", description);
                required.add(parameter);
            }
        }
        if (required.isEmpty()) {
            throw new IllegalStateException(DOCUMENT + " has no path parameter " + parameter + " on " + method + " " + path);
        }
        if (body != null) {
            JsonNode component = resolved("/components/schemas/" + body);
            properties.setAll((ObjectNode) component.path("properties"));
            component.path("required").forEach(required::add);
        }
        return map(schema);
    }

    private JsonNode resolved(String pointer) {
        JsonNode node = document.at(pointer);
        if (node.isMissingNode()) {
            throw new IllegalStateException(DOCUMENT + " has nothing at " + pointer);
        }
        Deque<String> visiting = new ArrayDeque<>();
        visiting.push(pointer);
        return resolve(node, visiting);
    }

    /** A copy of {@code node} with each reference replaced by its target; siblings of a reference are kept. */
    private JsonNode resolve(JsonNode node, Deque<String> visiting) {
        if (node.isArray()) {
            var copy = JSON.createArrayNode();
            node.forEach(item -> copy.add(resolve(item, visiting)));
            return copy;
        }
        if (!node.isObject()) {
            return node;
        }
        ObjectNode copy = JSON.createObjectNode();
        JsonNode ref = node.get("$ref");
        if (ref != null && ref.isTextual()) {
            String pointer = ref.textValue();
            if (!pointer.startsWith("#/")) {
                throw new IllegalStateException(DOCUMENT + ": only references inside the document are resolved, not " + pointer);
            }
            String target = pointer.substring(1);
            if (visiting.contains(target)) {
                throw new IllegalStateException(DOCUMENT + ": " + target + " refers to itself, so it cannot be inlined");
            }
            visiting.push(target);
            copy.setAll((ObjectNode) resolve(document.at(target), visiting));
            visiting.pop();
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getKey().equals("$ref")) {
                copy.set(field.getKey(), resolve(field.getValue(), visiting));
            }
        }
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(JsonNode schema) {
        return JSON.convertValue(schema, Map.class);
    }
}
