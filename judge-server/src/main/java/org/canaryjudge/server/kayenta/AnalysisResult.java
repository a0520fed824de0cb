package org.canaryjudge.server.kayenta;

import java.util.Objects;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.MetricOutcome;
import org.canaryjudge.model.Outcome;

/**
 * One metric set pair's result, as Kayenta's {@code CanaryAnalysisResult} reports it.
 *
 * <p>{@code critical} — the result fails the whole analysis (score 0) unless it is muted — is never
 * more lenient than Kayenta's judge: a {@code rollback} (only a critical metric can reach one), and
 * no data on a critical metric, as in Kayenta; an {@code error} on a critical metric, where Kayenta's
 * judge would report a non-critical Error; and no data on a metric that must have data, where
 * Kayenta's judge fails only the metric ({@code NodataFailMetric}). A critical metric that is
 * merely inconclusive is not critical: its data exist but cannot decide yet (Kayenta's judge would
 * classify them Pass, High or Low), and it already counts against its group.
 *
 * @param pair the pair judged
 * @param metric what judge-core judged, with the pair's data after the nan strategy
 * @param outcome judge-core's outcome
 * @param classification Kayenta's classification of it
 * @param critical whether it fails the whole analysis
 * @param reason the plain-language reason, Kayenta's {@code classificationReason}
 */
record AnalysisResult(KayentaRequest.Pair pair, Metric metric, MetricOutcome outcome, Classification classification,
                      boolean critical, String reason) {

    AnalysisResult {
        Objects.requireNonNull(pair, "pair");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(classification, "classification");
        Objects.requireNonNull(reason, "reason");
    }

    /** @return the result of {@code metric}, which judge-core judged as {@code outcome} */
    static AnalysisResult of(KayentaRequest.Pair pair, Metric metric, MetricOutcome outcome) {
        Classification classification = Classification.of(outcome, metric.spec().direction());
        Outcome o = outcome.outcome();
        boolean missingRequired = o == Outcome.NODATA && pair.mustHaveData();
        boolean criticalUnjudged = pair.critical() && (o == Outcome.NODATA || o == Outcome.ERROR);
        boolean critical = o == Outcome.ROLLBACK || missingRequired || criticalUnjudged;
        String consequence = pair.muted() ? " (It is muted, so this does not count.)" : "";
        String reason = switch (o) {
            case INCONCLUSIVE -> "Inconclusive, so not a pass: " + outcome.reason();
            case NODATA -> "No data, so not a pass: " + outcome.reason()
                + (pair.critical() ? " The metric is critical, so the whole analysis fails." + consequence
                : missingRequired ? " The metric must have data (mustHaveData), so the whole analysis fails." + consequence : "");
            case ERROR -> outcome.reason()
                + (pair.critical() ? " The metric is critical and could not be judged, so the whole analysis fails." + consequence : "");
            case ROLLBACK -> outcome.reason() + " A critical failure: the whole analysis fails." + consequence;
            default -> outcome.reason();
        };
        return new AnalysisResult(pair, metric, outcome, classification, critical,
            pair.note() == null ? reason : pair.note() + " " + reason);
    }
}
