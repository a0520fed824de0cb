package org.canaryjudge.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar with the heap the Deployment gives it ({@code -Xmx256m}) against clients that try
 * to starve it: many large bodies at once, hundreds of connections trickling bytes, and a steady
 * load whose resident memory must stay flat. Figures go to standard output for
 * docs/performance.md; {@code -Dsoak.seconds=300} makes the soak the documented five minutes.
 */
class HostileClientsIT {

    static ServeIT.Served served;
    static Client client;

    @BeforeAll
    static void start() throws IOException {
        served = ServeIT.serve(List.of("-Xmx256m", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError"), Map.of(), "--port", "0");
        client = new Client(served.uri());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        ServeIT.stop(served.process());
    }

    /** A valid body of a million points a side, about 12 MB: five-digit whole numbers. */
    static byte[] millionPointBody(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder b = new StringBuilder(13_000_000).append("{\"mode\": \"fixed\", \"metrics\": [{\"name\": \"latency_us\","
            + " \"hold\": {\"relative\": 0.1}, \"correlation\": \"ignore\", \"baseline\": [");
        for (String side : List.of("baseline", "canary")) {
            if (side.equals("canary")) {
                b.append("], \"canary\": [");
            }
            for (int i = 0; i < 1_000_000; i++) {
                b.append(i == 0 ? "" : ",").append(40_000 + random.nextInt(20_000));
            }
        }
        return b.append("]}]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eightConcurrentTwelveMegabyteBodiesGetNoServerError() throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            bodies.add(millionPointBody(i));
        }
        assertTrue(bodies.get(0).length > 11_000_000 && bodies.get(0).length < 16 << 20, "size " + bodies.get(0).length);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        long started = System.nanoTime();
        try {
            List<Future<long[]>> answers = new ArrayList<>();
            for (byte[] body : bodies) {
                answers.add(pool.submit(() -> {
                    long t = System.nanoTime();
                    Client.Response r = new Client(served.uri()).post("/judge", body, Map.of("Content-Type", "application/json"));
                    assertEquals(200, r.status(), r.body());
                    return new long[] {r.status(), (System.nanoTime() - t) / 1_000_000};
                }));
            }
            long slowest = 0;
            for (Future<long[]> f : answers) {
                slowest = Math.max(slowest, f.get(5, TimeUnit.MINUTES)[1]);
            }
            System.out.printf(Locale.ROOT, "hostile: 8 concurrent %.1f MB bodies: all 200, slowest %d ms, all in %d ms%n",
                bodies.get(0).length / 1e6, slowest, (System.nanoTime() - started) / 1_000_000);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(200, client.get("/readyz").status(), "the server still answers");
    }

    /** Heads sent in full and then a body at one byte a second; or a head at one byte a second. */
    static Thread trickler(String path, boolean slowHead, AtomicBoolean running, List<Socket> sockets) {
        Thread t = new Thread(() -> {
            String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100000\r\n\r\n";
            try (Socket s = new Socket(served.uri().getHost(), served.uri().getPort())) {
                synchronized (sockets) {
                    sockets.add(s);
                }
                OutputStream out = s.getOutputStream();
                byte[] bytes = (slowHead ? head : "{").getBytes(StandardCharsets.ISO_8859_1);
                if (!slowHead) {
                    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                }
                for (int i = 0; running.get(); i++) {
                    out.write(bytes[i % bytes.length]);
                    out.flush();
                    Thread.sleep(1_000);
                }
            } catch (IOException | InterruptedException e) {
                // The server cut the connection off: what it should do.
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void threeHundredSlowClientsDoNotDelayAnyoneElse() throws Exception {
        String[] paths = {"/judge", "/flagger/gate/checkout", "/kayenta/judge", "/judge?x=1"};
        AtomicBoolean running = new AtomicBoolean(true);
        List<Socket> sockets = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            threads.add(trickler(paths[i % paths.length], i % 5 == 0, running, sockets));
        }
        Thread.sleep(2_000);
        long slowest = 0;
        try {
            for (int i = 0; i < 40; i++) {
                long t = System.nanoTime();
                Client.Response r = i % 2 == 0 ? client.postJson(TestRequests.example()) : client.get("/readyz");
                long ms = (System.nanoTime() - t) / 1_000_000;
                assertTrue(r.status() == 200, r.body());
                slowest = Math.max(slowest, ms);
                assertTrue(ms < 1_000, "request " + i + " took " + ms + " ms beside 300 slow clients");
                Thread.sleep(250);
            }
        } finally {
            running.set(false);
            synchronized (sockets) {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
        System.out.printf(Locale.ROOT, "hostile: 300 slow clients: 40 other requests, slowest %d ms%n", slowest);
    }

    @Test
    void aBodyTrickledInIsCutOffWithAReasonAndFlaggersPathsTakeOnlySmallBodies() throws Exception {
        long started = System.nanoTime();
        try (Socket s = new Socket(served.uri().getHost(), served.uri().getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /judge HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100000\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            s.setSoTimeout(30_000);
            try {
                for (int i = 0; i < 5; i++) {
                    Thread.sleep(700);
                    out.write('[');
                    out.flush();
                }
            } catch (IOException e) {
                // The server has answered and closed: the answer is still there to read.
            }
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
            assertTrue(answer.contains("arrived slower than 1024 bytes a second"), answer);
            assertTrue(!RobustnessTest.LIBRARY_WORDS.matcher(answer).find(), answer);
        }
        System.out.printf(Locale.ROOT, "hostile: a 1 byte/s upload was cut off after %d ms%n", (System.nanoTime() - started) / 1_000_000);
        Client.Response big = client.postHeadOnly("/flagger/gate/checkout", 1 << 20);
        JudgeServerTest.assertProblem(big, 413, "body-too-large");
        assertTrue(big.body().contains("65536"), big.body());
    }

    /** More large requests than may wait: the rest are told at once to come back, and nothing is read. */
    @Test
    void beyondTheWaitingRoomRequestsAre503WithRetryAfter() throws Exception {
        ServeIT.Served small = ServeIT.serve(List.of("-Xmx256m"), Map.of(), "--port", "0");
        List<Socket> sockets = new ArrayList<>();
        try {
            int refused = 0;
            for (int i = 0; i < 1 + 64 + 6; i++) {
                Socket s = new Socket(small.uri().getHost(), small.uri().getPort());
                sockets.add(s);
                s.getOutputStream().write(("POST /judge HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 15000000\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
            }
            for (Socket s : sockets) {
                s.setSoTimeout(200);
                try {
                    byte[] head = s.getInputStream().readNBytes(400);
                    String answer = new String(head, StandardCharsets.ISO_8859_1);
                    if (answer.startsWith("HTTP/1.1 503 ")) {
                        assertTrue(answer.toLowerCase(Locale.ROOT).contains("retry-after: 5"), answer);
                        refused++;
                    }
                } catch (java.net.SocketTimeoutException e) {
                    // Admitted or waiting: it would be read once its turn comes.
                }
            }
            assertEquals(6, refused, "the 64 that may wait wait; the 6 beyond are refused");
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
            ServeIT.stop(small.process());
        }
    }

    @Test
    void residentMemoryStaysFlatUnderASteadyLoad() throws Exception {
        long seconds = Long.getLong("soak.seconds", 30);
        long pid = served.process().pid();
        byte[] large = millionPointBody(99);
        String typical = TestRequests.typical(3, TestRequests.Flavor.PROMOTE).toString();
        List<Long> rss = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int requests = 0;
        for (int i = 0; System.nanoTime() < end; i++) {
            Client.Response r = i % 50 == 0 ? client.post("/judge", large, Map.of("Content-Type", "application/json"))
                : client.postJson(typical);
            assertEquals(200, r.status(), r.body());
            requests++;
            if (i % 50 == 0) {
                rss.add(residentKb(pid));
            }
        }
        long warm = rss.get(Math.min(rss.size() - 1, rss.size() / 4));
        long last = rss.get(rss.size() - 1);
        long peak = rss.stream().mapToLong(Long::longValue).max().orElseThrow();
        System.out.printf(Locale.ROOT, "hostile: soak %d s, %d requests: RSS after warm-up %d MiB, last %d MiB, peak %d MiB%n",
            seconds, requests, warm >> 10, last >> 10, peak >> 10);
        assertTrue(last < warm * 1.25 + (32 << 10), "resident memory grew from " + warm + " kB to " + last + " kB");
    }

    static long residentKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }
}
