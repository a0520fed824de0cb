package org.canaryjudge.model;

import java.util.Objects;

/**
 * A metric to judge: its specification and the data of both sides.
 *
 * @param spec how it is judged
 * @param baseline the stable version's series
 * @param canary the new version's series
 */
public record Metric(MetricSpec spec, Series baseline, Series canary) {

    public Metric {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(baseline, "baseline");
        Objects.requireNonNull(canary, "canary");
    }

    /** @return the metric's name */
    public String name() {
        return spec.name();
    }
}
