package org.canaryjudge.model;

/** The scale on which the effect of the canary is measured. */
public enum EffectScale {
    /** canary − baseline, in the metric's unit. */
    ABSOLUTE,
    /** canary / baseline − 1, so +0.10 means 10 % higher. */
    RELATIVE
}
