package org.canaryjudge.model;

/** What a person wants to see of one side's data: values for a continuous metric, counts for a rate. */
public sealed interface SideSummary permits SampleSummary, RateSummary, HistogramSummary {

    /** @return the summary of the baseline's data */
    static SideSummary baseline(MetricData data) {
        if (data instanceof MetricData.Unvouched u) {
            return baseline(u.data());
        }
        if (data instanceof MetricData.Annotated a) {
            return baseline(a.data());
        }
        if (data instanceof MetricData.Rate r) {
            return RateSummary.of(r.baseline());
        }
        if (data instanceof MetricData.Histograms h) {
            return new HistogramSummary(h.baseline().requests(), Double.NaN);
        }
        if (data instanceof MetricData.Continuous c) {
            return SampleSummary.of(c.baseline());
        }
        // Unavailable data summarise as no data of their kind.
        return baseline(MetricData.empty(data.type()));
    }

    /** @return the summary of the canary's data */
    static SideSummary canary(MetricData data) {
        if (data instanceof MetricData.Unvouched u) {
            return canary(u.data());
        }
        if (data instanceof MetricData.Annotated a) {
            return canary(a.data());
        }
        if (data instanceof MetricData.Rate r) {
            return RateSummary.of(r.canary());
        }
        if (data instanceof MetricData.Histograms h) {
            return new HistogramSummary(h.canary().requests(), Double.NaN);
        }
        if (data instanceof MetricData.Continuous c) {
            return SampleSummary.of(c.canary());
        }
        // Unavailable data summarise as no data of their kind.
        return canary(MetricData.empty(data.type()));
    }
}
