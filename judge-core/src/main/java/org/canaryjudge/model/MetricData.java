package org.canaryjudge.model;

import java.util.Objects;

/**
 * Both sides' data of one metric: series for a continuous metric, counts for a rate, the reason
 * they could not be had (a data source that failed), or data that came with a qualification: a
 * source that cannot vouch for them ({@link Unvouched}), or a note the reason must carry
 * ({@link Annotated}).
 */
public sealed interface MetricData {

    /** @return the metric type this data belongs to */
    MetricType type();

    /**
     * @param type the metric type
     * @return data of that type with no observations on either side (judged {@code nodata})
     */
    static MetricData empty(MetricType type) {
        return switch (type) {
            case RATE -> new Rate(Counts.of(new long[0], new long[0]), Counts.of(new long[0], new long[0]));
            case HISTOGRAM -> new Histograms(Histogram.of(new long[0][], 0), Histogram.of(new long[0][], 0));
            case CONTINUOUS -> new Continuous(Series.of(), Series.of());
        };
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
     * @param baseline the stable version's requests per bucket and interval
     * @param canary the new version's, with the same buckets
     */
    record Histograms(Histogram baseline, Histogram canary) implements MetricData {
        public Histograms {
            Objects.requireNonNull(baseline, "baseline");
            Objects.requireNonNull(canary, "canary");
        }

        @Override
        public MetricType type() {
            return MetricType.HISTOGRAM;
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

    /**
     * Data a source delivered but cannot vouch for: too few of the window's steps, or a query that
     * returned nothing where an answer was due. The metric is judged {@code outcome} with this
     * reason, whatever the data show, so the verdict is at best {@code hold}; the summaries still
     * show what arrived.
     *
     * @param data what arrived (a {@link Rate}, {@link Continuous} or {@link Histograms})
     * @param outcome {@link Outcome#INCONCLUSIVE} or {@link Outcome#NODATA}
     * @param reason what is missing, with the numbers
     */
    record Unvouched(MetricData data, Outcome outcome, String reason) implements MetricData {
        public Unvouched {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(reason, "reason");
            if (outcome != Outcome.INCONCLUSIVE && outcome != Outcome.NODATA) {
                throw new IllegalArgumentException("unvouched data are inconclusive or nodata, not " + outcome);
            }
            requireObservations(data, "unvouched");
        }

        @Override
        public MetricType type() {
            return data.type();
        }
    }

    /**
     * Data judged as they are, whose reason must begin with a note about how they were read — for
     * example that an empty errors answer was counted as zero errors because the configuration
     * said so.
     *
     * @param data the data (a {@link Rate}, {@link Continuous} or {@link Histograms})
     * @param note a sentence put before the judge's own reason
     */
    record Annotated(MetricData data, String note) implements MetricData {
        public Annotated {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(note, "note");
            requireObservations(data, "annotated");
        }

        @Override
        public MetricType type() {
            return data.type();
        }
    }

    /** Only observations, not a failure or another wrapper, can be qualified. */
    private static void requireObservations(MetricData data, String qualified) {
        if (!(data instanceof Rate) && !(data instanceof Continuous) && !(data instanceof Histograms)) {
            throw new IllegalArgumentException("only series, counts or histograms can be " + qualified);
        }
    }
}
