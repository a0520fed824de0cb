package org.canaryjudge.server.kayenta;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.model.JudgeRequest;

/**
 * Kayenta's group scores and summary score for a judgement.
 *
 * <p>A group's score is the percentage of its metric set pairs classified {@code Pass}; Nodata
 * (no data, or inconclusive), High, Low and Error all count against it. (Kayenta's own scorer leaves
 * Nodata out of the group, so a metric without evidence cannot lower the score; here it does, as
 * sparse data are not a pass.) The summary is the weighted mean of the group scores, and 0 when any
 * result is a critical failure, as in Kayenta. It is then classified against the score thresholds.
 *
 * @param groups one score per group, in order of first appearance
 * @param score the summary score
 * @param classification "Pass", "Marginal" or "Fail"
 * @param reason why, with Canary Judge's own verdict and reasons
 */
record KayentaScore(List<GroupScore> groups, double score, String classification, String reason) {

    KayentaScore {
        groups = List.copyOf(groups);
    }

    /**
     * @param name the group's name
     * @param score the percentage of its metric set pairs classified Pass
     * @param classification the score against the thresholds: "Pass", "Marginal" or "Fail"
     * @param reason how many passed and which did not
     */
    record GroupScore(String name, double score, String classification, String reason) {
    }

    /**
     * @param results the results, one per metric set pair
     * @param weights the weight of every group the results belong to
     * @param thresholds the score thresholds
     * @param request what judge-core judged, for the mode and level the reason names
     * @param judgement judge-core's judgement, for its verdict and reason
     */
    static KayentaScore of(List<AnalysisResult> results, Map<String, Double> weights, ScoreThresholds thresholds,
                           JudgeRequest request, Judgement judgement) {
        List<GroupScore> groups = new ArrayList<>();
        double weighted = 0;
        double total = 0;
        for (Map.Entry<String, Double> group : weights.entrySet()) {
            List<AnalysisResult> members = results.stream().filter(r -> r.pair().groups().contains(group.getKey())).toList();
            List<AnalysisResult> failing = members.stream().filter(r -> r.classification() != Classification.PASS).toList();
            int passed = members.size() - failing.size();
            double score = 100.0 * passed / members.size();
            String reason = passed + " of " + members.size() + (members.size() == 1 ? " metric" : " metrics") + " shown to pass"
                + (failing.isEmpty() ? "." : "; not passing: " + failing.stream()
                .map(r -> r.outcome().name() + " (" + r.classification().label() + ")").collect(Collectors.joining(", ")) + ".");
            groups.add(new GroupScore(group.getKey(), score, thresholds.classify(score), reason));
            weighted += group.getValue() * score;
            total += group.getValue();
        }
        List<String> critical = results.stream().filter(AnalysisResult::critical).map(r -> r.outcome().name()).toList();
        double score = critical.isEmpty() ? Math.min(100, weighted / total) : 0;
        String reason = (critical.isEmpty() ? "" : "Critical failure of " + String.join(", ", critical) + ": the score is 0. ")
            + "Canary Judge's verdict: " + judgement.verdict().name().toLowerCase(Locale.ROOT) + " ("
            + request.mode().name().toLowerCase(Locale.ROOT) + " mode, " + percent(request.confidence()) + " confidence). "
            + judgement.reason();
        return new KayentaScore(groups, score, thresholds.classify(score), reason);
    }

    private static String percent(double level) {
        return new BigDecimal(level * 100).round(new MathContext(4)).stripTrailingZeros().toPlainString() + " %";
    }
}
