package org.canaryjudge.model;

/** What the judge concluded about one metric. */
public enum Outcome {
    /** The whole interval of the effect lies inside every band: shown to be harmless enough. */
    PASS,
    /** The whole interval lies beyond the hold band: the rollout must not advance. */
    HOLD,
    /** The whole interval lies beyond the rollback band: roll back. */
    ROLLBACK,
    /** The data cannot tell yet: too few observations, or an interval that straddles a band. */
    INCONCLUSIVE,
    /** A side has no data at all. */
    NODATA,
    /** The metric could not be judged (for example a relative band on non-positive data). */
    ERROR
}
