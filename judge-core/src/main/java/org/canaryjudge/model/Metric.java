package org.canaryjudge.model;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A metric to judge: its specification and the data of both sides.
 *
 * @param spec how it is judged
 * @param data both sides' data, of the kind the spec's type names
 * @param stageStart where this metric's current stage begins, when it overrides the request's
 *     {@link Stage#startIndex()}; null otherwise
 */
public record Metric(MetricSpec spec, MetricData data, StageStart stageStart) {

    /**
     * @throws InvalidInputException when the data's kind does not match the spec's type
     */
    public Metric {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(data, "data");
        if (data.type() != spec.type()) {
            throw new InvalidInputException(List.of(new Violation("type", "the metric is "
                + spec.type().name().toLowerCase(Locale.ROOT) + " but its data are "
                + data.type().name().toLowerCase(Locale.ROOT))));
        }
    }

    /** A metric whose stage, if any, begins where the request's does. */
    public Metric(MetricSpec spec, MetricData data) {
        this(spec, data, null);
    }

    /** A continuous metric. */
    public Metric(MetricSpec spec, Series baseline, Series canary) {
        this(spec, new MetricData.Continuous(baseline, canary));
    }

    /** A rate metric. */
    public Metric(MetricSpec spec, Counts baseline, Counts canary) {
        this(spec, new MetricData.Rate(baseline, canary));
    }

    /** @return the metric's name */
    public String name() {
        return spec.name();
    }
}
