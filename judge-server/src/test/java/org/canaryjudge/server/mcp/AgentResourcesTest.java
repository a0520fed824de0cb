package org.canaryjudge.server.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configurations and a copy of a committed fixture as resources, read when asked for. */
class AgentResourcesTest {

    @TempDir
    Path dir;

    @Test
    void theConfigurationsAndTheFixturesAreResources() throws IOException {
        Path fixture = Files.createDirectories(dir.resolve("crash-loop"));
        for (String file : List.of("fixture.json", "data.csv")) {
            Files.copy(Path.of("..", "fixtures", "crash-loop", file), fixture.resolve(file));
        }
        ObjectNode errors = (ObjectNode) new ObjectMapper().readTree("{\"metrics\": [{\"name\": \"error_rate\", \"type\": \"rate\"}]}");
        AgentResources resources = new AgentResources(Map.of("checkout-errors", errors), dir);
        List<String> uris = resources.resources().stream().map(r -> r.resource().uri()).toList();
        assertEquals(List.of("canary-judge://configurations/checkout-errors", "canary-judge://fixtures/crash-loop"), uris);
        assertTrue(resources.resources().get(1).resource().description().contains("The canary crash-loops"),
            "the fixture's own description");

        List<McpSchema.ResourceContents> contents = AgentResources.result(resources.resources().get(1)).contents();
        assertEquals(List.of("canary-judge://fixtures/crash-loop/fixture.json", "canary-judge://fixtures/crash-loop/data.csv"),
            contents.stream().map(McpSchema.ResourceContents::uri).toList());
        assertEquals(Files.readString(fixture.resolve("data.csv")), ((McpSchema.TextResourceContents) contents.get(1)).text());
        assertEquals(errors, new ObjectMapper().readTree(
            ((McpSchema.TextResourceContents) AgentResources.result(resources.resources().get(0)).contents().get(0)).text()));

        Files.delete(fixture.resolve("data.csv"));
        Files.delete(fixture.resolve("fixture.json"));
        Files.delete(fixture);
        McpError gone = assertThrows(McpError.class, () -> AgentResources.result(resources.resources().get(1)));
        assertTrue(gone.getMessage().contains("cannot be read now"), gone.getMessage());
    }

    @Test
    void aMissingOrEmptyFixturesFolderGivesNoFixtures() throws IOException {
        assertEquals(List.of(), new AgentResources(Map.of(), dir.resolve("absent")).resources());
        assertEquals(List.of(), new AgentResources(Map.of(), Files.createDirectories(dir.resolve("empty"))).resources());
    }
}
