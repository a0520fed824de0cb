package org.canaryjudge.server.kayenta;

import static org.canaryjudge.server.json.JudgementWriter.number;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import org.canaryjudge.model.MetricData;
import org.canaryjudge.server.json.JudgementWriter;

/**
 * Writes Kayenta's {@code CanaryJudgeResult}: {@code judgeName}, {@code results} (one
 * {@code CanaryAnalysisResult} per metric set pair), {@code groupScores} and {@code score}. Only
 * fields Kayenta's classes have are written, so that any Kayenta version reads the answer.
 *
 * <p>Where Kayenta's judge writes a field, it is written as Kayenta writes it, so that a reader of
 * Kayenta's results reads ours alike: {@code muted} on every result; {@code stats} with Kayenta's
 * keys — {@code count}, {@code mean}, {@code min}, {@code std} (the sample standard deviation) and
 * {@code max} of the points after the nan strategy, each 0 for a side without points, as Kayenta
 * writes them; and {@code resultMetadata.ratio}, Kayenta's mean ratio (the canary's mean over the
 * baseline's; 1.0 when a side has no points; {@code null} where Kayenta's would be NaN, a mean of 0).
 * {@code resultMetadata.canaryJudge} is the metric exactly as {@code POST /judge} reports it, with the
 * outcome, estimate, interval and bands behind the classification. Other numbers that are not finite
 * are written as {@code null}.
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
        double[] canary = observed(r, false);
        double[] baseline = observed(r, true);
        n.putObject("experimentMetadata").set("stats", stats(canary));
        n.putObject("controlMetadata").set("stats", stats(baseline));
        ObjectNode meta = n.putObject("resultMetadata");
        number(meta, "ratio", meanRatio(baseline, canary));
        meta.set("canaryJudge", metrics.metric(r.outcome()));
        n.put("critical", r.critical());
        n.put("muted", r.pair().muted());
        return n;
    }

    private static double[] observed(AnalysisResult r, boolean baseline) {
        MetricData.Continuous data = (MetricData.Continuous) r.metric().data();
        return (baseline ? data.baseline() : data.canary()).observed();
    }

    /** Kayenta's judge's statistics of one side's points: 0 for each when there are none. */
    private ObjectNode stats(double[] points) {
        ObjectNode stats = mapper.createObjectNode();
        int count = points.length;
        double mean = mean(points);
        double squares = 0;
        for (double v : points) {
            squares += (v - mean) * (v - mean);
        }
        stats.put("count", count);
        number(stats, "mean", mean);
        number(stats, "min", count == 0 ? 0 : Arrays.stream(points).min().getAsDouble());
        number(stats, "std", count < 2 ? 0 : Math.sqrt(squares / (count - 1)));
        number(stats, "max", count == 0 ? 0 : Arrays.stream(points).max().getAsDouble());
        return stats;
    }

    /** Kayenta's deviation: the canary's mean over the baseline's; 1 without points, NaN for a mean of 0. */
    static double meanRatio(double[] baseline, double[] canary) {
        if (baseline.length == 0 || canary.length == 0) {
            return 1.0;
        }
        double b = mean(baseline);
        double c = mean(canary);
        return b == 0 || c == 0 ? Double.NaN : c / b;
    }

    private static double mean(double[] points) {
        return points.length == 0 ? 0 : Arrays.stream(points).sum() / points.length;
    }
}
