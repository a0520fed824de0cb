package org.canaryjudge.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Where one metric's current stage begins on each side, when it differs from the request's
 * {@link Stage#startIndex()} (for example when the sides' series start at different times).
 *
 * @param baseline the index in the baseline's series
 * @param canary the index in the canary's series
 */
public record StageStart(int baseline, int canary) {

    /**
     * @throws InvalidInputException when an index is negative
     */
    public StageStart {
        List<Violation> violations = new ArrayList<>();
        if (baseline < 0) {
            violations.add(new Violation("stageStart/baseline", "must be at least 0, got " + baseline));
        }
        if (canary < 0) {
            violations.add(new Violation("stageStart/canary", "must be at least 0, got " + canary));
        }
        InvalidInputException.throwIfAny(violations);
    }
}
