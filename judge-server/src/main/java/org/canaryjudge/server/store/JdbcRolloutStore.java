package org.canaryjudge.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The ledger in a SQL database: SQLite (one file, the default) or PostgreSQL (shared by several
 * replicas). The schema is Flyway's migrations under {@code store/migration}, portable SQL that
 * serves both. Looks of one rollout are numbered under the rollout row's lock (the
 * {@code UPDATE} that counts the look), so replicas sharing a database never give two looks one
 * number.
 */
public final class JdbcRolloutStore implements RolloutStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DECISION_COLUMNS = "decision, reviewer, at, stage, comment";

    private final HikariDataSource pool;
    private final String description;

    private JdbcRolloutStore(HikariDataSource pool, String description) {
        this.pool = pool;
        this.description = description;
        try {
            Flyway.configure().dataSource(pool).locations("classpath:org/canaryjudge/server/store/migration")
                .table("canary_judge_schema_history").load().migrate();
        } catch (FlywayException e) {
            pool.close();
            throw new StoreException("cannot prepare the rollout store " + description + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param path the SQLite file; its folder is created when missing
     * @return a store in that file, its schema migrated to this version's
     */
    public static JdbcRolloutStore sqlite(Path path) {
        return sqlite(path, SQLiteConfig.SynchronousMode.FULL);
    }

    /**
     * @param synchronous FULL (the server's): a commit is on disk, so it survives a power loss too;
     *     NORMAL: it survives a crash of the process but maybe not of the machine (the benchmark
     *     compares them)
     */
    static JdbcRolloutStore sqlite(Path path, SQLiteConfig.SynchronousMode synchronous) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new StoreException("cannot create the folder of the rollout store " + path + ": " + e.getMessage(), e);
        }
        SQLiteConfig sqlite = new SQLiteConfig();
        // WAL with full synchronisation: a commit is on disk before record() returns, readers do not
        // block the writer, and IMMEDIATE transactions take the write lock at once instead of failing
        // to upgrade a read lock under contention.
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(synchronous);
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        sqlite.setBusyTimeout(10_000);
        SQLiteDataSource source = new SQLiteDataSource(sqlite);
        source.setUrl("jdbc:sqlite:" + path);
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(source);
        hikari.setPoolName("canary-judge-sqlite");
        // One writer at a time is all SQLite allows; a few connections let reads run beside it.
        hikari.setMaximumPoolSize(4);
        hikari.setMinimumIdle(1);
        hikari.setAutoCommit(true);
        return new JdbcRolloutStore(open(hikari, path.toString()), "jdbc:sqlite:" + path);
    }

    /**
     * @param url a {@code jdbc:postgresql://HOST:PORT/DB} URL; credentials in it ({@code ?user=&password=})
     *     or given here
     * @param user the user, or null for the URL's (or the driver's default)
     * @param password the password, or null
     */
    public static JdbcRolloutStore postgresql(String url, String user, String password) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        hikari.setDriverClassName("org.postgresql.Driver");
        if (user != null) {
            hikari.setUsername(user);
        }
        if (password != null) {
            hikari.setPassword(password);
        }
        hikari.setPoolName("canary-judge-postgresql");
        hikari.setMaximumPoolSize(8);
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(10_000);
        String shown = url.replaceAll("(?i)password=[^&]*", "password=…");
        return new JdbcRolloutStore(open(hikari, shown), shown);
    }

    private static HikariDataSource open(HikariConfig hikari, String shown) {
        try {
            return new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new StoreException("cannot open the rollout store " + shown + ": " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? e.getMessage() : t.getMessage();
    }

    /** Work in one transaction: committed when it returns, rolled back when it throws. */
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T transaction(String what, Work<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    @Override
    public Position record(String id, Look look) {
        return transaction("record a look of " + id, c -> record(c, id, look, look.at().toEpochMilli()));
    }

    private Position record(Connection c, String id, Look look, long at) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO rollouts (id, started_at, updated_at, looks, stages, stage_looks)"
            + " VALUES (?, ?, ?, 0, 0, 0) ON CONFLICT (id) DO NOTHING")) {
            insert.setString(1, id);
            insert.setLong(2, at);
            insert.setLong(3, at);
            insert.executeUpdate();
        }
        // This UPDATE takes the rollout's row lock: the looks of one rollout are numbered one at a time.
        try (PreparedStatement count = c.prepareStatement("UPDATE rollouts SET looks = looks + 1, updated_at = ?, verdict = ? WHERE id = ?")) {
            count.setLong(1, at);
            count.setString(2, look.verdict());
            count.setString(3, id);
            count.executeUpdate();
        }
        Row row = row(c, id);
        int number = row.looks();
        long startedAt = row.startedAt();
        String stage = row.stage();
        int stages = row.stages();
        long stageStartedAt = row.stageStartedAt();
        int stageLooks = row.stageLooks();
        String lookStage = look.stage() == null ? stage : look.stage();
        if (stages == 0 || !Objects.equals(lookStage, stage)) {
            stages++;
            stageStartedAt = at;
            stageLooks = 1;
            try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO rollout_stages (rollout_id, seq, name, started_at, looks) VALUES (?, ?, ?, ?, 1)")) {
                s.setString(1, id);
                s.setInt(2, stages);
                string(s, 3, lookStage);
                s.setLong(4, at);
                s.executeUpdate();
            }
        } else {
            stageLooks++;
            try (PreparedStatement s = c.prepareStatement("UPDATE rollout_stages SET looks = looks + 1 WHERE rollout_id = ? AND seq = ?")) {
                s.setString(1, id);
                s.setInt(2, stages);
                s.executeUpdate();
            }
        }
        try (PreparedStatement u = c.prepareStatement(
            "UPDATE rollouts SET stage = ?, stages = ?, stage_started_at = ?, stage_looks = ? WHERE id = ?")) {
            string(u, 1, lookStage);
            u.setInt(2, stages);
            u.setLong(3, stageStartedAt);
            u.setInt(4, stageLooks);
            u.setString(5, id);
            u.executeUpdate();
        }
        try (PreparedStatement l = c.prepareStatement("INSERT INTO rollout_looks"
            + " (rollout_id, look, at, stage, stage_look, configuration, verdict, reason, metrics) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            l.setString(1, id);
            l.setInt(2, number);
            l.setLong(3, at);
            string(l, 4, lookStage);
            l.setInt(5, stageLooks);
            string(l, 6, look.configuration());
            l.setString(7, look.verdict());
            l.setString(8, look.reason());
            l.setString(9, metricsJson(look.metrics()));
            l.executeUpdate();
        }
        return new Position(id, number, lookStage, stageLooks, Instant.ofEpochMilli(startedAt), Instant.ofEpochMilli(stageStartedAt),
            look.decision());
    }

    @Override
    public Optional<Standing> standing(String id) {
        return transaction("read the rollout " + id, c -> {
            Row row = row(c, id);
            if (row == null) {
                return Optional.empty();
            }
            Map<String, int[]> last = points(lookMetrics(c, id, row.looks()));
            // The look before the current stage's first is the previous stage's last.
            Map<String, int[]> stageStart = row.stages() < 2 ? Map.of() : points(lookMetrics(c, id, row.looks() - row.stageLooks()));
            return Optional.of(new Standing(Instant.ofEpochMilli(row.startedAt()), row.stage(), row.stages(),
                Instant.ofEpochMilli(row.stageStartedAt()), row.verdict(), standingDecision(c, id, row.stages()), last, stageStart));
        });
    }

    /** A rollout's row: its counters and current stage. */
    private record Row(int looks, long startedAt, String stage, int stages, long stageStartedAt, int stageLooks, String verdict) {
    }

    /** @return the rollout's row, or null when it is not remembered */
    private static Row row(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
            "SELECT looks, started_at, stage, stages, stage_started_at, stage_looks, verdict FROM rollouts WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? new Row(r.getInt(1), r.getLong(2), r.getString(3), r.getInt(4), r.getLong(5), r.getInt(6),
                    r.getString(7)) : null;
            }
        }
    }

    private static List<MetricLook> lookMetrics(Connection c, String id, int look) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT metrics FROM rollout_looks WHERE rollout_id = ? AND look = ?")) {
            s.setString(1, id);
            s.setInt(2, look);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? metrics(r.getString(1)) : List.of();
            }
        }
    }

    private static Map<String, int[]> points(List<MetricLook> metrics) {
        Map<String, int[]> points = new HashMap<>();
        for (MetricLook m : metrics) {
            if (m.baselinePoints() != null && m.canaryPoints() != null) {
                points.put(m.name(), new int[] {m.baselinePoints(), m.canaryPoints()});
            }
        }
        return points;
    }

    /** @return the last decision made in stage {@code stageSeq}, or null */
    private static Decision standingDecision(Connection c, String id, int stageSeq) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + DECISION_COLUMNS + " FROM rollout_decisions"
            + " WHERE rollout_id = ? AND stage_seq = ? ORDER BY seq DESC LIMIT 1")) {
            s.setString(1, id);
            s.setInt(2, stageSeq);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? decision(r) : null;
            }
        }
    }

    private static Decision decision(ResultSet r) throws SQLException {
        return new Decision(r.getString(1), r.getString(2), Instant.ofEpochMilli(r.getLong(3)), r.getString(4), r.getString(5));
    }

    @Override
    public Optional<Decision> decide(String id, String decision, String by, String comment, Instant at) {
        return transaction("record a decision on " + id, c -> {
            // As with looks, the UPDATE takes the rollout's row lock, so decisions are numbered one at a time.
            try (PreparedStatement count = c.prepareStatement("UPDATE rollouts SET decisions = decisions + 1 WHERE id = ?")) {
                count.setString(1, id);
                if (count.executeUpdate() == 0) {
                    return Optional.empty();
                }
            }
            int seq;
            int stageSeq;
            String stage;
            try (PreparedStatement read = c.prepareStatement("SELECT decisions, stages, stage FROM rollouts WHERE id = ?")) {
                read.setString(1, id);
                try (ResultSet r = read.executeQuery()) {
                    r.next();
                    seq = r.getInt(1);
                    stageSeq = r.getInt(2);
                    stage = r.getString(3);
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO rollout_decisions"
                + " (rollout_id, seq, at, stage_seq, stage, decision, reviewer, comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, id);
                insert.setInt(2, seq);
                insert.setLong(3, at.toEpochMilli());
                insert.setInt(4, stageSeq);
                string(insert, 5, stage);
                insert.setString(6, decision);
                insert.setString(7, by);
                string(insert, 8, comment);
                insert.executeUpdate();
            }
            return Optional.of(new Decision(decision, by, Instant.ofEpochMilli(at.toEpochMilli()), stage, comment));
        });
    }

    @Override
    public List<Summary> rollouts(int limit) {
        try (Connection c = pool.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT r.id, r.verdict, r.stage, r.looks, r.started_at, r.updated_at,"
                 + " d.decision, d.reviewer, d.at, d.stage, d.comment, l.reason FROM rollouts r"
                 + " LEFT JOIN rollout_looks l ON l.rollout_id = r.id AND l.look = r.looks LEFT JOIN rollout_decisions d"
                 + " ON d.rollout_id = r.id AND d.seq = (SELECT MAX(seq) FROM rollout_decisions"
                 + " WHERE rollout_id = r.id AND stage_seq = r.stages)"
                 + " ORDER BY r.updated_at DESC, r.id LIMIT ?")) {
            s.setInt(1, limit);
            List<Summary> list = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Decision standing = r.getString(7) == null ? null : new Decision(r.getString(7), r.getString(8),
                        Instant.ofEpochMilli(r.getLong(9)), r.getString(10), r.getString(11));
                    list.add(new Summary(r.getString(1), r.getString(2), r.getString(3), r.getInt(4),
                        Instant.ofEpochMilli(r.getLong(5)), Instant.ofEpochMilli(r.getLong(6)), standing, r.getString(12)));
                }
            }
            return list;
        } catch (SQLException e) {
            throw failure("list the rollouts", e);
        }
    }

    @Override
    public Optional<History> rollout(String id) {
        // One transaction for the rollout, its stages and its looks, however many replicas write meanwhile.
        return transaction("read the rollout " + id, c -> history(c, id));
    }

    private Optional<History> history(Connection c, String id) throws SQLException {
        Instant startedAt;
        try (PreparedStatement s = c.prepareStatement("SELECT started_at FROM rollouts WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                startedAt = Instant.ofEpochMilli(r.getLong(1));
            }
        }
        List<Stage> stages = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT name, started_at, looks FROM rollout_stages WHERE rollout_id = ? ORDER BY seq")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    stages.add(new Stage(r.getString(1), Instant.ofEpochMilli(r.getLong(2)), r.getInt(3)));
                }
            }
        }
        List<RecordedLook> looks = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT look, at, stage, stage_look, configuration, verdict, reason, metrics"
            + " FROM rollout_looks WHERE rollout_id = ? ORDER BY look")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    looks.add(new RecordedLook(r.getInt(1), Instant.ofEpochMilli(r.getLong(2)), r.getString(3), r.getInt(4),
                        r.getString(5), r.getString(6), r.getString(7), metrics(r.getString(8))));
                }
            }
        }
        List<Decision> decisions = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT " + DECISION_COLUMNS + " FROM rollout_decisions WHERE rollout_id = ? ORDER BY seq")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    decisions.add(decision(r));
                }
            }
        }
        return Optional.of(new History(id, startedAt, stages, looks, decisions));
    }

    @Override
    public int active(Instant since) {
        try (Connection c = pool.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM rollouts WHERE updated_at >= ?")) {
            s.setLong(1, since.toEpochMilli());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        } catch (SQLException e) {
            throw failure("count the active rollouts", e);
        }
    }

    @Override
    public int forget(Instant before) {
        long cutoff = before.toEpochMilli();
        String old = "SELECT id FROM rollouts WHERE updated_at < ?";
        return transaction("forget old rollouts", c -> {
            for (String table : List.of("rollout_looks", "rollout_stages", "rollout_decisions")) {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE rollout_id IN (" + old + ")")) {
                    s.setLong(1, cutoff);
                    s.executeUpdate();
                }
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM rollouts WHERE updated_at < ?")) {
                s.setLong(1, cutoff);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return description;
    }

    private StoreException failure(String what, SQLException e) {
        return new StoreException("the rollout store " + description + " could not " + what + ": " + e.getMessage(), e);
    }

    private static void string(PreparedStatement s, int index, String value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.VARCHAR);
        } else {
            s.setString(index, value);
        }
    }

    private static String metricsJson(List<MetricLook> metrics) {
        ArrayNode list = JSON.createArrayNode();
        metrics.forEach(m -> list.add(RolloutJson.metric(m)));
        return list.toString();
    }

    private static List<MetricLook> metrics(String json) {
        List<MetricLook> metrics = new ArrayList<>();
        try {
            for (JsonNode n : JSON.readTree(json)) {
                JsonNode effect = n.path("effect");
                metrics.add(new MetricLook(n.path("name").asText(), n.path("outcome").asText(),
                    effect.isObject() ? effect.toString() : null, n.path("reason").asText(), n.path("dryRun").asBoolean(),
                    n.path("baselinePoints").isInt() ? n.get("baselinePoints").intValue() : null,
                    n.path("canaryPoints").isInt() ? n.get("canaryPoints").intValue() : null));
            }
        } catch (JsonProcessingException e) {
            throw new StoreException("a recorded look's metrics are not JSON: " + e.getOriginalMessage(), e);
        }
        return metrics;
    }
}
