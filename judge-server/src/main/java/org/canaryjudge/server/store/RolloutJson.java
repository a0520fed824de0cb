package org.canaryjudge.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** The store's records as the contract's JSON (docs/api.md, "Rollouts"). */
public final class RolloutJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RolloutJson() {
    }

    /** @return the response's {@code rollout} object for a recorded look */
    public static ObjectNode position(RolloutStore.Position p) {
        return look(p.id(), p.look(), p.stage(), p.stageLook(), p.startedAt(), p.stageStartedAt(), p.decision());
    }

    /** @return the response's {@code rollout} object when the server keeps no store: only what the request said */
    public static ObjectNode unrecorded(RolloutField rollout) {
        return look(rollout.id(), null, rollout.stage(), null, null, null, null);
    }

    private static ObjectNode look(String id, Integer look, String stage, Integer stageLook, Instant startedAt, Instant stageStartedAt,
                                   RolloutStore.Decision decision) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id);
        n.put("look", look);
        n.put("stage", stage);
        n.put("stageLook", stageLook);
        n.put("startedAt", time(startedAt));
        n.put("stageStartedAt", time(stageStartedAt));
        n.set("decision", decision == null ? null : decision(decision));
        return n;
    }

    /** @return {@code GET /rollouts}' body */
    public static String list(List<RolloutStore.Summary> rollouts) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("rollouts");
        for (RolloutStore.Summary s : rollouts) {
            ObjectNode n = list.addObject();
            n.put("id", s.id());
            n.put("verdict", s.verdict());
            n.put("stage", s.stage());
            n.put("looks", s.looks());
            n.put("startedAt", time(s.startedAt()));
            n.put("updatedAt", time(s.updatedAt()));
            n.set("decision", s.decision() == null ? null : decision(s.decision()));
        }
        return root.toString();
    }

    /** @return {@code GET /rollouts/{id}}' body */
    public static String history(RolloutStore.History h) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", h.id());
        root.put("startedAt", time(h.startedAt()));
        ArrayNode stages = root.putArray("stages");
        for (RolloutStore.Stage s : h.stages()) {
            stages.addObject().put("name", s.name()).put("startedAt", time(s.startedAt())).put("looks", s.looks());
        }
        ArrayNode looks = root.putArray("looks");
        for (RolloutStore.RecordedLook l : h.looks()) {
            ObjectNode n = looks.addObject();
            n.put("look", l.look());
            n.put("at", time(l.at()));
            n.put("stage", l.stage());
            n.put("stageLook", l.stageLook());
            n.put("config", l.configuration());
            n.put("verdict", l.verdict());
            n.put("reason", l.reason());
            ArrayNode metrics = n.putArray("metrics");
            l.metrics().forEach(m -> metrics.add(metric(m)));
        }
        ArrayNode decisions = root.putArray("decisions");
        h.decisions().forEach(d -> decisions.add(decision(d)));
        return root.toString();
    }

    /** @return a person's decision as the contract shows it: {@code {"decision", "by", "at", "stage", "comment"}} */
    public static ObjectNode decision(RolloutStore.Decision d) {
        ObjectNode n = JSON.createObjectNode();
        n.put("decision", d.decision());
        n.put("by", d.by());
        n.put("at", time(d.at()));
        n.put("stage", d.stage());
        n.put("comment", d.comment());
        return n;
    }

    /** @return one metric of a look, as {@code GET /rollouts/{id}} shows it and the store keeps it */
    static ObjectNode metric(RolloutStore.MetricLook m) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", m.name());
        n.put("outcome", m.outcome());
        try {
            n.set("effect", m.effectJson() == null ? null : JSON.readTree(m.effectJson()));
        } catch (JsonProcessingException e) {
            throw new StoreException("a recorded effect is not JSON: " + e.getOriginalMessage(), e);
        }
        n.put("reason", m.reason());
        n.put("dryRun", m.dryRun());
        n.put("baselinePoints", m.baselinePoints());
        n.put("canaryPoints", m.canaryPoints());
        return n;
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
