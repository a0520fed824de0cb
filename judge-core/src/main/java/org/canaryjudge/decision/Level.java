package org.canaryjudge.decision;

import org.canaryjudge.model.Mode;

/**
 * The level one metric's interval is computed at.
 *
 * @param mode fixed (one look) or sequential (valid at every look)
 * @param confidence the two-sided level for this metric, after any split of α across metrics
 */
record Level(Mode mode, double confidence) {

    /** @return α = 1 − confidence */
    double alpha() {
        return 1 - confidence;
    }

    boolean sequential() {
        return mode == Mode.SEQUENTIAL;
    }
}
