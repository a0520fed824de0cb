package org.canaryjudge.server.kayenta;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.canaryjudge.model.Judgement;

/**
 * Kayenta's group scores and summary score for a judgement.
 *
 * <p>Muted results are left out of everything here, as Kayenta's scorer leaves them out. A group's
 * score is the percentage of its metric set pairs classified {@code Pass}; Nodata (no data, or
 * inconclusive), High, Low and Error all count against it. (Kayenta's own scorer leaves Nodata out of
 * the group, so a metric without evidence cannot lower the score; here it does, as sparse data are not
 * a pass.) The summary is the weighted mean of the group scores, rounded to two decimals as Kayenta
 * rounds it, and 0 — as in Kayenta — when any result is critical, or when half of the results or more
 * are Nodata (Kayenta counts only metrics without data; here inconclusive ones count too). It is then
 * classified against the score thresholds.
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
     * @param all the results, one per metric set pair, muted ones included
     * @param weights the weight of every group the results that are not muted belong to
     * @param thresholds the score thresholds
     * @param request the request, for the mode and level the reason names
     * @param judgement judge-core's judgement of the metrics that are not muted, for its verdict and
     *     reason; null when every metric is muted
     */
    static KayentaScore of(List<AnalysisResult> all, Map<String, Double> weights, ScoreThresholds thresholds,
                           KayentaRequest request, Judgement judgement) {
        List<AnalysisResult> results = all.stream().filter(r -> !r.pair().muted()).toList();
        String muted = all.stream().filter(r -> r.pair().muted()).map(r -> r.outcome().name()).collect(Collectors.joining(", "));
        if (results.isEmpty()) {
            return new KayentaScore(List.of(), 0, thresholds.classify(0),
                "Every metric is muted (" + muted + "), so nothing was scored: the score is 0.");
        }
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
        long nodata = results.stream().filter(r -> r.classification() == Classification.NODATA).count();
        boolean tooManyNodata = 2 * nodata >= results.size();
        String zero = "";
        if (!critical.isEmpty()) {
            zero = "Critical failure of " + String.join(", ", critical) + ": the score is 0. ";
        } else if (tooManyNodata) {
            zero = nodata + " of " + results.size() + " scored metrics are Nodata (no data or inconclusive), half or more:"
                + " the score is 0, as in Kayenta. ";
        }
        double score = zero.isEmpty() ? rounded(Math.min(100, weighted / total)) : 0;
        String reason = zero + "Canary Judge's verdict: " + judgement.verdict().name().toLowerCase(Locale.ROOT) + " ("
            + request.mode().name().toLowerCase(Locale.ROOT) + " mode, " + percent(request.confidence()) + " confidence). "
            + judgement.reason() + (muted.isEmpty() ? "" : " Muted, so not scored: " + muted + ".");
        return new KayentaScore(groups, score, thresholds.classify(score), reason);
    }

    /** Two decimals, half up, as Kayenta's scorer rounds its summary score. */
    static double rounded(double score) {
        return BigDecimal.valueOf(score).setScale(2, RoundingMode.HALF_UP).doubleValue();
    }

    private static String percent(double level) {
        return new BigDecimal(level * 100).round(new MathContext(4)).stripTrailingZeros().toPlainString() + " %";
    }
}
