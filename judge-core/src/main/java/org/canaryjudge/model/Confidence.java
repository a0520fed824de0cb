package org.canaryjudge.model;

/** The rule for a two-sided confidence level, shared by requests and metric specifications. */
public final class Confidence {

    /** The level used when neither the metric nor the request sets one. */
    public static final double DEFAULT = 0.95;

    static final String RANGE_MESSAGE = "must be a number above 0.5 and below 1";

    private Confidence() {
    }

    /** @return true when {@code level} is in the open interval (0.5, 1) */
    public static boolean isValid(double level) {
        return level > 0.5 && level < 1;
    }
}
