package org.canaryjudge.server.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.sqlite.SQLiteConfig;

/**
 * What the store adds to a look: {@link RolloutStore#record} of a typical look (three metrics with
 * their effects and reasons, 60 points a side), paced at a fixed rate over a number of rollouts, on a
 * real SQLite file with the server's settings (WAL, synchronous=FULL). Each call is timed from
 * start to commit; the pacing keeps the rate the target's (a look late because the previous one was
 * slow is counted from when it was due, so queueing shows in the figures).
 *
 * <p>docs/performance.md, "The rollout store", runs it as
 * {@code java -cp … org.canaryjudge.server.store.StoreLatency 100 60 FOLDER [FULL|NORMAL]}.
 */
public final class StoreLatency {

    /** The latencies in nanoseconds, sorted. */
    record Figures(long[] nanos) {

        double percentileMillis(double p) {
            int i = (int) Math.min(nanos.length - 1, Math.ceil(p * nanos.length) - 1);
            return nanos[Math.max(0, i)] / 1e6;
        }
    }

    private StoreLatency() {
    }

    static RolloutStore.Look typicalLook(int n) {
        String effect = "{\"scale\":\"relative\",\"estimate\":0.0123,\"lower\":-0.021,\"upper\":0.043,\"confidence\":0.95}";
        List<RolloutStore.MetricLook> metrics = new ArrayList<>();
        for (String name : List.of("latency_p95_ms", "cpu_cores", "memory_mib")) {
            metrics.add(new RolloutStore.MetricLook(name, "pass", effect,
                "the canary's " + name + " is within the hold band: +1.2 % (95 % interval -2.1 % to +4.3 %, hold above +10 %)",
                false, 60, 60));
        }
        return new RolloutStore.Look(Instant.now(), n % 20 < 10 ? "5%" : "25%", null, "promote",
            "every metric passed", metrics, null);
    }

    /**
     * @param perSecond looks a second
     * @param looks how many
     * @param rollouts over how many rollouts, in turn
     */
    static Figures measure(RolloutStore store, int perSecond, int looks, int rollouts) {
        long[] nanos = new long[looks];
        long interval = 1_000_000_000L / perSecond;
        long start = System.nanoTime();
        for (int i = 0; i < looks; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            store.record("bench/rollout-" + (i % rollouts), typicalLook(i));
            nanos[i] = System.nanoTime() - due;
        }
        Arrays.sort(nanos);
        return new Figures(nanos);
    }

    public static void main(String[] args) throws Exception {
        int perSecond = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        Path folder = Path.of(args[2]);
        Files.createDirectories(folder);
        Path file = Files.createTempFile(folder, "bench-", ".db");
        Files.delete(file);
        SQLiteConfig.SynchronousMode sync = args.length > 3 ? SQLiteConfig.SynchronousMode.valueOf(args[3]) : SQLiteConfig.SynchronousMode.FULL;
        try (RolloutStore store = JdbcRolloutStore.sqlite(file, sync)) {
            measure(store, perSecond, perSecond * 2, 50); // warm-up
            Figures f = measure(store, perSecond, perSecond * seconds, 50);
            System.out.printf("%d looks at %d/s on %s, synchronous=%s: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms%n",
                f.nanos().length, perSecond, file, sync, f.percentileMillis(0.5), f.percentileMillis(0.9), f.percentileMillis(0.99),
                f.percentileMillis(0.999), f.nanos()[f.nanos().length - 1] / 1e6);
        } finally {
            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.deleteIfExists(Path.of(file + suffix));
            }
        }
    }
}
