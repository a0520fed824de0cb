package org.canaryjudge.model;

/**
 * A closed interval [lower, upper] on the real line; an infinite end point means unbounded.
 *
 * @param lower lower end, may be {@link Double#NEGATIVE_INFINITY}
 * @param upper upper end, may be {@link Double#POSITIVE_INFINITY}
 */
public record Interval(double lower, double upper) {

    /** The whole real line. */
    public static final Interval UNBOUNDED = new Interval(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);

    /**
     * @throws IllegalArgumentException if an end is NaN or lower &gt; upper
     */
    public Interval {
        if (Double.isNaN(lower) || Double.isNaN(upper) || lower > upper) {
            throw new IllegalArgumentException("not an interval: [" + lower + ", " + upper + "]");
        }
    }

    /** @return true when every point of {@code other} lies in this interval */
    public boolean contains(Interval other) {
        return other.lower >= lower && other.upper <= upper;
    }

    /** @return true when no point of {@code other} lies in this interval */
    public boolean isDisjointFrom(Interval other) {
        return other.lower > upper || other.upper < lower;
    }

    /** @return true when the value lies in this interval */
    public boolean contains(double value) {
        return value >= lower && value <= upper;
    }
}
