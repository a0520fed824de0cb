package org.canaryjudge.server.kayenta;

import java.util.Objects;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.MetricOutcome;
import org.canaryjudge.model.Outcome;

/**
 * One metric set pair's result, as Kayenta's {@code CanaryAnalysisResult} reports it.
 *
 * @param pair the pair judged
 * @param outcome judge-core's outcome
 * @param classification Kayenta's classification of it
 * @param critical whether it fails the whole analysis: a {@code rollback} outcome (only a critical
 *     metric can reach one), or no data on a metric that must have data
 * @param reason the plain-language reason, Kayenta's {@code classificationReason}
 */
record AnalysisResult(KayentaRequest.Pair pair, MetricOutcome outcome, Classification classification, boolean critical,
                      String reason) {

    AnalysisResult {
        Objects.requireNonNull(pair, "pair");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(classification, "classification");
        Objects.requireNonNull(reason, "reason");
    }

    /** @return the result of {@code metric}, which judge-core judged as {@code outcome} */
    static AnalysisResult of(KayentaRequest.Pair pair, Metric metric, MetricOutcome outcome) {
        Classification classification = Classification.of(outcome, metric.spec().direction());
        boolean critical = outcome.outcome() == Outcome.ROLLBACK
            || outcome.outcome() == Outcome.NODATA && pair.mustHaveData();
        String reason = switch (outcome.outcome()) {
            case INCONCLUSIVE -> "Inconclusive, so not a pass: " + outcome.reason();
            case NODATA -> "No data, so not a pass: " + outcome.reason()
                + (pair.mustHaveData() ? " The metric must have data (mustHaveData), so the whole analysis fails." : "");
            case ROLLBACK -> outcome.reason() + " A critical failure: the whole analysis fails.";
            default -> outcome.reason();
        };
        return new AnalysisResult(pair, outcome, classification, critical, reason);
    }
}
