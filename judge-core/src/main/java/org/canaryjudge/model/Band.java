package org.canaryjudge.model;

import java.util.List;
import java.util.Objects;

/**
 * An amount of harm, stated in the metric's harmful direction; effects beyond it are a breach.
 *
 * <p>With e = canary − baseline ({@link Kind#ABSOLUTE}) or e = canary / baseline − 1
 * ({@link Kind#RELATIVE}, {@link Kind#RATIO}), the effects that are <em>not</em> beyond the band
 * are, for amount x (ratio r):
 * <table>
 * <caption>Effects allowed by a band</caption>
 * <tr><th>kind</th><th>increase</th><th>decrease</th><th>either</th></tr>
 * <tr><td>absolute, relative</td><td>e ≤ x</td><td>e ≥ −x</td><td>−x ≤ e ≤ x</td></tr>
 * <tr><td>ratio</td><td>e ≤ r − 1</td><td>e ≥ 1/r − 1</td><td>1/r − 1 ≤ e ≤ r − 1</td></tr>
 * </table>
 *
 * @param kind how the amount is stated
 * @param amount x &gt; 0, or r &gt; 1 for a ratio
 */
public record Band(Kind kind, double amount) {

    /** How a band states its amount. */
    public enum Kind {
        /** A difference in the metric's unit. */
        ABSOLUTE,
        /** A fraction of the baseline: 0.10 = 10 %. */
        RELATIVE,
        /** A factor: 2.0 = doubled (or halved, for a decrease). */
        RATIO;

        /** @return the effect scale a band of this kind is compared on */
        public EffectScale scale() {
            return this == ABSOLUTE ? EffectScale.ABSOLUTE : EffectScale.RELATIVE;
        }
    }

    /**
     * @throws InvalidInputException if the amount is not finite and positive (above 1 for a ratio);
     *     its one violation has an empty path, so that a reader can place it at the band's field
     */
    public Band {
        Objects.requireNonNull(kind, "kind");
        if (!(Double.isFinite(amount) && amount > 0)) {
            throw invalid("a band's amount must be a finite number above 0, got " + amount);
        }
        if (kind == Kind.RATIO && !(amount > 1)) {
            throw invalid("a ratio band must be above 1, got " + amount);
        }
    }

    private static InvalidInputException invalid(String message) {
        return new InvalidInputException(List.of(new Violation("", message)));
    }

    /** @return a band of x in the metric's unit */
    public static Band absolute(double x) {
        return new Band(Kind.ABSOLUTE, x);
    }

    /** @return a band of x as a fraction of the baseline (0.10 = 10 %) */
    public static Band relative(double x) {
        return new Band(Kind.RELATIVE, x);
    }

    /** @return a band of a factor r &gt; 1 */
    public static Band ratio(double r) {
        return new Band(Kind.RATIO, r);
    }

    /** @return the scale on which this band is compared */
    public EffectScale scale() {
        return kind.scale();
    }

    /**
     * The effects that are not beyond this band.
     *
     * @param direction which change is harmful
     * @return the allowed effects, with an infinite end where the band does not limit them
     */
    public Interval allowed(Direction direction) {
        double up = kind == Kind.RATIO ? amount - 1 : amount;
        double down = kind == Kind.RATIO ? 1 / amount - 1 : -amount;
        return switch (direction) {
            case INCREASE -> new Interval(Double.NEGATIVE_INFINITY, up);
            case DECREASE -> new Interval(down, Double.POSITIVE_INFINITY);
            case EITHER -> new Interval(down, up);
        };
    }
}
