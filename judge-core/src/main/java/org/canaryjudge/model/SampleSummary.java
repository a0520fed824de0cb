package org.canaryjudge.model;

import org.apache.commons.statistics.descriptive.Mean;
import org.apache.commons.statistics.descriptive.Median;

/**
 * What a person wants to see of one side's observed data.
 *
 * @param n the number of observed values
 * @param median their median, NaN when n = 0
 * @param mean their mean, NaN when n = 0
 */
public record SampleSummary(int n, double median, double mean) implements SideSummary {

    /** @return the summary of the observed values of {@code series} */
    public static SampleSummary of(Series series) {
        double[] v = series.observed();
        if (v.length == 0) {
            return new SampleSummary(0, Double.NaN, Double.NaN);
        }
        return new SampleSummary(v.length, Median.withDefaults().evaluate(v), Mean.of(v).getAsDouble());
    }
}
