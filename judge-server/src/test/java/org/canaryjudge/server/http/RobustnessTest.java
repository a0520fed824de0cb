package org.canaryjudge.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.canaryjudge.model.InvalidInputException;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.server.config.ServerConfig;
import org.canaryjudge.server.judging.JsonJudge;
import org.canaryjudge.server.json.JudgementWriter;
import org.canaryjudge.server.json.RequestReader;
import org.junit.jupiter.api.Test;

/**
 * 12,000 generated bodies — random bytes, truncated and mutated valid requests, huge numbers, deep
 * nesting, wrong types — against a real server. None may get a 5xx; each gets either the verdict
 * the library gives in-process (byte for byte) or, exactly when the library refuses the body, a
 * problem. Every answer also conforms to the OpenAPI document.
 */
class RobustnessTest {

    static final long SEED = 20_260_101L;
    static final int BODIES = 12_000;
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** What would show a library's insides to a client: package names, exception types, code quotes. */
    static final java.util.regex.Pattern LIBRARY_WORDS = java.util.regex.Pattern.compile(
        "com\\.fasterxml|java\\.[a-z]+\\.|[A-Za-z]+(Exception|Error|Feature|Constraints)\\b|`[\\w$]+(\\.[\\w$()]+)+`");

    enum Kind { RANDOM_BYTES, TRUNCATED, MUTATED, BYTE_FLIPPED, HUGE_NUMBERS, DEEP_NESTING, WRONG_TYPES, VALID }

    record Body(Kind kind, byte[] bytes) {
    }

    @Test
    void noBodyBreaksTheServerAndOnlyValidBodiesGetVerdicts() throws Exception {
        Map<String, ObjectNode> configs = Map.of("checkout", JudgeServerTest.checkoutConfig());
        JsonJudge inProcess = new JsonJudge(new RequestReader(configs));
        JudgementWriter writer = new JudgementWriter(false);
        List<Body> bodies = generate(new Random(SEED));

        Map<Kind, int[]> counts = new EnumMap<>(Kind.class);
        try (JudgeServer server = JudgeServer.start(ServerConfig.defaults().withPort(0).withAccessLog(false)
            .withConfigurations(configs))) {
            Client client = new Client(server.uri());
            JsonNode document = client.get("/openapi.json").json();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<String>> results = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    int lane = t;
                    results.add(pool.submit(() -> {
                        for (int i = lane; i < bodies.size(); i += 2) {
                            check(client, document, inProcess, writer, bodies.get(i), counts);
                        }
                        return "ok";
                    }));
                }
                for (Future<String> f : results) {
                    assertEquals("ok", f.get());
                }
            } finally {
                pool.shutdownNow();
            }
        }
        counts.forEach((kind, c) -> System.out.printf("robustness: %-12s %5d verdicts %5d problems%n", kind, c[0], c[1]));
        int verdicts = counts.values().stream().mapToInt(c -> c[0]).sum();
        int problems = counts.values().stream().mapToInt(c -> c[1]).sum();
        assertEquals(BODIES, verdicts + problems);
        assertTrue(verdicts > 1000, "enough valid bodies to mean something: " + verdicts);
        assertTrue(problems > 5000, "enough invalid bodies to mean something: " + problems);
    }

    private static void check(Client client, JsonNode document, JsonJudge inProcess, JudgementWriter writer, Body body,
                              Map<Kind, int[]> counts) {
        Client.Response r = client.post("/judge", body.bytes(), Map.of("Content-Type", "application/json"));
        String shown = body.kind() + " body " + preview(body.bytes()) + " -> " + r.status() + " " + r.body();
        assertTrue(r.status() < 500, shown);
        Judgement expected = null;
        InvalidInputException refused = null;
        try {
            expected = inProcess.judge(body.bytes());
        } catch (InvalidInputException e) {
            refused = e;
        }
        if (r.status() == 200) {
            assertEquals("application/json", r.contentType(), shown);
            assertTrue(expected != null, "a verdict only for a body the library judges: " + shown);
            assertEquals(writer.write(expected), r.body(), shown);
            assertTrue(r.json().path("verdict").isTextual(), shown);
        } else if (r.status() == 415) {
            JudgeServerTest.assertProblem(r, 415, "unsupported-media-type");
            assertTrue(refused != null, "a UTF-16 or UTF-32 lookalike is not valid UTF-8 JSON either: " + shown);
        } else {
            JudgeServerTest.assertProblem(r, 400, "invalid-request");
            assertTrue(refused != null, "a problem only for a body the library refuses: " + shown);
            assertEquals(refused.violations().size(), r.json().path("errors").size(), shown);
        }
        assertTrue(!LIBRARY_WORDS.matcher(r.body()).find(), "no library or Java class names in an answer: " + shown);
        var violations = OpenApiSchemas.validateResponse(document, "POST", "/judge", r);
        assertTrue(violations.isEmpty(), violations + " " + shown);
        synchronized (counts) {
            counts.computeIfAbsent(body.kind(), k -> new int[2])[r.status() == 200 ? 0 : 1]++;
        }
    }

    private static String preview(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        return s.length() > 300 ? s.substring(0, 300) + "… (" + bytes.length + " bytes)" : s;
    }

    // --- generation -------------------------------------------------------------------------------

    static List<Body> generate(Random random) {
        List<Body> bodies = new ArrayList<>(BODIES);
        Kind[] kinds = Kind.values();
        for (int i = 0; i < BODIES; i++) {
            Kind kind = kinds[i % kinds.length];
            bodies.add(new Body(kind, switch (kind) {
                case RANDOM_BYTES -> randomBytes(random);
                case TRUNCATED -> truncated(random);
                case MUTATED -> utf8(mutate(valid(random), random, 1 + random.nextInt(3)).toString());
                case BYTE_FLIPPED -> flipped(random);
                case HUGE_NUMBERS -> utf8(hugeNumbers(random));
                case DEEP_NESTING -> utf8(deep(random));
                case WRONG_TYPES -> utf8(wrongTypes(random));
                case VALID -> utf8(valid(random).toString());
            }));
        }
        return bodies;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] randomBytes(Random random) {
        byte[] b = new byte[random.nextInt(300)];
        random.nextBytes(b);
        if (b.length > 0 && random.nextBoolean()) {
            b[0] = '{';
        }
        return b;
    }

    static byte[] truncated(Random random) {
        byte[] full = utf8(valid(random).toString());
        return java.util.Arrays.copyOf(full, random.nextInt(full.length));
    }

    static byte[] flipped(Random random) {
        byte[] b = utf8(valid(random).toString());
        int flips = 1 + random.nextInt(3);
        String alphabet = "{}[]\":,.-+eE0123456789 nultrfase\\\u0000";
        for (int i = 0; i < flips; i++) {
            b[random.nextInt(b.length)] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return b;
    }

    /** A valid request, small and varied: fixed mode, continuous metrics, sometimes a named configuration. */
    static ObjectNode valid(Random random) {
        if (random.nextInt(5) == 0) {
            return TestRequests.typical(random.nextLong(), TestRequests.Flavor.values()[random.nextInt(3)]);
        }
        ObjectNode root = NODES.objectNode();
        if (random.nextBoolean()) {
            root.put("id", "r" + random.nextInt(1000));
        }
        boolean config = random.nextInt(4) == 0;
        if (config) {
            root.put("config", "checkout");
        } else {
            root.put("mode", "fixed");
        }
        if (random.nextBoolean()) {
            root.put("confidence", 0.8 + random.nextInt(19) / 100.0);
        }
        ArrayNode metrics = root.putArray("metrics");
        int n = config ? 1 : 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            ObjectNode m = metrics.addObject();
            m.put("name", config ? "latency_p95_ms" : "m" + i);
            if (!config) {
                String[] kinds = {"absolute", "relative", "ratio"};
                String kind = kinds[random.nextInt(3)];
                m.putObject("hold").put(kind, kind.equals("ratio") ? 1.1 + random.nextDouble() : 0.01 + random.nextDouble());
                if (random.nextBoolean()) {
                    m.putObject("rollback").put("ratio", 3 + random.nextInt(3));
                }
                m.put("direction", List.of("increase", "decrease", "either").get(random.nextInt(3)));
                if (random.nextBoolean()) {
                    m.put("correlation", random.nextBoolean() ? "ignore" : "adjust");
                }
                if (random.nextInt(4) == 0) {
                    m.put("minSamples", 1 + random.nextInt(20));
                }
                if (random.nextInt(4) == 0) {
                    m.put("critical", random.nextBoolean());
                }
                if (random.nextInt(4) == 0) {
                    m.put("weight", 0.5 + random.nextInt(4));
                }
            }
            double level = random.nextInt(6) == 0 ? 0 : random.nextInt(1000) * (random.nextInt(8) == 0 ? -1 : 1);
            m.set("baseline", series(random, level, 1));
            m.set("canary", series(random, level, random.nextBoolean() ? 1 : 1 + random.nextDouble()));
        }
        return root;
    }

    static ArrayNode series(Random random, double level, double factor) {
        ArrayNode a = NODES.arrayNode();
        int n = switch (random.nextInt(6)) {
            case 0 -> random.nextInt(3);
            case 1 -> 5 + random.nextInt(10);
            default -> 10 + random.nextInt(60);
        };
        boolean ties = random.nextInt(4) == 0;
        for (int i = 0; i < n; i++) {
            if (random.nextInt(12) == 0) {
                a.addNull();
            } else if (ties) {
                a.add(level * factor + random.nextInt(3));
            } else {
                a.add(level * factor + random.nextGaussian() * (1 + Math.abs(level) / 20));
            }
        }
        return a;
    }

    /** Replaces, removes or adds fields anywhere in the tree. */
    static JsonNode mutate(JsonNode root, Random random, int times) {
        for (int t = 0; t < times; t++) {
            List<JsonNode> containers = new ArrayList<>();
            collect(root, containers);
            JsonNode target = containers.get(random.nextInt(containers.size()));
            if (target instanceof ObjectNode o) {
                List<String> names = new ArrayList<>();
                o.fieldNames().forEachRemaining(names::add);
                int op = random.nextInt(4);
                if (op == 0 && !names.isEmpty()) {
                    o.remove(names.get(random.nextInt(names.size())));
                } else if (op == 1) {
                    o.set(List.of("rollbak", "name", "hold", "mode", "type", "weight", "extra", "config", "minSamples").get(random.nextInt(9)),
                        randomValue(random));
                } else if (!names.isEmpty()) {
                    o.set(names.get(random.nextInt(names.size())), randomValue(random));
                }
            } else if (target instanceof ArrayNode a) {
                if (a.isEmpty() || random.nextInt(3) == 0) {
                    a.add(randomValue(random));
                } else if (random.nextBoolean()) {
                    a.remove(random.nextInt(a.size()));
                } else {
                    a.set(random.nextInt(a.size()), randomValue(random));
                }
            }
        }
        return root;
    }

    static void collect(JsonNode node, List<JsonNode> into) {
        if (node.isContainerNode()) {
            into.add(node);
            node.forEach(child -> collect(child, into));
        }
    }

    static JsonNode randomValue(Random random) {
        return switch (random.nextInt(16)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.textNode(List.of("", "fixed", "sequential", "rate", "continuous", "either", "x", "ratio", "checkout", "\u0000\uffff").get(random.nextInt(10)));
            case 3 -> NODES.numberNode(random.nextInt());
            case 4 -> NODES.numberNode(random.nextGaussian() * 1e6);
            case 5 -> NODES.numberNode(new BigInteger(200, random));
            case 6 -> NODES.numberNode(new BigDecimal("1e" + (300 + random.nextInt(10_000))));
            case 7 -> NODES.numberNode(new BigDecimal("-1e-" + (300 + random.nextInt(10_000))));
            case 8 -> NODES.numberNode(-0.0);
            case 9 -> NODES.objectNode();
            case 10 -> NODES.arrayNode();
            case 11 -> NODES.objectNode().put(List.of("absolute", "relative", "ratio", "errors").get(random.nextInt(4)),
                random.nextInt(3) == 0 ? -1 : random.nextDouble() * 3);
            case 12 -> NODES.numberNode(Double.MAX_VALUE);
            case 13 -> NODES.numberNode(Long.MIN_VALUE);
            case 14 -> NODES.numberNode(Double.MIN_VALUE);
            default -> NODES.numberNode(random.nextInt(5));
        };
    }

    static String hugeNumbers(Random random) {
        String[] numbers = {"1e999", "-1e999", "1e-999", "123456789012345678901234567890123456789012345678901234567890",
            "1" + "0".repeat(100), "0." + "0".repeat(80) + "1", "1.7976931348623157e308", "4.9e-324", "-0",
            "9223372036854775808", "2147483648", "1E+2147483648"};
        String n = numbers[random.nextInt(numbers.length)];
        String m = numbers[random.nextInt(numbers.length)];
        return switch (random.nextInt(6)) {
            case 0 -> "{\"mode\": \"fixed\", \"metrics\": [{\"name\": \"a\", \"hold\": {\"absolute\": " + n
                + "}, \"baseline\": [1, 2, 3], \"canary\": [1, 2, 3]}]}";
            case 1 -> "{\"mode\": \"fixed\", \"metrics\": [{\"name\": \"a\", \"hold\": {\"absolute\": 1}, \"baseline\": ["
                + n + ", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], \"canary\": [" + m + ", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}]}";
            case 2 -> "{\"mode\": \"fixed\", \"confidence\": " + n + ", \"metrics\": [{\"name\": \"a\", \"hold\": {\"relative\": 0.1},"
                + " \"baseline\": [1, 2], \"canary\": [1, 2]}]}";
            case 3 -> "{\"mode\": \"fixed\", \"metrics\": [{\"name\": \"a\", \"minSamples\": " + n + ", \"weight\": " + m
                + ", \"hold\": {\"ratio\": 2}, \"baseline\": [1], \"canary\": [1]}]}";
            case 4 -> {
                StringBuilder b = new StringBuilder("{\"mode\": \"fixed\", \"metrics\": [{\"name\": \"a\", \"hold\": {\"absolute\": 1e-300},"
                    + " \"correlation\": \"ignore\", \"baseline\": [");
                for (int i = 0; i < 30; i++) {
                    b.append(i == 0 ? "" : ", ").append(random.nextBoolean() ? "1.7e308" : "-1.7e308");
                }
                b.append("], \"canary\": [");
                for (int i = 0; i < 30; i++) {
                    b.append(i == 0 ? "" : ", ").append(random.nextBoolean() ? "4.9e-324" : "1.7e308");
                }
                yield b.append("]}]}").toString();
            }
            default -> "{\"mode\": \"fixed\", \"metrics\": [{\"name\": \"a\", \"hold\": {\"relative\": 1e-300}, \"rollback\": {\"ratio\": 1e300},"
                + " \"baseline\": [1e-300, 2e-300, 3e-300, 1e-300, 2e-300, 3e-300, 1e-300, 2e-300, 3e-300, 1e-300],"
                + " \"canary\": [1e300, 2e300, 3e300, 1e300, 2e300, 3e300, 1e300, 2e300, 3e300, 1e300]}]}";
        };
    }

    static String deep(Random random) {
        int depth = 10 + random.nextInt(random.nextBoolean() ? 50 : 5000);
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        String inner = open.repeat(depth) + "1" + close.repeat(depth);
        return switch (random.nextInt(3)) {
            case 0 -> inner;
            case 1 -> "{\"mode\": \"fixed\", \"metrics\": [{\"name\": \"a\", \"hold\": " + inner + ", \"baseline\": [1], \"canary\": [1]}]}";
            default -> "{\"metrics\": " + inner + "}";
        };
    }

    static String wrongTypes(Random random) {
        JsonNode request = valid(random);
        List<JsonNode> containers = new ArrayList<>();
        collect(request, containers);
        for (JsonNode c : containers) {
            if (c instanceof ObjectNode o && random.nextInt(3) == 0) {
                List<String> names = new ArrayList<>();
                o.fieldNames().forEachRemaining(names::add);
                if (!names.isEmpty()) {
                    String name = names.get(random.nextInt(names.size()));
                    JsonNode v = o.get(name);
                    o.set(name, v.isTextual() ? NODES.numberNode(1) : v.isNumber() ? NODES.textNode(v.asText())
                        : v.isArray() ? NODES.objectNode() : NODES.arrayNode().add(v));
                }
            }
        }
        return random.nextInt(10) == 0 ? List.of("1", "\"s\"", "true", "null", "[]", "[{}]", "{}").get(random.nextInt(7)) : request.toString();
    }
}
