package org.canaryjudge.model;

import java.util.List;
import java.util.Objects;

/**
 * The current stage of a rollout that widens in steps (1 % → 5 % → 25 % → 100 %): each metric is
 * judged on the whole window and, as a test of its own, on the data since this stage began, so a
 * harm that appears only at a larger stage is not averaged away by the healthy points before it.
 *
 * @param name the stage's label, e.g. {@code "25%"}
 * @param startIndex the index in every metric's series (each side; for a rate, in its per-interval
 *     counts) at which the stage's data begin; a metric may override it ({@link StageStart})
 */
public record Stage(String name, int startIndex) {

    /**
     * @throws InvalidInputException when the name is blank or the index negative
     */
    public Stage {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new InvalidInputException(List.of(new Violation("stage/name", "must not be blank")));
        }
        if (startIndex < 0) {
            throw new InvalidInputException(List.of(new Violation("stage/startIndex", "must be at least 0, got " + startIndex)));
        }
    }
}
