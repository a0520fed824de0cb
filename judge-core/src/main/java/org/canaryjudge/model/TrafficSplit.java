package org.canaryjudge.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The traffic split a rollout intends: the canary's share of requests, and the rate metric whose
 * request counts show the split that happened.
 *
 * @param canaryShare the share of requests meant for the canary, in (0, 1): 0.05 for 5 %
 * @param metric the name of a rate metric of the request
 */
public record TrafficSplit(double canaryShare, String metric) {

    /** @throws InvalidInputException when the share is not in (0, 1) or the metric is blank */
    public TrafficSplit {
        Objects.requireNonNull(metric, "metric");
        List<Violation> violations = new ArrayList<>();
        if (!(canaryShare > 0 && canaryShare < 1)) {
            violations.add(new Violation("traffic/canaryShare", "must be a share above 0 and below 1 (0.05 is 5 %), got "
                + canaryShare));
        }
        if (metric.isBlank()) {
            violations.add(new Violation("traffic/metric", "must name a rate metric of the request"));
        }
        InvalidInputException.throwIfAny(violations);
    }
}
