package org.canaryjudge.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.canaryjudge.server.store.JdbcRolloutStore;
import org.canaryjudge.server.store.RealPostgres;
import org.canaryjudge.server.store.RolloutStore;
import org.junit.jupiter.api.Test;

/**
 * Two server replicas sharing one real PostgreSQL: looks alternate between them, and both show the
 * same history with the same verdicts; looks sent to both at once are numbered without a gap or a twin.
 */
class PostgresReplicasTest {

    @Test
    void twoReplicasOnOnePostgresqlShowOneHistory() throws Exception {
        try (RealPostgres pg = RealPostgres.start();
             RolloutStore storeA = JdbcRolloutStore.postgresql(pg.url(), null, null);
             RolloutStore storeB = JdbcRolloutStore.postgresql(pg.url(), null, null);
             JudgeServer a = RolloutsTest.serve(storeA, null);
             JudgeServer b = RolloutsTest.serve(storeB, null)) {
            List<Client> replicas = List.of(new Client(a.uri()), new Client(b.uri()));
            String id = "shop/checkout/7f9c6d5b8";
            List<String> verdicts = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String stage = i < 6 ? "5%" : "25%";
                TestRequests.Flavor flavor = i < 6 ? TestRequests.Flavor.PROMOTE : TestRequests.Flavor.ROLLBACK;
                Client.Response r = replicas.get(i % 2).postJson(RolloutsTest.look(i, flavor, id, stage));
                assertEquals(200, r.status(), r.body());
                JsonNode rollout = r.json().path("rollout");
                assertEquals(i + 1, rollout.path("look").asInt(), r.body());
                assertEquals(i < 6 ? i + 1 : i - 5, rollout.path("stageLook").asInt(), r.body());
                verdicts.add(r.json().path("verdict").asText());
            }
            JsonNode fromA = replicas.get(0).get(RolloutsTest.path(id)).json();
            JsonNode fromB = replicas.get(1).get(RolloutsTest.path(id)).json();
            assertEquals(fromA, fromB, "one history, whichever replica is asked");
            List<String> recorded = new ArrayList<>();
            fromA.path("looks").forEach(l -> recorded.add(l.path("verdict").asText()));
            assertEquals(verdicts, recorded);
            assertEquals(2, fromA.path("stages").size());
            assertEquals(6, fromA.path("stages").get(0).path("looks").asInt());
            assertEquals(replicas.get(0).get("/rollouts").json(), replicas.get(1).get("/rollouts").json());
            // The review page's list reads the last look's reason with the rollout, on PostgreSQL too.
            String lastReason = fromA.path("looks").get(fromA.path("looks").size() - 1).path("reason").asText();
            String list = replicas.get(1).get("/ui/").body();
            assertTrue(list.contains("href=\"/ui/rollouts/" + id + "\"") && list.contains(lastReason.substring(0, 12)), list);
            assertEquals(200, replicas.get(1).get("/ui/rollouts/" + id).status());

            // Both replicas at once, on one rollout: every look gets its own number.
            String busy = "shop/cart/1a2b3c";
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Integer>> looks = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    Client client = replicas.get(i % 2);
                    String body = RolloutsTest.look(100 + i, TestRequests.Flavor.PROMOTE, busy, "50%");
                    looks.add(pool.submit(() -> {
                        Client.Response r = client.postJson(body);
                        assertEquals(200, r.status(), r.body());
                        return r.json().path("rollout").path("look").asInt();
                    }));
                }
                Set<Integer> numbers = new TreeSet<>();
                for (Future<Integer> f : looks) {
                    assertTrue(numbers.add(f.get()), "a look number twice: " + numbers);
                }
                assertEquals(40, numbers.size());
                assertEquals(1, ((TreeSet<Integer>) numbers).first());
                assertEquals(40, ((TreeSet<Integer>) numbers).last());
            } finally {
                pool.shutdownNow();
            }
            JsonNode busyHistory = replicas.get(1).get(RolloutsTest.path(busy)).json();
            assertEquals(40, busyHistory.path("looks").size());
            assertEquals(40, busyHistory.path("stages").get(0).path("looks").asInt());
        }
    }
}
