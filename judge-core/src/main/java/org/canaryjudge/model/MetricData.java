package org.canaryjudge.model;

import java.util.Objects;

/**
 * Both sides' data of one metric: series for a continuous metric, counts for a rate, or the reason
 * they could not be had (a data source that failed).
 */
public sealed interface MetricData {

    /** @return the metric type this data belongs to */
    MetricType type();

    /**
     * @param type the metric type
     * @return data of that type with no observations on either side (judged {@code nodata})
     */
    static MetricData empty(MetricType type) {
        return type == MetricType.RATE
            ? new Rate(Counts.of(new long[0], new long[0]), Counts.of(new long[0], new long[0]))
            : new Continuous(Series.of(), Series.of());
    }

    /**
     * @param baseline the stable version's series
     * @param canary the new version's series
     */
    record Continuous(Series baseline, Series canary) implements MetricData {
        public Continuous {
            Objects.requireNonNull(baseline, "baseline");
            Objects.requireNonNull(canary, "canary");
        }

        @Override
        public MetricType type() {
            return MetricType.CONTINUOUS;
        }
    }

    /**
     * @param baseline the stable version's errors and requests
     * @param canary the new version's errors and requests
     */
    record Rate(Counts baseline, Counts canary) implements MetricData {
        public Rate {
            Objects.requireNonNull(baseline, "baseline");
            Objects.requireNonNull(canary, "canary");
        }

        @Override
        public MetricType type() {
            return MetricType.RATE;
        }
    }

    /**
     * Data that could not be obtained, for example because the metrics store that holds them did not
     * answer. The metric is judged {@code error} with this reason, so the verdict is at best
     * {@code hold}: a rollout pauses rather than promoting on data nobody has seen.
     *
     * @param type the metric type the data would have had
     * @param reason why the data are missing, naming where they should have come from
     */
    record Unavailable(MetricType type, String reason) implements MetricData {
        public Unavailable {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
