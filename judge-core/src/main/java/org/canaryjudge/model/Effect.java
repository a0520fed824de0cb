package org.canaryjudge.model;

import java.util.Objects;

/**
 * The estimated effect of the canary and its interval on one scale.
 *
 * @param scale absolute (canary − baseline) or relative (canary / baseline − 1)
 * @param estimate the point estimate
 * @param interval the two-sided interval at {@code confidence}
 * @param confidence the interval's level
 */
public record Effect(EffectScale scale, double estimate, Interval interval, double confidence) {

    public Effect {
        Objects.requireNonNull(scale, "scale");
        Objects.requireNonNull(interval, "interval");
    }
}
