package org.canaryjudge.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Checks a tool's structured result against its output schema (JSON Schema 2020-12, the dialect of
 * the OpenAPI 3.1 document the schemas come from) before the SDK sends it, so that an agent never gets
 * a judgement its schema does not describe. The SDK's own validator needs json-schema-validator 2;
 * the project's tests use version 1, and a Maven build holds one version, so this one is written
 * against version 1 and handed to the SDK in its place.
 */
public final class OutputSchemaValidator implements JsonSchemaValidator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    /** The tools' schemas are few and fixed: each is compiled once. */
    private final Map<Map<String, Object>, JsonSchema> compiled = new ConcurrentHashMap<>();

    @Override
    public ValidationResponse validate(Map<String, Object> schema, Object structuredContent) {
        JsonNode content = JSON.valueToTree(structuredContent);
        Set<ValidationMessage> problems = compiled.computeIfAbsent(schema, s -> FACTORY.getSchema(JSON.valueToTree(s)))
            .validate(content);
        if (problems.isEmpty()) {
            return ValidationResponse.asValid(content.toString());
        }
        return ValidationResponse.asInvalid("the result does not match its output schema: "
            + problems.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; ")));
    }
}
