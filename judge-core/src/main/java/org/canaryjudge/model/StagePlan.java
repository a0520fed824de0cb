package org.canaryjudge.model;

import java.util.List;
import java.util.Objects;

/**
 * The stage planner's answer for one metric.
 *
 * @param metric the metric's name
 * @param minutesToPromote the median minutes after which a canary as good as the baseline reaches
 *     {@code pass}; null when it would not within {@code maxMinutes}
 * @param minutesToRollback the median minutes after which the regression {@code regression} reaches
 *     {@code rollback}; null when it would not within {@code maxMinutes}, or the metric cannot roll back
 * @param regression the regression timed: a canary error rate for a rate metric, a shift of the
 *     canary (in the metric's unit, or relative for relative and ratio bands) for a continuous one;
 *     null when the metric has no band to roll back on
 * @param maxMinutes how far ahead the planner looks
 * @param alternatives the time to promote at wider canaries, narrowest first; empty when none is computed
 * @param reason what it takes, in sentences a person on call can act on
 */
public record StagePlan(String metric, Double minutesToPromote, Double minutesToRollback, Double regression,
                        double maxMinutes, List<Alternative> alternatives, String reason) {

    public StagePlan {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(reason, "reason");
        alternatives = List.copyOf(alternatives);
    }

    /**
     * The time to promote at other traffic.
     *
     * @param canaryShare the canary's share of all requests, or null when the total is not known
     * @param canaryPerMinute the canary's requests (or points) a minute
     * @param baselinePerMinute the baseline's
     * @param minutesToPromote the median minutes to {@code pass} there, or null beyond {@code maxMinutes}
     */
    public record Alternative(Double canaryShare, double canaryPerMinute, double baselinePerMinute, Double minutesToPromote) {
    }
}
