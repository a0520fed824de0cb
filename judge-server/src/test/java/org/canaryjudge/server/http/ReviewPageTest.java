package org.canaryjudge.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.canaryjudge.server.store.JdbcRolloutStore;
import org.canaryjudge.server.store.RolloutStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The review page's HTML as a client receives it from a real server with a real SQLite store: the
 * routes, the order of the list, the escaping of what requests put on the page, the headers, and the
 * size and server time of a large rollout's page (the browser's view is ReviewPageBrowserTest's).
 */
class ReviewPageTest {

    static final String HELD = "shop/checkout/7f9c6d5b8";
    static final String QUIET = "shop/cart/41c2e9a00";
    static final String HOSTILE_METRIC = "<script>alert(1)</script>";

    @TempDir
    Path dir;

    /**
     * A typical look (TestRequests) of a rollout, with its latency metric renamed so that a request's
     * hostile text reaches the page.
     */
    static String look(long seed, TestRequests.Flavor flavor, String id, String stage, String latencyName) {
        ObjectNode body = TestRequests.typical(seed, flavor);
        ((ObjectNode) body.get("metrics").get(0)).put("name", latencyName);
        ObjectNode rollout = body.putObject("rollout").put("id", id);
        if (stage != null) {
            rollout.put("stage", stage);
        }
        return body.toString();
    }

    /** Two rollouts: one that held at its latest look (in its second stage), and a quieter one updated after it. */
    static void twoRollouts(Client client) {
        for (int i = 1; i <= 3; i++) {
            assertEquals(200, client.postJson(look(i, TestRequests.Flavor.PROMOTE, HELD, "5%", HOSTILE_METRIC)).status());
        }
        for (int i = 4; i <= 5; i++) {
            assertEquals("hold", client.postJson(look(i, TestRequests.Flavor.HOLD, HELD, "25%", HOSTILE_METRIC))
                .json().path("verdict").asText());
        }
        assertEquals("promote", client.postJson(look(6, TestRequests.Flavor.PROMOTE, QUIET, "5%", "latency_p95_ms"))
            .json().path("verdict").asText());
    }

    @Test
    void theListPutsTheRolloutThatWaitsForAPersonOnTopAndEscapesWhatRequestsSent() {
        try (RolloutStore store = JdbcRolloutStore.sqlite(dir.resolve("rollouts.db"));
             JudgeServer server = RolloutsTest.serve(store, null)) {
            Client client = new Client(server.uri());
            twoRollouts(client);
            Client.Response root = client.get("/");
            assertEquals(302, root.status());
            assertEquals("/ui/", root.header("Location"));
            Client.Response list = client.get("/ui/");
            assertEquals(200, list.status(), list.body());
            assertEquals("text/html;charset=utf-8", list.contentType().toLowerCase(Locale.ROOT).replace(" ", ""));
            String html = list.body();
            int held = html.indexOf("href=\"/ui/rollouts/" + HELD + "\"");
            int quiet = html.indexOf("href=\"/ui/rollouts/" + QUIET + "\"");
            assertTrue(held > 0 && quiet > held, "the held rollout is listed first, though the other one was updated later");
            assertTrue(html.contains("waits for a person"), html);
            assertTrue(html.contains("just now"), "the age of the last look");
            assertFalse(html.contains(HOSTILE_METRIC), "the hostile metric name reached the list unescaped");
            assertEquals(200, client.get("/ui").status(), "without the trailing slash too");
            assertEquals(200, client.method("HEAD", "/ui/").status());
            assertEquals(405, client.method("DELETE", "/ui/rollouts/" + HELD).status());
        }
    }

    @Test
    void aRolloutsPageShowsItsStagesReasonsAndChartsWithEverythingEscaped() throws Exception {
        try (RolloutStore store = JdbcRolloutStore.sqlite(dir.resolve("rollouts.db"));
             JudgeServer server = RolloutsTest.serve(store, null)) {
            Client client = new Client(server.uri());
            twoRollouts(client);
            for (String path : new String[] {"/ui/rollouts/" + HELD, RolloutsTest.path(HELD).replace("/rollouts/", "/ui/rollouts/")}) {
                Client.Response page = client.get(path);
                assertEquals(200, page.status(), path + ": " + page.body());
                String html = page.body();
                assertTrue(html.contains("<h1 class=\"id\">" + HELD + "</h1>"), html);
                assertTrue(html.contains("<h3>Stage 5% <small>") && html.contains("<h3>Stage 25% <small>"), "both stages");
                assertEquals(5, count(html, "<li id=\"look-"), "every look on the timeline");
                assertTrue(html.contains("What it would take"), "the latest look holds");
                assertFalse(html.contains(HOSTILE_METRIC), "the hostile metric name reached the page unescaped");
                assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the hostile metric name, escaped");
                assertEquals(5, count(html, "<script"), "the page's own scripts only: data, errors, uPlot, charts, review");
                assertEquals(3, count(html, "<div class=\"chart\""), "one effect chart per metric");
                java.util.regex.Matcher data = java.util.regex.Pattern.compile(
                    "<script type=\"application/json\" id=\"report-data\">(.*?)</script>", java.util.regex.Pattern.DOTALL).matcher(html);
                assertTrue(data.find());
                com.fasterxml.jackson.databind.JsonNode latency = TestRequests.MAPPER.readTree(data.group(1)).path("metrics").get(0);
                assertEquals(HOSTILE_METRIC, latency.path("name").asText());
                com.fasterxml.jackson.databind.JsonNode effect = latency.path("effects").get(0);
                assertEquals("[null,0.1]", effect.path("hold").toString(), "the hold band the looks recorded");
                assertEquals("[null,0.5]", effect.path("rollback").toString());
                assertEquals(5, effect.path("estimate").size());
                assertEquals(0.25, effect.path("estimate").get(4).asDouble(), 0.03, "the held looks' +25 %");
                assertEquals("hold", effect.path("outcome").get(4).asText());
                String policy = page.header("Content-Security-Policy");
                String scripts = java.util.Arrays.stream(policy.split(";")).map(String::strip)
                    .filter(d -> d.startsWith("script-src ")).findFirst().orElse("");
                assertTrue(scripts.contains("'sha256-") && !scripts.contains("unsafe-inline"), "scripts allowed by hash only: " + policy);
                java.util.regex.Matcher inline = java.util.regex.Pattern.compile("<script>(.*?)</script>", java.util.regex.Pattern.DOTALL)
                    .matcher(html);
                int hashed = 0;
                while (inline.find()) {
                    String hash = java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(inline.group(1).getBytes(StandardCharsets.UTF_8)));
                    assertTrue(scripts.contains("'sha256-" + hash + "'"), "a script of the page the policy does not allow");
                    hashed++;
                }
                assertEquals(4, hashed, "errors, uPlot, charts and the page's script, each allowed by its hash");
                assertEquals("nosniff", page.header("X-Content-Type-Options"));
            }
            Client.Response missing = client.get("/ui/rollouts/no/such@rollout");
            assertEquals(404, missing.status());
            assertTrue(missing.contentType().startsWith("text/html") && missing.body().contains("No rollout \"no/such@rollout\" is remembered"),
                missing.body());
            assertEquals(404, client.get("/ui/rollouts/%3Cscript%3E").status());
            assertFalse(client.get("/ui/rollouts/%3Cscript%3E").body().contains("<script>"), "a hostile id in a 404 page, escaped");
        }
    }

    @Test
    void withoutAStoreTheListSaysThereIsNothingToReview() {
        try (JudgeServer server = RolloutsTest.serve(null, null)) {
            Client client = new Client(server.uri());
            assertTrue(client.get("/ui/").body().contains("keeps no rollouts"));
            Client.Response page = client.get("/ui/rollouts/" + HELD);
            assertEquals(404, page.status());
            assertTrue(page.body().contains("This server keeps no rollouts (--store none)"), page.body());
        }
    }

    @Test
    void withATokenThePagesSendABrowserToSignInAndTakeTheTokenFromATool() {
        try (RolloutStore store = JdbcRolloutStore.sqlite(dir.resolve("rollouts.db"));
             JudgeServer server = DecisionsTest.serve(store, DecisionsTest.MACHINE, DecisionsTest.REVIEWERS)) {
            Client client = new Client(server.uri());
            for (String path : new String[] {"/ui/", "/ui/rollouts/" + HELD}) {
                Client.Response r = client.get(path);
                assertEquals(303, r.status(), path);
                assertEquals("/ui/sign-in?next=" + path, r.header("Location"));
                assertEquals(200, client.send(java.net.http.HttpRequest.newBuilder(server.uri().resolve("/ui/")).GET(),
                    Map.of("Authorization", "Bearer " + DecisionsTest.MACHINE)).status());
            }
            assertTrue(client.get("/ui/sign-in").body().contains("<label for=\"token\">"), "the sign-in form");
        }
    }

    /**
     * Sign-in with name and token sets an HttpOnly, SameSite=Strict session cookie; the decision form
     * needs the session and its token, and refuses a post from another site whatever it carries; the
     * decision it records is the API's, and the next look applies it; sign-out ends the session.
     */
    @Test
    void aReviewerSignsInAndDecidesThroughTheFormWhichRefusesCrossSitePosts() {
        try (RolloutStore store = JdbcRolloutStore.sqlite(dir.resolve("rollouts.db"));
             JudgeServer server = DecisionsTest.serve(store, DecisionsTest.MACHINE, DecisionsTest.REVIEWERS)) {
            Client client = new Client(server.uri());
            String self = "http://" + server.uri().getAuthority();
            String look = look(5, TestRequests.Flavor.HOLD, HELD, "25%", "latency_p95_ms");
            assertEquals("hold", DecisionsTest.judge(client, look, DecisionsTest.MACHINE).json().path("verdict").asText());

            assertEquals(401, form(client, "/ui/sign-in", "name=bo&token=" + DecisionsTest.ANA, self, null).status(),
                "ana's token is not bo's");
            assertEquals(403, form(client, "/ui/sign-in", "name=bo&token=" + DecisionsTest.BO, "http://evil.example", null).status(),
                "a sign-in posted from another site");
            for (String elsewhere : new String[] {"https://evil.example/ui/", "//evil.example", "/ui//evil.example", "/ui/%0d%0aX:1"}) {
                Client.Response away = form(client, "/ui/sign-in", "name=bo&token=" + DecisionsTest.BO + "&next="
                    + java.net.URLEncoder.encode(elsewhere, StandardCharsets.UTF_8), self, null);
                assertEquals("/ui/", away.header("Location"), "never sent on to " + elsewhere);
            }
            Client.Response signIn = form(client, "/ui/sign-in", "name=bo&token=" + DecisionsTest.BO + "&next=/ui/rollouts/" + HELD,
                self, null);
            assertEquals(303, signIn.status(), signIn.body());
            assertEquals("/ui/rollouts/" + HELD, signIn.header("Location"));
            String cookie = signIn.header("Set-Cookie");
            for (String attribute : new String[] {"HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"}) {
                assertTrue(cookie.contains(attribute), cookie);
            }
            String session = cookie.substring(0, cookie.indexOf(';'));
            assertTrue(session.length() > ReviewRoutes.COOKIE.length() + 40, "a 256-bit id: " + session);

            String page = client.send(java.net.http.HttpRequest.newBuilder(server.uri().resolve("/ui/rollouts/" + HELD)).GET(),
                Map.of("Cookie", session)).body();
            java.util.regex.Matcher csrf = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
            assertTrue(csrf.find() && page.contains("<form class=\"decide\""), "the form for a signed-in reviewer");
            String decision = "decision=promote&comment=" + java.net.URLEncoder.encode("<b>checked</b> the slow query", StandardCharsets.UTF_8);
            String path = "/ui/rollouts/" + HELD + "/decisions";
            assertEquals(401, form(client, path, decision + "&csrf=" + csrf.group(1), self, null).status(), "no session");
            assertEquals(403, form(client, path, decision, self, session).status(), "no token");
            assertEquals(403, form(client, path, decision + "&csrf=x" + csrf.group(1), self, session).status(), "another token");
            assertEquals(403, form(client, path, decision + "&csrf=" + csrf.group(1), "http://evil.example", session).status(),
                "another site's Origin");
            assertEquals(403, client.post(path, (decision + "&csrf=" + csrf.group(1)).getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Cookie", session, "Origin", "http://public.example",
                    "X-Forwarded-Host", "other.example")).status(), "an Origin that is neither the Host nor the proxy's host");
            assertEquals(403, client.post(path, (decision + "&csrf=" + csrf.group(1)).getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Cookie", session, "Sec-Fetch-Site", "cross-site")).status(),
                "Sec-Fetch-Site: cross-site");
            assertEquals(400, form(client, path, "decision=approve&csrf=" + csrf.group(1), self, session).status(), "no such decision");
            assertEquals(0, history(client).path("decisions").size(), "nothing recorded by the refused posts");

            Client.Response decided = form(client, path, decision + "&csrf=" + csrf.group(1), self, session);
            assertEquals(303, decided.status(), decided.body());
            assertEquals("/ui/rollouts/" + HELD + "#decisions", decided.header("Location"));
            com.fasterxml.jackson.databind.JsonNode recorded = history(client).path("decisions").get(0);
            assertEquals("bo", recorded.path("by").asText());
            assertEquals("<b>checked</b> the slow query", recorded.path("comment").asText());
            com.fasterxml.jackson.databind.JsonNode next = DecisionsTest.judge(client,
                look(6, TestRequests.Flavor.HOLD, HELD, "25%", "latency_p95_ms"), DecisionsTest.MACHINE).json();
            assertEquals("promote", next.path("verdict").asText(), next.toString());
            assertTrue(next.path("reason").asText().contains("bo"), next.path("reason").asText());
            String after = client.send(java.net.http.HttpRequest.newBuilder(server.uri().resolve("/ui/rollouts/" + HELD)).GET(),
                Map.of("Cookie", session)).body();
            assertTrue(after.contains("&lt;b&gt;checked&lt;/b&gt; the slow query") && !after.contains("<b>checked</b>"),
                "the comment, escaped");
            String list = client.send(java.net.http.HttpRequest.newBuilder(server.uri().resolve("/ui/")).GET(),
                Map.of("Cookie", session)).body();
            assertTrue(list.contains("Decided: promote by bo") && !list.contains("waits for a person"), "decided: no longer waiting");

            assertEquals(303, form(client, "/ui/sign-out", "csrf=" + csrf.group(1), self, session).status());
            assertEquals(303, client.send(java.net.http.HttpRequest.newBuilder(server.uri().resolve("/ui/")).GET(),
                Map.of("Cookie", session)).status(), "signed out: back to sign-in");
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode history(Client client) {
        return client.send(java.net.http.HttpRequest.newBuilder(client.base().resolve(RolloutsTest.path(HELD))).GET(),
            Map.of("Authorization", "Bearer " + DecisionsTest.MACHINE)).json();
    }

    /** Posts a form as a browser does from this server's page: its Origin, and the session cookie when given. */
    private static Client.Response form(Client client, String path, String body, String origin, String cookie) {
        Map<String, String> headers = new java.util.HashMap<>(Map.of("Content-Type", "application/x-www-form-urlencoded",
            "Origin", origin));
        if (cookie != null) {
            headers.put("Cookie", cookie);
        }
        return client.post(path, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    /**
     * Issue 14's target: the page of a rollout with 3 stages × 30 looks × 5 metrics renders in under
     * 300 ms of server time and weighs under 1.5 MB. Server time is what the server's access log
     * measures for the request; the client's round trip on the loopback is printed beside it. Both
     * after warm-up, their median and worst of 20 requests.
     */
    @Test
    void aLargeRolloutsPageIsQuickAndSmall() {
        java.util.List<String> log = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try (RolloutStore store = JdbcRolloutStore.sqlite(dir.resolve("rollouts.db"));
             JudgeServer server = JudgeServer.start(org.canaryjudge.server.config.ServerConfig.defaults().withPort(0)
                 .withAccessLog(true), log::add, store)) {
            Client client = new Client(server.uri());
            String[] stages = {"5%", "25%", "50%"};
            for (int look = 0; look < 90; look++) {
                Client.Response r = client.postJson(fiveMetrics(look, "big/rollout@v1", stages[look / 30]));
                assertEquals(200, r.status(), r.body());
            }
            String path = "/ui/rollouts/big/rollout@v1";
            for (int i = 0; i < 10; i++) {
                assertEquals(200, client.get(path).status());
            }
            log.clear();
            double[] roundTrips = new double[20];
            int bytes = 0;
            for (int i = 0; i < roundTrips.length; i++) {
                long start = System.nanoTime();
                Client.Response page = client.get(path);
                roundTrips[i] = (System.nanoTime() - start) / 1e6;
                assertEquals(200, page.status());
                bytes = page.body().getBytes(StandardCharsets.UTF_8).length;
                assertEquals(90, count(page.body(), "<li id=\"look-"));
            }
            double[] serverMs = log.stream().filter(l -> l.contains(" path=" + path + " "))
                .mapToDouble(l -> Double.parseDouble(l.replaceAll(".* ms=([0-9.]+).*", "$1"))).toArray();
            assertEquals(roundTrips.length, serverMs.length, "one access-log line per request");
            java.util.Arrays.sort(roundTrips);
            java.util.Arrays.sort(serverMs);
            System.out.printf(Locale.ROOT, "ReviewPageTest: 3 stages x 30 looks x 5 metrics: %d bytes (%.2f MB); server time median %.1f ms,"
                + " worst %.1f ms; round trip median %.1f ms, worst %.1f ms; %d requests%n", bytes, bytes / 1e6, serverMs[serverMs.length / 2],
                serverMs[serverMs.length - 1], roundTrips[roundTrips.length / 2], roundTrips[roundTrips.length - 1], serverMs.length);
            assertTrue(bytes < 1_500_000, bytes + " bytes");
            assertTrue(serverMs[serverMs.length / 2] < 300, serverMs[serverMs.length / 2] + " ms");
        }
    }

    /** A look with five continuous metrics, latency drifting up and down so that looks differ. */
    private static String fiveMetrics(int look, String id, String stage) {
        Random random = new Random(look);
        ObjectNode root = TestRequests.MAPPER.createObjectNode();
        root.put("mode", "fixed");
        root.putObject("rollout").put("id", id).put("stage", stage);
        ArrayNode metrics = root.putArray("metrics");
        String[] names = {"latency_p50_ms", "latency_p99_ms", "cpu_cores", "memory_mb", "queue_depth"};
        for (int k = 0; k < names.length; k++) {
            ObjectNode m = metrics.addObject();
            m.put("name", names[k]).put("direction", "increase").put("correlation", "ignore");
            m.putObject("hold").put("relative", 0.1);
            m.putObject("rollback").put("relative", 0.5);
            double shift = 1 + (k == 1 ? 0.15 * Math.sin(look / 7.0) : 0);
            ArrayNode baseline = m.putArray("baseline");
            ArrayNode canary = m.putArray("canary");
            for (int i = 0; i < 60; i++) {
                baseline.add(100 + 5 * random.nextGaussian());
                canary.add(100 * shift + 5 * random.nextGaussian());
            }
        }
        return root.toString();
    }

    static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
