package org.canaryjudge.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger on a real SQLite file: stages, retention, the store URLs, and its cost per look. */
class RolloutStoreTest {

    @TempDir
    Path dir;

    static RolloutStore.Look look(Instant at, String stage, String verdict) {
        return new RolloutStore.Look(at, stage, "checkout", verdict, "because",
            List.of(new RolloutStore.MetricLook("errors", "pass", null, "fine", false, null, null)), null);
    }

    static RolloutStore.Look look(Instant at, String stage, int baselinePoints, int canaryPoints) {
        return new RolloutStore.Look(at, stage, null, "hold", "because",
            List.of(new RolloutStore.MetricLook("latency", "inconclusive", null, "too few", false, baselinePoints, canaryPoints)), null);
    }

    @Test
    void stagesStartWithTheFirstLookThatNamesThemAndComeBackAsNewStages() {
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        try (RolloutStore store = JdbcRolloutStore.sqlite(dir.resolve("a.db"))) {
            store.record("r", look(t, null, "hold"));
            store.record("r", look(t.plusSeconds(60), "5%", "hold"));
            store.record("r", look(t.plusSeconds(120), "25%", "promote"));
            RolloutStore.Position p = store.record("r", look(t.plusSeconds(180), "5%", "rollback"));
            assertEquals(new RolloutStore.Position("r", 4, "5%", 1, t, t.plusSeconds(180), null), p);
            RolloutStore.History h = store.rollout("r").orElseThrow();
            assertEquals(List.of(new RolloutStore.Stage(null, t, 1), new RolloutStore.Stage("5%", t.plusSeconds(60), 1),
                new RolloutStore.Stage("25%", t.plusSeconds(120), 1), new RolloutStore.Stage("5%", t.plusSeconds(180), 1)), h.stages());
            assertEquals("checkout", h.looks().get(0).configuration());
            assertEquals(t, store.standing("r").orElseThrow().startedAt());
            assertTrue(store.standing("s").isEmpty());
        }
    }

    @Test
    void theStandingGivesWhereTheCurrentStagesPointsBeginAndItsDecision() {
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        try (RolloutStore store = JdbcRolloutStore.sqlite(dir.resolve("d.db"))) {
            store.record("r", look(t, "5%", 10, 5));
            store.record("r", look(t.plusSeconds(60), null, 12, 6));
            RolloutStore.Standing first = store.standing("r").orElseThrow();
            assertEquals("5%", first.stage());
            assertEquals(1, first.stages());
            assertTrue(first.stagePoints().isEmpty());
            assertEquals(List.of(12, 6), List.of(first.lastPoints().get("latency")[0], first.lastPoints().get("latency")[1]));

            RolloutStore.Decision held = store.decide("r", "hold", "ana", "looking", t.plusSeconds(90)).orElseThrow();
            assertEquals(new RolloutStore.Decision("hold", "ana", t.plusSeconds(90), "5%", "looking"), held);
            assertEquals(held, store.standing("r").orElseThrow().decision());

            store.record("r", look(t.plusSeconds(120), "25%", 15, 9));
            store.record("r", look(t.plusSeconds(180), "25%", 20, 14));
            RolloutStore.Standing second = store.standing("r").orElseThrow();
            assertEquals(2, second.stages());
            assertEquals(t.plusSeconds(120), second.stageStartedAt());
            // The 25% stage's points begin where the 5% stage's last look ended.
            assertEquals(List.of(12, 6), List.of(second.stagePoints().get("latency")[0], second.stagePoints().get("latency")[1]));
            // A decision counts in the stage it was made in only.
            assertEquals(null, second.decision());
            RolloutStore.Decision approved = store.decide("r", "promote", "bo", null, t.plusSeconds(200)).orElseThrow();
            assertEquals(approved, store.standing("r").orElseThrow().decision());
            assertEquals(approved, store.rollouts(10).get(0).decision());
            assertEquals(List.of(held, approved), store.rollout("r").orElseThrow().decisions());
            assertTrue(store.decide("nobody", "promote", "bo", null, t).isEmpty());

            assertEquals(1, store.forget(t.plusSeconds(3600)));
            store.record("r", look(t.plusSeconds(4000), "5%", 1, 1));
            assertTrue(store.rollout("r").orElseThrow().decisions().isEmpty(), "a forgotten rollout's decisions are forgotten too");
        }
    }

    @Test
    void retentionForgetsOnlyRolloutsWithNoRecentLook() {
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        try (RolloutStore store = JdbcRolloutStore.sqlite(dir.resolve("b.db"))) {
            store.record("old", look(t, "5%", "hold"));
            store.record("kept", look(t, "5%", "hold"));
            store.record("kept", look(t.plusSeconds(7200), "5%", "promote"));
            assertEquals(2, store.active(t));
            assertEquals(1, store.active(t.plusSeconds(3600)));
            assertEquals(1, store.forget(t.plusSeconds(3600)));
            assertTrue(store.rollout("old").isEmpty());
            assertEquals(2, store.rollout("kept").orElseThrow().looks().size());
            // A forgotten rollout starts afresh.
            assertEquals(1, store.record("old", look(t.plusSeconds(9000), null, "hold")).look());
        }
    }

    @Test
    void storeUrls() {
        assertEquals(null, Stores.open("none"));
        for (String bad : List.of("jdbc:mysql://h/db", "sqlite:x.db", "jdbc:sqlite::memory:", "jdbc:sqlite:", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Stores.open(bad));
            assertTrue(e.getMessage().startsWith("--store"), e.getMessage());
        }
        try (RolloutStore s = Stores.open("jdbc:sqlite:" + dir.resolve("deep/er/c.db"))) {
            assertTrue(Files.exists(dir.resolve("deep/er/c.db")));
            assertEquals(1, s.record("x", look(Instant.now(), null, "hold")).look());
        }
        StoreException e = assertThrows(StoreException.class, () -> Stores.open("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2"));
        assertTrue(e.getMessage().startsWith("cannot open the rollout store jdbc:postgresql://127.0.0.1:1/none"), e.getMessage());
    }

    /** A short run of the benchmark of docs/performance.md, with a bound loose enough for a busy CI machine. */
    @Test
    void aLookCostsLittleOnSqliteAtOneHundredASecond() {
        try (RolloutStore store = JdbcRolloutStore.sqlite(dir.resolve("bench.db"))) {
            StoreLatency.measure(store, 100, 100, 20);
            StoreLatency.Figures f = StoreLatency.measure(store, 100, 500, 20);
            System.out.printf("RolloutStoreTest: 500 looks at 100/s, p50 %.3f ms, p99 %.3f ms%n", f.percentileMillis(0.5), f.percentileMillis(0.99));
            assertTrue(f.percentileMillis(0.99) < 50, "p99 " + f.percentileMillis(0.99) + " ms");
        }
    }
}
