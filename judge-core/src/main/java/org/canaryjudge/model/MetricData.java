package org.canaryjudge.model;

import java.util.Objects;

/** Both sides' data of one metric: series for a continuous metric, counts for a rate. */
public sealed interface MetricData {

    /** @return the metric type this data belongs to */
    MetricType type();

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
}
