package org.canaryjudge.server.source;

import java.util.Arrays;
import java.util.Map;

/**
 * One series of a Prometheus range-query answer ({@code resultType: matrix}).
 *
 * @param labels the series' labels
 * @param times each sample's time, in epoch seconds
 * @param values each sample's value ({@code NaN} where Prometheus sent {@code "NaN"})
 */
public record RangeSeries(Map<String, String> labels, double[] times, double[] values) {

    public RangeSeries {
        labels = Map.copyOf(labels);
        if (times.length != values.length) {
            throw new IllegalArgumentException("times and values differ in length");
        }
    }

    /**
     * @param window the window the query ran over
     * @return one value per point of the window, {@code NaN} where the series has none
     */
    public double[] on(TimeWindow window) {
        double[] aligned = new double[window.points()];
        Arrays.fill(aligned, Double.NaN);
        for (int i = 0; i < times.length; i++) {
            int at = window.indexOf(times[i]);
            if (at >= 0) {
                aligned[at] = values[i];
            }
        }
        return aligned;
    }
}
