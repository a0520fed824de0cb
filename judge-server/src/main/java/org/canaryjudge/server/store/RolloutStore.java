package org.canaryjudge.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ledger of rollouts (docs/api.md, "Rollouts"): every answered look of a rollout, in the order the
 * looks came. {@link #record} returns only once the look is durable, so a look that got an answer is
 * never lost. Implementations are safe for concurrent use, also by several servers sharing one
 * database.
 */
public interface RolloutStore extends AutoCloseable {

    /**
     * One metric of a look as the ledger keeps it.
     *
     * @param effectJson the effect as the response writes it (JSON: scale, estimate, lower, upper,
     *     confidence), with the hold and rollback bands that are on its scale ({@code "hold"},
     *     {@code "rollback"}: {@code {"lower", "upper"}}, null for an unbounded end) beside them for
     *     the review page's charts; null when no effect was computed
     * @param baselinePoints for inline data the baseline's points, else null
     * @param canaryPoints for inline data the canary's points, else null
     */
    record MetricLook(String name, String outcome, String effectJson, String reason, boolean dryRun,
                      Integer baselinePoints, Integer canaryPoints) {
    }

    /**
     * One answered look.
     *
     * @param stage the stage the request named, or null to stay in the rollout's current stage
     * @param configuration the named configuration, or null
     * @param decision the person's decision that counted in the verdict, or null
     */
    record Look(Instant at, String stage, String configuration, String verdict, String reason, List<MetricLook> metrics,
                Decision decision) {
        public Look {
            metrics = List.copyOf(metrics);
        }
    }

    /**
     * Where a recorded look stands in its rollout: the response's {@code rollout} object.
     *
     * @param decision the person's decision that counted in this look, or null
     */
    record Position(String id, int look, String stage, int stageLook, Instant startedAt, Instant stageStartedAt,
                    Decision decision) {
    }

    /**
     * A rollout in the list, most recently updated first.
     *
     * @param decision the decision standing in the rollout's current stage, or null
     * @param reason the reason of its last look
     */
    record Summary(String id, String verdict, String stage, int looks, Instant startedAt, Instant updatedAt,
                   Decision decision, String reason) {
    }

    /**
     * A person's decision, made in a stage: it counts for that stage's later looks (docs/api.md,
     * "A person's decision").
     *
     * @param decision {@code promote}, {@code hold} or {@code rollback}
     * @param by the reviewer's name
     * @param stage the stage it was made in (null for a rollout whose looks name none)
     * @param comment what the reviewer wrote, or null
     */
    record Decision(String decision, String by, Instant at, String stage, String comment) {
    }

    /**
     * Where a rollout stands before its next look: what the ledger needs to judge that look.
     *
     * @param stage the current stage's name (null when the looks name none)
     * @param stages how many stages the rollout has had, the current one included
     * @param decision the decision standing in the current stage, or null
     * @param lastPoints per metric, the baseline's and canary's points of the last look (inline data)
     * @param stagePoints per metric, the points of the previous stage's last look: where the current
     *     stage's inline data begin (empty in the first stage)
     */
    record Standing(Instant startedAt, String stage, int stages, Instant stageStartedAt, String verdict, Decision decision,
                    Map<String, int[]> lastPoints, Map<String, int[]> stagePoints) {
        public Standing {
            lastPoints = Map.copyOf(lastPoints);
            stagePoints = Map.copyOf(stagePoints);
        }
    }

    /** One stage: the looks from the first that carried its name to the last before the next stage. */
    record Stage(String name, Instant startedAt, int looks) {
    }

    /** A recorded look, with the number it got. */
    record RecordedLook(int look, Instant at, String stage, int stageLook, String configuration, String verdict,
                        String reason, List<MetricLook> metrics) {
        public RecordedLook {
            metrics = List.copyOf(metrics);
        }
    }

    /** A rollout's whole history; its decisions in the order they were made. */
    record History(String id, Instant startedAt, List<Stage> stages, List<RecordedLook> looks, List<Decision> decisions) {
        public History {
            stages = List.copyOf(stages);
            looks = List.copyOf(looks);
            decisions = List.copyOf(decisions);
        }
    }

    /**
     * Records a look and returns once it is committed.
     *
     * @throws StoreException when it could not be recorded; the look must then not be answered
     */
    Position record(String id, Look look);

    /** @return where the rollout stands before its next look, if it is remembered */
    Optional<Standing> standing(String id);

    /**
     * Records a person's decision in the rollout's current stage and returns once it is committed.
     *
     * @return the recorded decision, or empty when the rollout is not remembered
     * @throws StoreException when it could not be recorded
     */
    Optional<Decision> decide(String id, String decision, String by, String comment, Instant at);

    /** @return at most {@code limit} rollouts, most recently updated first */
    List<Summary> rollouts(int limit);

    /** @return the rollout's history, if it is remembered */
    Optional<History> rollout(String id);

    /** @return how many rollouts had a look at or after {@code since} */
    int active(Instant since);

    /**
     * Forgets the rollouts whose last look was before {@code before} (the retention setting).
     *
     * @return how many were forgotten
     */
    int forget(Instant before);

    @Override
    void close();
}
