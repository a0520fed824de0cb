package org.canaryjudge.calibration;

/** A way of judging each look of a rollout. */
public enum Method {
    /** This judge in sequential mode: confidence sequences, valid at every look. */
    SEQUENTIAL,
    /** This judge in fixed mode, re-run at every look as if each were the only one. */
    FIXED,
    /**
     * This judge in fixed mode, judged once, at the last look only: a valid single test at the
     * horizon, the yardstick for how much a sequential design pays for its looks.
     */
    FIXED_ONCE,
    /**
     * Kayenta's default rule: Mann–Whitney at 98 % on the series (per-interval ratios for a rate);
     * a metric passes when no significant difference is found.
     */
    KAYENTA_LIKE
}
