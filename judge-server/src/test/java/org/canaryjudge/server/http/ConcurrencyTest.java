package org.canaryjudge.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.canaryjudge.server.config.ServerConfig;
import org.canaryjudge.server.judging.JsonJudge;
import org.canaryjudge.server.json.JudgementWriter;
import org.junit.jupiter.api.Test;

/** 8 clients × 500 mixed requests at once: every one answered exactly as it is answered alone. */
class ConcurrencyTest {

    static final int CLIENTS = 8;
    static final int REQUESTS_PER_CLIENT = 500;

    record Case(String body, int status, String expected) {
    }

    @Test
    void eightClientsTimesFiveHundredMixedRequestsAreAllAnsweredCorrectly() throws Exception {
        List<Case> cases = new ArrayList<>();
        JudgementWriter writer = new JudgementWriter(false);
        for (int seed = 0; seed < 10; seed++) {
            for (TestRequests.Flavor flavor : TestRequests.Flavor.values()) {
                String body = TestRequests.typical(seed, flavor).toString();
                String expected = writer.write(new JsonJudge().judge(body.getBytes(StandardCharsets.UTF_8)));
                assertEquals(flavor.name().toLowerCase(), TestRequests.MAPPER.readTree(expected).path("verdict").asText(),
                    "seed " + seed + " is a " + flavor);
                cases.add(new Case(body, 200, expected));
            }
        }
        for (String invalid : List.of("{", "[]", "{\"metrics\": [{\"name\": \"a\", \"baseline\": [1], \"canary\": [\"x\"]}]}",
            "{\"mode\": \"fixed\", \"metrics\": [{\"name\": \"a\", \"hold\": {\"relative\": -1}, \"baseline\": [1], \"canary\": [1]}]}",
            "{\"mode\": \"fixed\", \"confidence\": 3, \"metrics\": []}")) {
            cases.add(new Case(invalid, 400, null));
        }

        try (JudgeServer server = JudgeServer.start(ServerConfig.defaults().withPort(0).withAccessLog(false))) {
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            CountDownLatch go = new CountDownLatch(1);
            AtomicInteger answered = new AtomicInteger();
            try {
                List<Future<?>> clients = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int clientNo = c;
                    clients.add(pool.submit(() -> {
                        Client client = new Client(server.uri());
                        go.await();
                        for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
                            Case k = cases.get((clientNo * 7 + i * 13) % cases.size());
                            Client.Response r = client.post("/judge", k.body().getBytes(StandardCharsets.UTF_8),
                                Map.of("Content-Type", "application/json", "X-Request-Id", "c" + clientNo + "-" + i));
                            assertEquals(k.status(), r.status(), r.body());
                            assertEquals("c" + clientNo + "-" + i, r.header("X-Request-Id"));
                            if (k.status() == 200) {
                                assertEquals(k.expected(), r.body());
                            } else {
                                JudgeServerTest.assertProblem(r, 400, "invalid-request");
                            }
                            answered.incrementAndGet();
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : clients) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(CLIENTS * REQUESTS_PER_CLIENT, answered.get());
            String metrics = new Client(server.uri()).get("/metrics").body();
            long ok = cases.stream().filter(k -> k.status() == 200).count();
            assertEquals(true, metrics.contains("canary_judge_http_requests_total{endpoint=\"/judge\",method=\"POST\",status=\"200\"}"), metrics);
            assertEquals(true, ok > 0);
        }
    }
}
