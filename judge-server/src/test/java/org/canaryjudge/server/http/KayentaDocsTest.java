package org.canaryjudge.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.canaryjudge.server.config.ServerConfig;
import org.junit.jupiter.api.Test;

/**
 * The section "Kayenta (Spinnaker)" of docs/integrations.md stays true: its example request gets
 * exactly the answer printed under it from a real server, and it names every setting the endpoint
 * reads.
 */
class KayentaDocsTest {

    static String section() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "integrations.md"), StandardCharsets.UTF_8);
        int start = doc.indexOf("## Kayenta (Spinnaker)");
        assertTrue(start >= 0, "docs/integrations.md has the section");
        int end = doc.indexOf("\n## ", start + 1);
        return doc.substring(start, end < 0 ? doc.length() : end);
    }

    /** The first ```json block after {@code marker}. */
    static JsonNode jsonAfter(String section, String marker) throws IOException {
        int at = section.indexOf(marker);
        assertTrue(at >= 0, marker);
        int open = section.indexOf("```json\n", at) + "```json\n".length();
        int close = section.indexOf("\n```", open);
        return TestRequests.MAPPER.readTree(section.substring(open, close));
    }

    @Test
    void theExampleRequestGetsTheDocumentedAnswer() throws IOException {
        String section = section();
        JsonNode request = jsonAfter(section, "<summary>The request");
        JsonNode answer = jsonAfter(section, "<summary>The answer");
        try (JudgeServer server = JudgeServer.start(ServerConfig.defaults().withPort(0).withAccessLog(false))) {
            Client.Response r = KayentaRequests.post(new Client(server.uri()), request);
            assertEquals(200, r.status(), r.body());
            assertEquals(answer, r.json(), "the answer printed in docs/integrations.md");
        }
        assertEquals("RemoteJudge-v1.0", request.path("canaryConfig").path("judge").path("name").asText());
        assertTrue(section.contains("baseUrl: http://canary-judge.canary.svc:8080/kayenta "), "Kayenta appends /judge");
    }

    @Test
    void theSectionNamesEverySettingTheEndpointReads() throws IOException {
        String section = section();
        JsonNode document = TestRequests.MAPPER.readTree(JudgeServer.class.getResourceAsStream("openapi.json"));
        for (String pointer : List.of("/components/schemas/KayentaCanaryAnalysis/properties",
            "/components/schemas/KayentaCanaryAnalysis/properties/effectSize/properties",
            "/components/schemas/KayentaJudgeConfigurations/properties",
            "/components/schemas/KayentaMetricOverrides/properties")) {
            for (Iterator<String> fields = document.at(pointer).fieldNames(); fields.hasNext(); ) {
                String field = fields.next();
                assertTrue(section.contains("`" + field + "`") || section.contains("." + field + "`")
                        || section.contains("`" + field + ":"),
                    "the Kayenta section of docs/integrations.md explains " + field);
            }
        }
        for (String classification : List.of("Pass", "High", "Low", "Nodata", "Error", "Marginal", "Fail")) {
            assertTrue(section.contains("`" + classification + "`"), classification);
        }
    }
}
