package org.canaryjudge.model;

import java.util.List;
import java.util.Objects;

/**
 * The judge's answer to a request.
 *
 * @param id the request's identifier, or null
 * @param verdict promote, hold or rollback
 * @param reason why, in a sentence or two
 * @param score weighted percentage (0–100) of metrics whose outcome is {@code pass}
 * @param mode the mode the intervals were computed in
 * @param metrics one outcome per metric, in request order
 */
public record Judgement(String id, Verdict verdict, String reason, double score, Mode mode,
                        List<MetricOutcome> metrics) {

    public Judgement {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(mode, "mode");
        metrics = List.copyOf(metrics);
    }
}
