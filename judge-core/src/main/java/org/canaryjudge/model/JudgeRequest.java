package org.canaryjudge.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything needed for one judgement.
 *
 * @param id caller's identifier, echoed back; may be null
 * @param mode how intervals treat repeated looks
 * @param confidence the two-sided level for metrics that do not set their own
 * @param metrics the metrics, with unique names
 * @param stage the rollout's current stage, whose window each metric is also judged on; null for none
 * @param traffic the intended traffic split, checked against a rate metric's request counts; null for none
 */
public record JudgeRequest(String id, Mode mode, double confidence, List<Metric> metrics, Stage stage,
                           TrafficSplit traffic) {

    /**
     * @throws InvalidInputException when there are no metrics, names repeat or the level is invalid
     */
    public JudgeRequest {
        Objects.requireNonNull(mode, "mode");
        metrics = List.copyOf(metrics);
        List<Violation> violations = new ArrayList<>();
        if (!Confidence.isValid(confidence)) {
            violations.add(new Violation("confidence", Confidence.RANGE_MESSAGE + ", got " + confidence));
        }
        if (metrics.isEmpty()) {
            violations.add(new Violation("metrics", "needs at least one metric"));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < metrics.size(); i++) {
            if (!names.add(metrics.get(i).name())) {
                violations.add(new Violation("metrics/" + i + "/name",
                    "'" + metrics.get(i).name() + "' is used by an earlier metric; names must be unique"));
            }
        }
        if (traffic != null && metrics.stream().noneMatch(m -> m.name().equals(traffic.metric())
            && m.spec().type() == MetricType.RATE)) {
            violations.add(new Violation("traffic/metric", "'" + traffic.metric() + "' is not a rate metric of this request;"
                + " the split is read from a rate metric's request counts"));
        }
        InvalidInputException.throwIfAny(violations);
    }

    /** A request without a traffic check. */
    public JudgeRequest(String id, Mode mode, double confidence, List<Metric> metrics, Stage stage) {
        this(id, mode, confidence, metrics, stage, null);
    }

    /** A request without a stage: every metric is judged on its whole window only. */
    public JudgeRequest(String id, Mode mode, double confidence, List<Metric> metrics) {
        this(id, mode, confidence, metrics, null, null);
    }

    /** @return the current stage, when the request names one */
    public Optional<Stage> currentStage() {
        return Optional.ofNullable(stage);
    }


    /** @return the intended traffic split, when the request gives one */
    public Optional<TrafficSplit> trafficSplit() {
        return Optional.ofNullable(traffic);
    }

    /** @return the level for {@code metric}: its own, else this request's */
    public double confidenceFor(MetricSpec metric) {
        return metric.confidence().orElse(confidence);
    }
}
