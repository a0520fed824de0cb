package org.canaryjudge.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Request bodies for the server's tests, and for judge-benchmarks' ServerPathBenchmark through the test jar. */
public final class TestRequests {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    /** What a {@link #typical} request is built to get. */
    public enum Flavor { PROMOTE, HOLD, ROLLBACK }

    private TestRequests() {
    }

    /** @return the README's worked example (fixed mode, verdict hold) */
    public static String example() {
        try {
            return Files.readString(Path.of("..", "examples", "request.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A typical rollout look: three continuous metrics, 60 baseline and 60 canary points each,
     * fixed mode. PROMOTE: the canary is like the baseline; HOLD: latency is 25 % higher (beyond the
     * 10 % hold band, inside the 50 % rollback band); ROLLBACK: latency has doubled.
     */
    public static ObjectNode typical(long seed, Flavor flavor) {
        Random random = new Random(seed);
        ObjectNode root = MAPPER.createObjectNode();
        root.put("id", "look-" + seed);
        root.put("mode", "fixed");
        root.put("confidence", 0.95);
        ArrayNode metrics = root.putArray("metrics");
        double latencyShift = switch (flavor) {
            case PROMOTE -> 1.0;
            case HOLD -> 1.25;
            case ROLLBACK -> 2.0;
        };
        metric(metrics, "latency_p95_ms", 120, 2.0, latencyShift, random, "relative", 0.10, "relative", 0.50);
        metric(metrics, "cpu_cores", 2.0, 0.03, 1.0, random, "relative", 0.10, "ratio", 2.0);
        metric(metrics, "memory_mb", 512, 5, 1.0, random, "relative", 0.20, "relative", 1.0);
        return root;
    }

    private static void metric(ArrayNode metrics, String name, double level, double sd, double canaryFactor, Random random,
                               String holdKind, double hold, String rollbackKind, double rollback) {
        ObjectNode m = metrics.addObject();
        m.put("name", name);
        m.put("direction", "increase");
        m.putObject("hold").put(holdKind, hold);
        m.putObject("rollback").put(rollbackKind, rollback);
        m.put("correlation", "ignore");
        ArrayNode baseline = m.putArray("baseline");
        ArrayNode canary = m.putArray("canary");
        for (int i = 0; i < 60; i++) {
            baseline.add(round(level + sd * random.nextGaussian()));
            canary.add(round(level * canaryFactor + sd * random.nextGaussian()));
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
