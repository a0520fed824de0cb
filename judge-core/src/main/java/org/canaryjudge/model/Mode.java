package org.canaryjudge.model;

/** How intervals treat repeated looks at the same rollout. */
public enum Mode {
    /** Intervals valid at every look at once (confidence sequences). */
    SEQUENTIAL,
    /** Classical single-look intervals. */
    FIXED
}
