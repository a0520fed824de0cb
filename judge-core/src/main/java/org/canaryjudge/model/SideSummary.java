package org.canaryjudge.model;

/** What a person wants to see of one side's data: values for a continuous metric, counts for a rate. */
public sealed interface SideSummary permits SampleSummary, RateSummary {

    /** @return the summary of the baseline's data */
    static SideSummary baseline(MetricData data) {
        if (data instanceof MetricData.Rate r) {
            return RateSummary.of(r.baseline());
        }
        return SampleSummary.of(((MetricData.Continuous) data).baseline());
    }

    /** @return the summary of the canary's data */
    static SideSummary canary(MetricData data) {
        if (data instanceof MetricData.Rate r) {
            return RateSummary.of(r.canary());
        }
        return SampleSummary.of(((MetricData.Continuous) data).canary());
    }
}
