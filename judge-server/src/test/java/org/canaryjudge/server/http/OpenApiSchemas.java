package org.canaryjudge.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The schemas of the served OpenAPI document ({@code openapi.json} on the class path), for checking
 * real requests and responses against it.
 */
final class OpenApiSchemas {

    static final String DOCUMENT = "classpath:org/canaryjudge/server/http/openapi.json";
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private OpenApiSchemas() {
    }

    /** @return the schema at a JSON Pointer into the document, e.g. {@code /components/schemas/Judgement} */
    static JsonSchema at(String pointer) {
        return SCHEMAS.computeIfAbsent(pointer, p -> {
            JsonSchema schema = FACTORY.getSchema(SchemaLocation.of(DOCUMENT + "#" + p));
            schema.initializeValidators();
            return schema;
        });
    }

    static Set<ValidationMessage> validate(String component, JsonNode value) {
        return at("/components/schemas/" + component).validate(value);
    }

    /**
     * Checks a real response against what the document says {@code method path} answers with that
     * status and content type.
     *
     * @return the problems; empty when the response conforms
     */
    static Set<ValidationMessage> validateResponse(JsonNode document, String method, String path, Client.Response r) {
        JsonNode responses = document.path("paths").path(path).path(method.toLowerCase()).path("responses");
        JsonNode response = responses.path(Integer.toString(r.status()));
        if (response.isMissingNode()) {
            throw new AssertionError(method + " " + path + " answered " + r.status() + ", which the document does not list: " + r.body());
        }
        String pointer = "/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method.toLowerCase() + "/responses/" + r.status();
        if (response.has("$ref")) {
            pointer = response.get("$ref").asText().substring(1);
            response = document.at(pointer);
        }
        String mediaType = r.contentType() == null ? "" : r.contentType().split(";")[0].strip();
        JsonNode content = response.path("content").path(mediaType);
        if (content.isMissingNode()) {
            throw new AssertionError(method + " " + path + " " + r.status() + " answered " + mediaType
                + ", which the document does not list: " + response.path("content").fieldNames().next());
        }
        if (!mediaType.endsWith("json")) {
            return Set.of();
        }
        String schema = pointer + "/content/" + mediaType.replace("/", "~1") + "/schema";
        return at(schema).validate(r.json());
    }
}
