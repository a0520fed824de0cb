package org.canaryjudge.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The judge's answer to a request.
 *
 * @param id the request's identifier, or null
 * @param verdict promote, hold or rollback
 * @param reason why, in a sentence or two
 * @param score weighted percentage (0–100) of metrics whose outcome is {@code pass}
 * @param mode the mode the intervals were computed in
 * @param metrics one outcome per metric, in request order
 * @param traffic the traffic-split check, or null when the request asked for none
 */
public record Judgement(String id, Verdict verdict, String reason, double score, Mode mode,
                        List<MetricOutcome> metrics, TrafficCheck traffic) {

    public Judgement {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(mode, "mode");
        metrics = List.copyOf(metrics);
    }

    /** A judgement without a traffic check. */
    public Judgement(String id, Verdict verdict, String reason, double score, Mode mode, List<MetricOutcome> metrics) {
        this(id, verdict, reason, score, mode, metrics, null);
    }

    /** @return the traffic-split check, when the request asked for one */
    public Optional<TrafficCheck> trafficCheck() {
        return Optional.ofNullable(traffic);
    }
}
