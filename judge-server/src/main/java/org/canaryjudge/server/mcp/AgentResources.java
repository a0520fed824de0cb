package org.canaryjudge.server.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.ResourceContents;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.canaryjudge.server.fixture.FixtureReader;
import org.slf4j.LoggerFactory;

/**
 * What an agent may read (docs/api.md, "Agents (MCP)"): the named judge configurations the server
 * loaded, which a {@code judge} call names with {@code "config"}, and the recorded fixtures, each a
 * folder with its {@code fixture.json} and data, which show what a healthy or a failing canary looks
 * like and what the judge said of it.
 */
public final class AgentResources {

    static final String CONFIGURATIONS = "canary-judge://configurations/";
    static final String FIXTURES = "canary-judge://fixtures/";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One resource.
     *
     * @param resource its URI, name, description and media type as {@code resources/list} gives them
     * @param read its contents, read when asked for (a fixture's files may change)
     */
    public record AgentResource(Resource resource, Supplier<List<ResourceContents>> read) {
    }

    private final List<AgentResource> resources;

    /**
     * @param configurations the server's named configurations
     * @param fixtures a folder of fixture folders, or null; a folder that does not exist gives no fixtures
     */
    public AgentResources(Map<String, ObjectNode> configurations, Path fixtures) {
        List<AgentResource> all = new ArrayList<>();
        configurations.forEach((name, configuration) -> {
            String uri = CONFIGURATIONS + name;
            String text = json(configuration);
            all.add(new AgentResource(Resource.builder().uri(uri).name("configuration " + name).mimeType("application/json")
                .description("The judge configuration \"" + name + "\": a judge call with \"config\": \"" + name
                    + "\" takes every metric specification from it that its own metrics leave out").build(),
                () -> List.of(new TextResourceContents(uri, "application/json", text))));
        });
        for (Path folder : fixtureFolders(fixtures)) {
            String uri = FIXTURES + folder.getFileName();
            all.add(new AgentResource(Resource.builder().uri(uri).name("fixture " + folder.getFileName())
                .mimeType("application/json").description(description(folder)).build(), () -> files(uri, folder)));
        }
        this.resources = List.copyOf(all);
    }

    /**
     * @return the fixture folders in {@code fixtures}, sorted; none when it is null, not a folder, or
     *     cannot be listed (a server need not have fixtures, and is not kept from starting by them)
     */
    private static List<Path> fixtureFolders(Path fixtures) {
        if (fixtures == null || !Files.isDirectory(fixtures)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(fixtures)) {
            return children.filter(FixtureReader::isFixture).sorted().toList();
        } catch (IOException e) {
            LoggerFactory.getLogger(AgentResources.class).warn("the fixtures in {} are not offered to agents: {}", fixtures, e.getMessage());
            return List.of();
        }
    }

    /** @return every resource, configurations first, in the order they were loaded */
    public List<AgentResource> resources() {
        return resources;
    }

    /** @return a fixture's description as its fixture.json gives it, or what the folder is when it gives none */
    private static String description(Path folder) {
        try {
            JsonNode descriptor = JSON.readTree(folder.resolve("fixture.json").toFile());
            String text = descriptor.path("description").asText("");
            return "A recorded rollout (fixtures/" + folder.getFileName() + "): its fixture.json and data"
                + (text.isEmpty() ? "" : ". " + text);
        } catch (IOException e) {
            return "A recorded rollout (fixtures/" + folder.getFileName() + "), whose fixture.json cannot be read: " + e.getMessage();
        }
    }

    /** @return the folder's files, fixture.json first, each as text with its media type */
    private static List<ResourceContents> files(String uri, Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile)
                .sorted(Comparator.comparing((Path f) -> !f.getFileName().toString().equals("fixture.json"))
                    .thenComparing(Path::getFileName))
                .map(f -> (ResourceContents) new TextResourceContents(uri + "/" + f.getFileName(), mimeType(f), read(f)))
                .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String mimeType(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".json") ? "application/json" : name.endsWith(".csv") ? "text/csv" : "text/plain";
    }

    private static String json(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return the contents as {@code resources/read} answers them
     * @throws McpError when a fixture's files cannot be read (moved or deleted since the start), said
     *     in plain words rather than as the file system's exception
     */
    static McpSchema.ReadResourceResult result(AgentResource resource) {
        try {
            return new McpSchema.ReadResourceResult(resource.read().get());
        } catch (UncheckedIOException e) {
            throw McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR)
                .message(resource.resource().uri() + " cannot be read now: its files were moved or deleted since the server started")
                .build();
        }
    }
}
