package org.canaryjudge.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar with its SQLite store, killed with SIGKILL while 8 clients send looks: after a
 * restart on the same file, every look that got a 200 is in its rollout's history, with the number
 * the answer gave it.
 */
class StoreIT {

    @TempDir
    Path dir;

    @Test
    void everyAnsweredLookSurvivesSigkillUnderLoad() throws Exception {
        String store = "jdbc:sqlite:" + dir.resolve("state/rollouts.db");
        ServeIT.Served first = ServeIT.serve(Map.of(), "--port", "0", "--store", store);
        Client client = new Client(first.uri());
        Map<String, Set<Integer>> answered = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger seed = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            String id = "shop/service-" + (t % 4) + "/v1";
            Thread thread = new Thread(() -> {
                while (running.get()) {
                    int s = seed.incrementAndGet();
                    try {
                        Client.Response r = client.postJson(RolloutsTest.look(s, TestRequests.Flavor.PROMOTE, id, s % 3 == 0 ? "25%" : null));
                        if (r.status() == 200) {
                            answered.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(r.json().path("rollout").path("look").asInt());
                        }
                    } catch (UncheckedIOException | IllegalStateException e) {
                        return; // the server is gone
                    }
                }
            });
            thread.start();
            clients.add(thread);
        }
        Thread.sleep(4000);
        int before = answered.values().stream().mapToInt(Set::size).sum();
        assertTrue(before > 20, "looks were answered under load: " + before);
        first.process().destroyForcibly(); // SIGKILL: no shutdown hook, no clean close of the database
        assertTrue(first.process().waitFor(30, TimeUnit.SECONDS));
        running.set(false);
        for (Thread thread : clients) {
            thread.join(70_000);
        }
        int total = answered.values().stream().mapToInt(Set::size).sum();

        ServeIT.Served second = ServeIT.serve(Map.of(), "--port", "0", "--store", store);
        try {
            Client after = new Client(second.uri());
            for (Map.Entry<String, Set<Integer>> e : answered.entrySet()) {
                Client.Response r = after.get(RolloutsTest.path(e.getKey()));
                assertEquals(200, r.status(), r.body());
                Set<Integer> recorded = new TreeSet<>();
                for (JsonNode look : r.json().path("looks")) {
                    recorded.add(look.path("look").asInt());
                }
                assertTrue(recorded.containsAll(e.getValue()), e.getKey() + ": answered " + new TreeSet<>(e.getValue())
                    + ", recorded " + recorded);
                // Numbers run from 1 without a gap: nothing half-written.
                assertEquals(recorded.size(), ((TreeSet<Integer>) recorded).last(), recorded.toString());
            }
            // The store goes on numbering where it stopped.
            String id = answered.keySet().iterator().next();
            int next = after.postJson(RolloutsTest.look(0, TestRequests.Flavor.PROMOTE, id, null)).json().path("rollout").path("look").asInt();
            assertEquals(after.get(RolloutsTest.path(id)).json().path("looks").size(), next);
            System.out.println("StoreIT: " + total + " looks answered before SIGKILL, all found after the restart");
        } finally {
            ServeIT.stop(second.process());
        }
    }
}
