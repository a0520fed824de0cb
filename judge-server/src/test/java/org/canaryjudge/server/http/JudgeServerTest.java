package org.canaryjudge.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.canaryjudge.server.config.ServerConfig;
import org.canaryjudge.server.judging.JsonJudge;
import org.canaryjudge.server.json.JudgementWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every endpoint and status code of the contract, against a real server on a free port. */
class JudgeServerTest {

    static final String PROBLEM = "application/problem+json";

    static ObjectNode checkoutConfig() {
        ObjectNode c = TestRequests.MAPPER.createObjectNode();
        c.put("mode", "fixed");
        ObjectNode m = c.putArray("metrics").addObject();
        m.put("name", "latency_p95_ms");
        m.putObject("hold").put("relative", 0.10);
        m.putObject("rollback").put("relative", 0.50);
        m.put("correlation", "ignore");
        return c;
    }

    static void assertProblem(Client.Response r, int status, String slug) {
        assertProblem(r.status(), r.contentType(), r.body(), status, slug);
    }

    static void assertProblem(int actualStatus, String contentType, String body, int status, String slug) {
        assertEquals(status, actualStatus, body);
        assertEquals(PROBLEM, contentType, body);
        JsonNode p;
        try {
            p = TestRequests.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
        assertEquals("urn:canary-judge:problem:" + slug, p.path("type").asText(), body);
        assertEquals(status, p.path("status").asInt(), body);
        assertFalse(p.path("title").asText().isBlank(), body);
        assertFalse(p.path("detail").asText().isBlank(), body);
        assertFalse(body.contains("\tat ") || body.contains("Exception"), "no stack trace: " + body);
    }

    static List<String> pointers(Client.Response r) {
        List<String> pointers = new ArrayList<>();
        r.json().path("errors").forEach(e -> pointers.add(e.path("pointer").asText()));
        return pointers;
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Open {

        final List<String> accessLog = Collections.synchronizedList(new ArrayList<>());
        JudgeServer server;
        Client client;

        @BeforeAll
        void start() {
            server = JudgeServer.start(ServerConfig.defaults().withPort(0)
                .withConfigurations(Map.of("checkout", checkoutConfig())), accessLog::add);
            client = new Client(server.uri());
        }

        @AfterAll
        void stop() {
            server.stop();
        }

        @Test
        void judgesTheReadmeExampleExactlyAsTheLibraryDoes() {
            String body = TestRequests.example();
            Client.Response r = client.postJson(body);
            assertEquals(200, r.status(), r.body());
            assertEquals("application/json", r.contentType());
            assertEquals("hold", r.json().path("verdict").asText());
            String expected = new JudgementWriter(false).write(new JsonJudge().judge(body.getBytes(StandardCharsets.UTF_8)));
            assertEquals(expected, r.body());
            assertTrue(r.header("X-Request-Id").matches("[0-9a-f]{16}"), r.header("X-Request-Id"));
        }

        @Test
        void acceptsJsonWithAUtf8Charset() {
            Client.Response r = client.post("/judge", TestRequests.example().getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json; charset=utf-8"));
            assertEquals(200, r.status(), r.body());
            r = client.post("/judge", TestRequests.example().getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "Application/JSON;charset=\"UTF-8\""));
            assertEquals(200, r.status(), r.body());
        }

        @Test
        void typicalRequestsGetTheVerdictTheyAreBuiltFor() {
            for (TestRequests.Flavor flavor : TestRequests.Flavor.values()) {
                Client.Response r = client.postJson(TestRequests.typical(7, flavor).toString());
                assertEquals(200, r.status(), r.body());
                assertEquals(flavor.name().toLowerCase(), r.json().path("verdict").asText(), r.body());
                assertEquals("look-7", r.json().path("id").asText());
            }
        }

        @Test
        void validationErrorsListEveryViolationAtItsPointer() {
            ObjectNode request = TestRequests.typical(1, TestRequests.Flavor.PROMOTE);
            ArrayNode metrics = (ArrayNode) request.get("metrics");
            ((ObjectNode) metrics.get(0).get("hold")).put("relative", -1);
            ((ArrayNode) metrics.get(1).get("baseline")).set(1, TestRequests.MAPPER.getNodeFactory().textNode("x"));
            ((ObjectNode) metrics.get(2)).put("rollbak", 3);
            request.put("confidence", 2);
            Client.Response r = client.postJson(request.toString());
            assertProblem(r, 400, "invalid-request");
            List<String> pointers = pointers(r);
            assertTrue(pointers.containsAll(List.of("/metrics/0/hold/relative", "/metrics/1/baseline/1", "/metrics/2/rollbak")),
                pointers.toString());
            assertTrue(r.json().path("detail").asText().startsWith(pointers.size() + " problems"), r.body());
            r.json().path("errors").forEach(e -> assertFalse(e.path("message").asText().isBlank()));
        }

        @Test
        void malformedAndEmptyBodiesAreInvalid() {
            for (String body : List.of("{\"metrics\": [", "", "[]", "null", "{\"metrics\": []} trailing")) {
                Client.Response r = client.postJson(body);
                assertProblem(r, 400, "invalid-request");
                assertFalse(pointers(r).isEmpty(), r.body());
            }
            Client.Response r = client.postJson("{\"metrics\": [");
            assertEquals(List.of(""), pointers(r), "a malformed body is a problem with the whole body");
        }

        @Test
        void aNamedConfigurationSuppliesTheSpecificationsAndRequestFieldsOverrideThem() {
            JsonNode typical = TestRequests.typical(3, TestRequests.Flavor.HOLD).get("metrics").get(0);
            ObjectNode request = TestRequests.MAPPER.createObjectNode().put("config", "checkout");
            ObjectNode metric = request.putArray("metrics").addObject().put("name", "latency_p95_ms");
            metric.set("baseline", typical.get("baseline"));
            metric.set("canary", typical.get("canary"));
            Client.Response r = client.postJson(request.toString());
            assertEquals(200, r.status(), r.body());
            assertEquals("hold", r.json().path("verdict").asText(), r.body());
            assertEquals("fixed", r.json().path("mode").asText(), "the configuration's mode");

            metric.putObject("hold").put("relative", 0.40);
            r = client.postJson(request.toString());
            assertEquals(200, r.status(), r.body());
            assertEquals("promote", r.json().path("verdict").asText(), "the request's hold band overrides: " + r.body());
        }

        @Test
        void anUnknownConfigurationIsInvalid() {
            Client.Response r = client.postJson("{\"config\": \"nope\", \"metrics\": [{\"name\": \"a\", \"baseline\": [1], \"canary\": [1]}]}");
            assertProblem(r, 400, "invalid-request");
            assertTrue(pointers(r).contains("/config"), r.body());
            assertTrue(r.body().contains("checkout"), "names the known configurations: " + r.body());
        }

        @Test
        void theDefaultModeGetsAVerdictOrAProblemNeverAFailure() {
            // Sequential mode, the contract's default, is being added to the core: either answer is fine.
            ObjectNode request = TestRequests.typical(5, TestRequests.Flavor.PROMOTE);
            request.remove("mode");
            Client.Response r = client.postJson(request.toString());
            assertTrue(r.status() == 200 || r.status() == 400, r.body());
            if (r.status() == 200) {
                assertEquals("sequential", r.json().path("mode").asText());
            } else {
                assertProblem(r, 400, "invalid-request");
            }
        }

        @Test
        void unknownRoutesAreNotFoundProblems() {
            assertProblem(client.get("/nope"), 404, "not-found");
            Client.Response root = client.get("/");
            assertEquals(302, root.status(), "the root leads to the review page");
            assertEquals("/ui/", root.header("Location"));
            assertProblem(client.post("/judges", "{}".getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json")),
                404, "not-found");
        }

        @Test
        void wrongMethodsAreNotAllowedProblemsWithAllow() {
            Client.Response r = client.get("/judge");
            assertProblem(r, 405, "method-not-allowed");
            assertEquals("POST", r.header("Allow"));
            for (String method : List.of("PUT", "DELETE", "PATCH")) {
                assertProblem(client.method(method, "/judge"), 405, "method-not-allowed");
            }
            r = client.post("/livez", new byte[0], Map.of());
            assertProblem(r, 405, "method-not-allowed");
            assertEquals("GET, HEAD", r.header("Allow"));
            assertProblem(client.method("DELETE", "/metrics"), 405, "method-not-allowed");
        }

        @Test
        void onlyJsonIsAccepted() {
            byte[] body = TestRequests.example().getBytes(StandardCharsets.UTF_8);
            for (Map<String, String> headers : List.of(
                Map.of("Content-Type", "text/plain"),
                Map.of("Content-Type", "application/x-www-form-urlencoded"),
                Map.of("Content-Type", "application/json; charset=iso-8859-1"),
                Map.of("Content-Type", "application/jsonx"),
                Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"),
                Map.<String, String>of())) {
                assertProblem(client.post("/judge", body, headers), 415, "unsupported-media-type");
            }
        }

        @Test
        void theDefaultBodyLimitIs16MiB() throws IOException {
            long length = 16L * 1024 * 1024 + 1;
            // Only the head is sent: the server refuses a declared length over the limit before reading the body.
            Client.Response r = client.postHeadOnly("/judge", length);
            assertProblem(r, 413, "body-too-large");
            assertTrue(r.body().contains("16777216"), r.body());
        }

        @Test
        void liveAndReady() {
            Client.Response live = client.get("/livez");
            assertEquals(200, live.status());
            assertEquals("alive", live.json().path("status").asText());
            Client.Response ready = client.get("/readyz");
            assertEquals(200, ready.status());
            assertEquals("ready", ready.json().path("status").asText());
            assertEquals("checkout", ready.json().path("configs").get(0).asText());
            assertEquals(200, client.send(HttpRequest.newBuilder(client.base().resolve("/livez"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()), Map.of()).status());
        }

        @Test
        void servesItsOpenApiDocument() {
            Client.Response r = client.get("/openapi.json");
            assertEquals(200, r.status());
            assertEquals("application/json", r.contentType());
            assertEquals("3.1.0", r.json().path("openapi").asText());
        }

        @Test
        void requestIdsAreEchoedSanitisedOrMade() {
            Client.Response r = client.send(HttpRequest.newBuilder(client.base().resolve("/livez")).GET(),
                Map.of("X-Request-Id", "rollout-42:look-3"));
            assertEquals("rollout-42:look-3", r.header("X-Request-Id"));
            r = client.send(HttpRequest.newBuilder(client.base().resolve("/livez")).GET(),
                Map.of("X-Request-Id", "a b\"<script>" + "x".repeat(300)));
            String rid = r.header("X-Request-Id");
            assertTrue(rid.startsWith("a_b__script_"), rid);
            assertEquals(128, rid.length());
            assertNotEquals(client.get("/livez").header("X-Request-Id"), client.get("/livez").header("X-Request-Id"));
        }

        @Test
        void writesOneAccessLogLinePerRequest() throws InterruptedException {
            client.send(HttpRequest.newBuilder(client.base().resolve("/judge"))
                    .POST(HttpRequest.BodyPublishers.ofString(TestRequests.example())),
                Map.of("X-Request-Id", "access-log-test", "Content-Type", "application/json"));
            client.send(HttpRequest.newBuilder(client.base().resolve("/judge"))
                    .POST(HttpRequest.BodyPublishers.ofString("{")),
                Map.of("X-Request-Id", "access-log-test-2", "Content-Type", "application/json"));
            String line = awaitLine("rid=access-log-test ");
            assertTrue(line.matches("ts=\\d{4}-\\d\\d-\\d\\dT\\S+Z rid=access-log-test method=POST path=/judge status=200 ms=\\d+\\.\\d verdict=hold"),
                line);
            line = awaitLine("rid=access-log-test-2 ");
            assertTrue(line.endsWith("status=400 ms=" + line.replaceAll(".* ms=(\\S+).*", "$1") + " problem=invalid-request"), line);
        }

        private String awaitLine(String part) throws InterruptedException {
            // The line is written once the response has gone out, so it may lag a moment behind it.
            for (int i = 0; i < 200; i++) {
                synchronized (accessLog) {
                    for (String line : accessLog) {
                        if (line.contains(part)) {
                            return line;
                        }
                    }
                }
                Thread.sleep(10);
            }
            throw new AssertionError("no access-log line with " + part + " in " + accessLog);
        }

        @Test
        void exposesPrometheusMetrics() {
            client.postJson(TestRequests.typical(11, TestRequests.Flavor.ROLLBACK).toString());
            client.get("/nope");
            client.get("/judge");
            Client.Response r = client.get("/metrics");
            assertEquals(200, r.status());
            assertTrue(r.contentType().startsWith("text/plain; version=0.0.4"), r.contentType());
            String text = r.body();
            for (String series : List.of(
                "canary_judge_http_requests_total{endpoint=\"/judge\",method=\"POST\",status=\"200\"}",
                "canary_judge_http_requests_total{endpoint=\"unmatched\",method=\"GET\",status=\"404\"}",
                "canary_judge_http_requests_total{endpoint=\"/judge\",method=\"GET\",status=\"405\"}",
                "canary_judge_verdicts_total{verdict=\"rollback\"}",
                "canary_judge_verdicts_total{verdict=\"promote\"}",
                "canary_judge_metric_outcomes_total{outcome=\"rollback\"}",
                "canary_judge_metric_outcomes_total{outcome=\"nodata\"}",
                "canary_judge_judge_duration_seconds_bucket{le=\"0.01\"}",
                "canary_judge_judge_duration_seconds_count",
                "jvm_memory_used_bytes",
                "process_cpu_seconds_total")) {
                assertTrue(text.contains(series), series + " in\n" + text);
            }
        }

        @Test
        void errorsFoundByJettyItselfAreProblemsToo() throws IOException {
            try (Socket socket = new Socket(server.uri().getHost(), server.port())) {
                OutputStream out = socket.getOutputStream();
                out.write("GARBAGE /\u0001 HTTP/9.9\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(response.startsWith("HTTP/1.1 4"), response);
                assertTrue(response.contains("application/problem+json"), response);
                assertTrue(response.contains("\"type\":\"urn:canary-judge:problem:"), response);
            }
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class SmallBodyLimit {

        JudgeServer server;
        Client client;

        @BeforeAll
        void start() {
            server = JudgeServer.start(ServerConfig.defaults().withPort(0).withMaxBodyBytes(1024).withAccessLog(false));
            client = new Client(server.uri());
        }

        @AfterAll
        void stop() {
            server.stop();
        }

        @Test
        void aBodyOverTheLimitIsRefusedBeforeItIsRead() {
            Client.Response r = client.postJson(TestRequests.example());
            assertProblem(r, 413, "body-too-large");
            assertTrue(r.json().path("detail").asText().contains("1024"), r.body());
        }

        @Test
        void aChunkedBodyIsRefusedOnceItPassesTheLimit() {
            byte[] body = TestRequests.example().getBytes(StandardCharsets.UTF_8);
            Client.Response r = client.send(HttpRequest.newBuilder(client.base().resolve("/judge"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))),
                Map.of("Content-Type", "application/json"));
            assertProblem(r, 413, "body-too-large");
        }

        @Test
        void aBodyWithinTheLimitIsRead() {
            assertProblem(client.postJson("{\"metrics\": 1}"), 400, "invalid-request");
            byte[] small = "{\"metrics\": 1}".getBytes(StandardCharsets.UTF_8);
            Client.Response r = client.send(HttpRequest.newBuilder(client.base().resolve("/judge"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(small))),
                Map.of("Content-Type", "application/json"));
            assertProblem(r, 400, "invalid-request");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithToken {

        static final String TOKEN = "s3cret-token_~+/=";
        JudgeServer server;
        Client client;

        @BeforeAll
        void start() {
            server = JudgeServer.start(ServerConfig.defaults().withPort(0).withToken(TOKEN).withAccessLog(false));
            client = new Client(server.uri());
        }

        @AfterAll
        void stop() {
            server.stop();
        }

        Client.Response judge(Map<String, String> headers) {
            Map<String, String> all = new java.util.HashMap<>(headers);
            all.putIfAbsent("Content-Type", "application/json");
            return client.post("/judge", TestRequests.example().getBytes(StandardCharsets.UTF_8), all);
        }

        @Test
        void aMissingTokenIsUnauthorized() {
            Client.Response r = judge(Map.of());
            assertProblem(r, 401, "unauthorized");
            assertTrue(r.header("WWW-Authenticate").startsWith("Bearer"), r.header("WWW-Authenticate"));
            assertFalse(r.body().contains(TOKEN));
        }

        @Test
        void aWrongTokenIsUnauthorized() {
            for (String header : List.of("Bearer wrong", "Bearer " + TOKEN + "x", "Bearer", "Basic " + TOKEN, TOKEN,
                "Bearer " + TOKEN.substring(0, 5))) {
                Client.Response r = judge(Map.of("Authorization", header));
                assertProblem(r, 401, "unauthorized");
                assertTrue(r.header("WWW-Authenticate").contains("invalid_token") || header.isBlank(), header);
            }
        }

        @Test
        void theRightTokenIsLetIn() {
            assertEquals(200, judge(Map.of("Authorization", "Bearer " + TOKEN)).status());
            assertEquals(200, judge(Map.of("Authorization", "bearer " + TOKEN)).status());
        }

        @Test
        void authorizationComesBeforeTheContentType() {
            assertProblem(judge(Map.of("Content-Type", "text/plain")), 401, "unauthorized");
            assertProblem(judge(Map.of("Content-Type", "text/plain", "Authorization", "Bearer " + TOKEN)), 415,
                "unsupported-media-type");
        }

        @Test
        void probesMetricsAndTheDocumentStayOpen() {
            for (String path : List.of("/livez", "/readyz", "/metrics", "/openapi.json")) {
                assertEquals(200, client.get(path).status(), path);
            }
        }
    }

    @Test
    void serversInOneJvmKeepTheirOwnMetrics() {
        try (JudgeServer a = JudgeServer.start(ServerConfig.defaults().withPort(0).withAccessLog(false));
             JudgeServer b = JudgeServer.start(ServerConfig.defaults().withPort(0).withAccessLog(false))) {
            new Client(a.uri()).postJson(TestRequests.example());
            String metricsB = new Client(b.uri()).get("/metrics").body();
            assertTrue(metricsB.contains("canary_judge_verdicts_total{verdict=\"hold\"} 0.0"), metricsB);
            String metricsA = new Client(a.uri()).get("/metrics").body();
            assertTrue(metricsA.contains("canary_judge_verdicts_total{verdict=\"hold\"} 1.0"), metricsA);
        }
    }

    /** Waits up to 10 s for a condition that another thread makes true. */
    static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void aStopLetsARequestInFlightFinish() throws Exception {
        JudgeServer server = JudgeServer.start(ServerConfig.defaults().withPort(0).withAccessLog(false));
        java.net.URI uri = server.uri();
        byte[] body = TestRequests.example().getBytes(StandardCharsets.UTF_8);
        int half = body.length / 2;
        try (Socket socket = new Socket(server.uri().getHost(), server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /judge HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, 0, half);
            out.flush();
            awaitTrue(() -> server.requestsInFlight() == 1, "the request is in flight, its body half read");
            long start = System.nanoTime();
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(server::stop);
            // The stop must wait as long as the body is not complete; half a second stands for "as long".
            assertThrows(java.util.concurrent.TimeoutException.class, () -> stopped.get(500, TimeUnit.MILLISECONDS),
                "the stop waits for the request in flight");
            out.write(body, half, body.length - half);
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertTrue(response.contains("\"verdict\":\"hold\""), response);
            stopped.get(10, TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(500));
        }
        assertThrows(UncheckedIOException.class, () -> new Client(uri).get("/livez"), "no new requests after the stop");
    }

    @Test
    void aProblemHasTheRfc9457Members() {
        Problem p = Problem.internalError("abc");
        JsonNode json;
        try {
            json = TestRequests.MAPPER.readTree(p.toJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals("urn:canary-judge:problem:internal-error", json.path("type").asText());
        assertEquals(500, json.path("status").asInt());
        assertTrue(json.path("detail").asText().contains("abc"));
        assertNull(json.get("errors"), "errors only for validation problems");
    }
}
