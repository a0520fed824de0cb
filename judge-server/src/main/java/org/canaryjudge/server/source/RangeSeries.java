package org.canaryjudge.server.source;

import java.util.Arrays;
import java.util.Map;

/**
 * One series of a Prometheus range-query answer ({@code resultType: matrix}).
 *
 * @param labels the series' labels
 * @param times each sample's time, in epoch seconds
 * @param values each sample's value; {@code NaN} where the sample is not a finite number
 *     ({@code "NaN"}, {@code "+Inf"}, {@code "-Inf"}, {@code "stale"} or null)
 */
public record RangeSeries(Map<String, String> labels, double[] times, double[] values) {

    public RangeSeries {
        labels = Map.copyOf(labels);
        if (times.length != values.length) {
            throw new IllegalArgumentException("times and values differ in length");
        }
    }

    /**
     * The series laid on a window's steps.
     *
     * @param values one value per step: {@code NaN} where the step has no usable observation
     * @param sampled per step, whether any sample fell on it (usable or not)
     */
    public record Steps(double[] values, boolean[] sampled) {

        /** @return how many steps have a usable observation */
        public int observed() {
            int n = 0;
            for (double v : values) {
                if (!Double.isNaN(v)) {
                    n++;
                }
            }
            return n;
        }
    }

    /**
     * A sample whose time is off the window's grid is a missing observation for the step it falls
     * on (the nearest), and so is a step that two samples claim: what Prometheus evaluates at a
     * step has exactly that step's time, so anything else did not come from this query's
     * evaluation and cannot be vouched for.
     *
     * @param window the window the query ran over
     * @return one value per step of the window
     */
    public Steps on(TimeWindow window) {
        int points = window.points();
        double[] aligned = new double[points];
        boolean[] sampled = new boolean[points];
        Arrays.fill(aligned, Double.NaN);
        boolean[] invalid = new boolean[points];
        for (int i = 0; i < times.length; i++) {
            int at = window.nearestIndex(times[i]);
            if (at < 0) {
                continue;
            }
            boolean onGrid = window.indexOf(times[i]) == at;
            invalid[at] |= sampled[at] || !onGrid || !Double.isFinite(values[i]);
            sampled[at] = true;
            aligned[at] = values[i];
        }
        for (int i = 0; i < points; i++) {
            if (invalid[i]) {
                aligned[i] = Double.NaN;
            }
        }
        return new Steps(aligned, sampled);
    }
}
