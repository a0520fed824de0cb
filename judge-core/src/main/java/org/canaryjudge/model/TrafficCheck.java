package org.canaryjudge.model;

import java.util.Objects;

/**
 * Whether the requests were split as intended (a sample-ratio-mismatch check).
 *
 * @param outcome {@code OK}, {@code MISMATCH} (the verdict is then at most hold) or {@code INCONCLUSIVE}
 * @param expectedShare the canary's intended share of requests
 * @param observedShare the canary's share of the requests counted; NaN when none were
 * @param reason what was expected and what was seen, in a sentence
 */
public record TrafficCheck(Outcome outcome, double expectedShare, double observedShare, String reason) {

    /** What the check concluded. */
    public enum Outcome {
        /** The split is shown to be within the tolerance of the intended one. */
        OK,
        /** The split is shown to differ from the intended one by more than the tolerance. */
        MISMATCH,
        /** The counts cannot tell yet, or there are none. */
        INCONCLUSIVE
    }

    public TrafficCheck {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
    }
}
