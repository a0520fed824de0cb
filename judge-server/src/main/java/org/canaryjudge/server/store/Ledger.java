package org.canaryjudge.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.canaryjudge.model.InvalidInputException;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.model.MetricOutcome;
import org.canaryjudge.model.StageStart;
import org.canaryjudge.model.Verdict;
import org.canaryjudge.model.Violation;
import org.canaryjudge.server.json.JudgementWriter;
import org.canaryjudge.server.json.NumberArray;
import org.canaryjudge.server.judging.JsonJudge;
import org.canaryjudge.server.judging.StageWindow;

/**
 * {@code POST /judge} with rollouts: takes the request's {@code rollout} field out, judges the rest
 * (live data starting at the rollout's first look; from its second stage on, each metric also on
 * the current stage's own data), applies the decision a person made in the stage, records the look,
 * and only then writes the answer with its {@code rollout} object. Without a store the field is
 * still checked and echoed.
 */
public final class Ledger {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonJudge judge;
    private final JudgementWriter writer;
    private final RolloutStore store;
    private final Clock clock;

    /**
     * @param store where looks are recorded, or null to keep nothing
     */
    public Ledger(JsonJudge judge, JudgementWriter writer, RolloutStore store, Clock clock) {
        this.judge = judge;
        this.writer = writer;
        this.store = store;
        this.clock = clock;
    }

    /**
     * A judged and (with a store and a rollout) recorded look.
     *
     * @param configuration the named configuration, or null
     * @param position where the look stands in its rollout, or null when it was not recorded
     */
    public record Result(Judgement judgement, String body, String configuration, Position position) {
    }

    /** The recorded look's place, for the server's metrics. */
    public record Position(String id, String stage, boolean firstOfRollout) {
    }

    /**
     * @throws InvalidInputException with every problem of the request, the rollout field's among them
     * @throws StoreException when the look could not be recorded (it must then not be answered)
     */
    public Result judge(byte[] body) {
        return judge(judge.parse(body));
    }

    /**
     * As {@link #judge(byte[])}, for a request an adapter made (Flagger's webhooks).
     *
     * @param root the request (changed: the rollout and live-data fields are taken out)
     */
    public Result judge(ObjectNode root) {
        List<Violation> problems = new ArrayList<>();
        RolloutField rollout = RolloutField.take(root, problems);
        JsonNode config = root.get("config");
        String configuration = config != null && config.isTextual() ? config.textValue() : null;
        Set<String> dry = DryRun.take(root, problems);
        ObjectNode counted = dry.isEmpty() ? null : DryRun.counted(root, dry);
        Map<String, int[]> points = inlinePoints(root);
        RolloutStore.Standing standing = rollout == null || store == null ? null : store.standing(rollout.id()).orElse(null);
        Instant start = standing == null ? null : standing.startedAt();
        boolean sameStage = standing != null && (rollout.stage() == null || rollout.stage().equals(standing.stage()));
        StageWindow stage = stageWindow(standing, sameStage, rollout, points.isEmpty());
        Judgement judgement = null;
        try {
            judgement = judge.judge(root, start, stage);
        } catch (InvalidInputException e) {
            problems.addAll(e.violations());
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        if (counted != null) {
            judgement = DryRun.merge(judgement, judge.judge(counted, start, stage));
        }
        if (standing != null && !sameStage && judgement.verdict() == Verdict.PROMOTE) {
            judgement = heldAtStageStart(judgement, rollout.stage());
        }
        RolloutStore.Decision decision = sameStage ? standing.decision() : null;
        if (decision != null) {
            judgement = DecisionEffect.apply(judgement, decision);
        }
        if (rollout == null) {
            return new Result(judgement, write(judgement, null, dry), configuration, null);
        }
        if (store == null) {
            return new Result(judgement, write(judgement, RolloutJson.unrecorded(rollout), dry), configuration, null);
        }
        List<RolloutStore.MetricLook> metrics = new ArrayList<>();
        for (MetricOutcome o : judgement.metrics()) {
            JsonNode effect = effectWithBands(writer.metric(o), o);
            int[] p = points.get(o.name());
            metrics.add(new RolloutStore.MetricLook(o.name(), name(o.outcome()),
                effect == null ? null : effect.toString(), o.reason(), dry.contains(o.name()),
                p == null ? null : p[0], p == null ? null : p[1]));
        }
        RolloutStore.Position p = store.record(rollout.id(), new RolloutStore.Look(clock.instant(), rollout.stage(), configuration,
            name(judgement.verdict()), judgement.reason(), metrics, decision));
        return new Result(judgement, write(judgement, RolloutJson.position(p), dry), configuration,
            new Position(p.id(), p.stage(), p.look() == 1));
    }

    /**
     * The first look of a new stage never promotes: its data were gathered, all or in part, before
     * the rollout widened, so they cannot speak for the new stage.
     */
    private static Judgement heldAtStageStart(Judgement evidence, String stage) {
        return new Judgement(evidence.id(), Verdict.HOLD, "This look starts stage " + stage + ", and the first look of a stage"
            + " never promotes: its data were gathered before or while the rollout widened. The next look of the stage"
            + " decides on its own data; the evidence so far says promote: " + evidence.reason(), evidence.score(), evidence.mode(),
            evidence.metrics(), evidence.traffic());
    }

    /**
     * @return the current stage's window from the ledger, or null in the rollout's first stage: a
     *     look that starts a new stage begins it (live data from now, inline data from the points
     *     the last look had); a later look of a stage sees it from the stage's first look
     */
    private StageWindow stageWindow(RolloutStore.Standing standing, boolean sameStage, RolloutField rollout, boolean live) {
        if (standing == null || sameStage && standing.stages() < 2) {
            return null;
        }
        String name = sameStage ? standing.stage() : rollout.stage();
        if (live) {
            return StageWindow.since(name, sameStage ? standing.stageStartedAt() : clock.instant());
        }
        Map<String, StageStart> starts = new HashMap<>();
        (sameStage ? standing.stagePoints() : standing.lastPoints()).forEach((metric, p) -> starts.put(metric, new StageStart(p[0], p[1])));
        return StageWindow.ofPoints(name, starts);
    }

    /**
     * @param written the metric as the response writes it
     * @return its effect with, beside it, the bands on the effect's scale (what the review page
     *     charts look by look), or null without an effect: the hold band is on the first effect's
     *     scale and the rollback band on the last one's ({@link MetricOutcome#effects()})
     */
    static ObjectNode effectWithBands(ObjectNode written, MetricOutcome o) {
        JsonNode effect = written.get("effect");
        if (effect == null || !effect.isObject()) {
            return null;
        }
        ObjectNode charted = effect.deepCopy();
        JsonNode bands = written.path("bands");
        if (bands.has("hold")) {
            charted.set("hold", bands.get("hold"));
        }
        if (bands.has("rollback") && o.effects().size() == 1) {
            charted.set("rollback", bands.get("rollback"));
        }
        return charted;
    }

    private String write(Judgement judgement, ObjectNode rollout, Set<String> dry) {
        String body = writer.write(judgement, rollout);
        if (dry.isEmpty()) {
            return body;
        }
        try {
            ObjectNode response = (ObjectNode) JSON.readTree(body);
            DryRun.mark(response, dry);
            return JSON.writeValueAsString(response);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the judgement's own JSON did not parse", e);
        }
    }

    /**
     * @return for each metric sent with inline data, its baseline's and canary's points: a series'
     *     values, or the intervals of a rate's counts
     */
    static Map<String, int[]> inlinePoints(ObjectNode root) {
        Map<String, int[]> points = new HashMap<>();
        for (JsonNode m : root.path("metrics")) {
            if (m.path("name").isTextual() && m.has("baseline") && m.has("canary")) {
                points.put(m.get("name").textValue(), new int[] {points(m.get("baseline")), points(m.get("canary"))});
            }
        }
        return points;
    }

    private static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static int points(JsonNode side) {
        NumberArray numbers = NumberArray.of(side);
        if (numbers != null) {
            return numbers.size();
        }
        if (side.isArray()) {
            return side.size();
        }
        for (JsonNode field : side) {
            if (NumberArray.of(field) != null || field.isArray()) {
                return points(field);
            }
        }
        return 0;
    }
}
