package org.canaryjudge.model;

/** Whether intervals account for serial correlation between consecutive points of a series. */
public enum Correlation {
    /** Widen intervals by the effective-sample-size correction for autocorrelated series. */
    ADJUST,
    /** Treat points as independent (the textbook interval). */
    IGNORE
}
