package org.canaryjudge.server.kayenta;

import static org.canaryjudge.server.json.JudgementWriter.number;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;
import org.canaryjudge.model.Effect;
import org.canaryjudge.model.EffectScale;
import org.canaryjudge.model.SampleSummary;
import org.canaryjudge.model.SideSummary;
import org.canaryjudge.server.json.JudgementWriter;

/**
 * Writes Kayenta's {@code CanaryJudgeResult}: {@code judgeName}, {@code results} (one
 * {@code CanaryAnalysisResult} per metric set pair), {@code groupScores} and {@code score}. Only
 * fields Kayenta's classes have are written, so that any Kayenta version reads the answer.
 *
 * <p>Each result's {@code resultMetadata} holds {@code ratio} (canary / baseline, Canary Judge's
 * estimate, where Kayenta's judge puts its effect size) and {@code canaryJudge}: the metric exactly as
 * {@code POST /judge} reports it, with the outcome, interval and bands behind the classification.
 * The metadata's {@code stats} hold the observed points' count, mean and median. Numbers that are not
 * finite are written as {@code null}.
 */
final class KayentaResultWriter {

    /** The judge's name in the result. */
    static final String JUDGE_NAME = "CanaryJudge-v1.0";

    private final ObjectMapper mapper = new ObjectMapper();
    private final JudgementWriter metrics = new JudgementWriter(false);

    /** @return the response body */
    String write(List<AnalysisResult> results, KayentaScore score) {
        ObjectNode root = mapper.createObjectNode();
        root.put("judgeName", JUDGE_NAME);
        ArrayNode list = root.putArray("results");
        results.forEach(r -> list.add(result(r)));
        ArrayNode groups = root.putArray("groupScores");
        for (KayentaScore.GroupScore g : score.groups()) {
            ObjectNode group = groups.addObject().put("name", g.name());
            number(group, "score", g.score());
            group.put("classification", g.classification()).put("classificationReason", g.reason());
        }
        ObjectNode summary = root.putObject("score");
        number(summary, "score", score.score());
        summary.put("classification", score.classification()).put("classificationReason", score.reason());
        try {
            return mapper.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ObjectNode result(AnalysisResult r) {
        ObjectNode n = mapper.createObjectNode();
        n.put("name", r.pair().name());
        if (r.pair().id() != null) {
            n.put("id", r.pair().id());
        }
        ObjectNode tags = n.putObject("tags");
        r.pair().tags().forEach(tags::put);
        n.put("classification", r.classification().label());
        n.put("classificationReason", r.reason());
        ArrayNode groups = n.putArray("groups");
        r.pair().groups().forEach(groups::add);
        n.putObject("experimentMetadata").set("stats", stats(r.outcome().canary()));
        n.putObject("controlMetadata").set("stats", stats(r.outcome().baseline()));
        ObjectNode meta = n.putObject("resultMetadata");
        r.outcome().effects().stream().filter(e -> e.scale() == EffectScale.RELATIVE).findFirst()
            .map(Effect::estimate).ifPresent(e -> number(meta, "ratio", 1 + e));
        meta.set("canaryJudge", metrics.metric(r.outcome()));
        n.put("critical", r.critical());
        return n;
    }

    private ObjectNode stats(SideSummary side) {
        ObjectNode stats = mapper.createObjectNode();
        if (side instanceof SampleSummary s) {
            stats.put("count", s.n());
            number(stats, "mean", s.mean());
            number(stats, "median", s.median());
        }
        return stats;
    }
}
