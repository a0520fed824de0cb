package org.canaryjudge.model;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * The values of one side of a continuous metric in time order, with missing observations.
 *
 * <p>Missing observations are held as {@link Double#NaN} and dropped before any statistic is
 * computed; every other value must be finite.
 */
public final class Series {

    private final double[] values;
    private final double[] observed;

    private Series(double[] values) {
        this.values = values;
        this.observed = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
    }

    /**
     * @param values the values in time order; {@code NaN} marks a missing observation
     * @return the series
     * @throws InvalidInputException naming the index of any infinite value
     */
    public static Series of(double... values) {
        var violations = new ArrayList<Violation>();
        for (int i = 0; i < values.length; i++) {
            if (Double.isInfinite(values[i])) {
                violations.add(new Violation(Integer.toString(i), "must be a finite number or null (missing)"));
            }
        }
        InvalidInputException.throwIfAny(violations);
        double[] copy = new double[values.length];
        for (int i = 0; i < copy.length; i++) {
            // -0.0 is the same observation as 0.0; keep rank-based statistics from telling them apart.
            copy[i] = values[i] + 0.0;
        }
        return new Series(copy);
    }

    /** @return the number of points, missing ones included */
    public int size() {
        return values.length;
    }

    /** @return the number of observed (non-missing) points */
    public int observedCount() {
        return observed.length;
    }

    /** @return a copy of the observed values in time order, missing ones dropped */
    public double[] observed() {
        return observed.clone();
    }

    /** @return a copy of all values, {@code NaN} for missing */
    public double[] values() {
        return values.clone();
    }

    /** @return true when every observed value is above zero (needed for relative bands) */
    public boolean isPositive() {
        for (double v : observed) {
            if (!(v > 0)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Series s && Arrays.equals(values, s.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Series" + Arrays.toString(values);
    }
}
