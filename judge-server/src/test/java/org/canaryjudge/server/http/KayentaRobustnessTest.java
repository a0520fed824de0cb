package org.canaryjudge.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.canaryjudge.model.InvalidInputException;
import org.canaryjudge.server.config.ServerConfig;
import org.canaryjudge.server.kayenta.KayentaJudge;
import org.junit.jupiter.api.Test;

/**
 * 1,500 mutations of Kayenta's request files — fields removed, values swapped for other types, NaN,
 * huge numbers, empty arrays — against a real server. None may get a 5xx; each gets the answer the
 * library gives in-process or, exactly when the library refuses the body, a problem; and every
 * answer conforms to the OpenAPI document.
 */
class KayentaRobustnessTest {

    static final long SEED = 20_260_316L;
    static final int BODIES = 1_500;
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void noMutatedKayentaBodyBreaksTheServer() {
        Random random = new Random(SEED);
        KayentaJudge inProcess = new KayentaJudge();
        TreeMap<Integer, Integer> statuses = new TreeMap<>();
        try (JudgeServer server = JudgeServer.start(ServerConfig.defaults().withPort(0).withAccessLog(false))) {
            Client client = new Client(server.uri());
            JsonNode document = client.get("/openapi.json").json();
            for (int i = 0; i < BODIES; i++) {
                ObjectNode body = KayentaRequests.load(random.nextBoolean() ? KayentaRequests.HEALTHY : KayentaRequests.REGRESSING);
                int mutations = 1 + random.nextInt(3);
                for (int m = 0; m < mutations; m++) {
                    mutate(body, random);
                }
                byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
                Client.Response r = client.post("/kayenta/judge", bytes, java.util.Map.of("Content-Type", "application/json"));
                statuses.merge(r.status(), 1, Integer::sum);
                assertTrue(r.status() == 200 || r.status() == 400, r.status() + " for " + body + ": " + r.body());
                assertEquals(java.util.Set.of(), OpenApiSchemas.validateResponse(document, "POST", "/kayenta/judge", r),
                    body + " -> " + r.body());
                String expected;
                try {
                    expected = inProcess.judge(bytes).json();
                } catch (InvalidInputException e) {
                    expected = null;
                }
                if (expected == null) {
                    assertEquals(400, r.status(), r.body());
                } else {
                    assertEquals(expected, r.body());
                }
            }
        }
        assertTrue(statuses.getOrDefault(200, 0) > BODIES / 10 && statuses.getOrDefault(400, 0) > BODIES / 10,
            "both answers are exercised: " + statuses);
    }

    /** Removes a field or element of a random container, or replaces it with a value of another kind. */
    private static void mutate(ObjectNode root, Random random) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        JsonNode target = containers.get(random.nextInt(containers.size()));
        if (target.isEmpty()) {
            return;
        }
        if (target instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            if (random.nextInt(4) == 0) {
                object.remove(name);
            } else {
                object.set(name, value(random));
            }
        } else {
            ArrayNode array = (ArrayNode) target;
            int index = random.nextInt(array.size());
            if (random.nextInt(4) == 0) {
                array.remove(index);
            } else {
                array.set(index, value(random));
            }
        }
    }

    private static void collect(JsonNode node, List<JsonNode> containers) {
        if (node.isContainerNode()) {
            containers.add(node);
            node.forEach(child -> collect(child, containers));
        }
    }

    private static JsonNode value(Random random) {
        return switch (random.nextInt(13)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.textNode("x");
            case 2 -> NODES.textNode("NaN");
            case 3 -> NODES.numberNode(-1);
            case 4 -> NODES.numberNode(0);
            case 5 -> NODES.numberNode(1e308);
            case 6 -> NODES.numberNode(0.5);
            case 7 -> NODES.numberNode(1.5);
            case 8 -> NODES.booleanNode(true);
            case 9 -> NODES.arrayNode();
            case 10 -> NODES.objectNode();
            case 11 -> NODES.arrayNode().add(1).add("a");
            default -> NODES.objectNode().put("a", 1);
        };
    }
}
