package org.canaryjudge.decision;

import org.canaryjudge.model.Mode;

/**
 * The level one metric's interval is computed at.
 *
 * @param mode fixed (one look) or sequential (valid at every look)
 * @param confidence the two-sided level for this metric, after any split of α across metrics
 * @param alwaysValid in sequential mode, use an always-valid confidence sequence even when the
 *     metric plans a horizon (a stage's window, whose looks begin whenever the stage does)
 * @param correlationBaseline the baseline series to estimate serial correlation from, when it is
 *     not the judged window's own (a stage's window: the baseline's correlation does not change
 *     with the canary's stage, and the whole window has more points to show it); null otherwise
 */
record Level(Mode mode, double confidence, boolean alwaysValid, double[] correlationBaseline) {

    Level(Mode mode, double confidence) {
        this(mode, confidence, false, null);
    }

    /** @return α = 1 − confidence */
    double alpha() {
        return 1 - confidence;
    }

    boolean sequential() {
        return mode == Mode.SEQUENTIAL;
    }
}
