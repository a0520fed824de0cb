package org.canaryjudge.model;

/** The judgement of a whole request. */
public enum Verdict {
    /** Every metric passes: widen the rollout. */
    PROMOTE,
    /** Not every metric passes and none calls for a rollback: wait for more data. */
    HOLD,
    /** Some metric calls for a rollback. */
    ROLLBACK
}
