package org.canaryjudge.model;

import java.util.Objects;
import java.util.Optional;

/**
 * How one metric did on the current stage's window alone.
 *
 * @param name the stage's name
 * @param outcome the outcome on the stage's data, with the stage's share of α
 * @param effect the effect on the hold band's scale (the rollback band's without one), or null
 *     when the stage's data allowed no estimate
 * @param baselineN the baseline's observed points in the stage (requests, for a rate)
 * @param canaryN the canary's observed points in the stage (requests, for a rate)
 * @param reason why, in a sentence
 */
public record StageResult(String name, Outcome outcome, Effect effect, long baselineN, long canaryN, String reason) {

    public StageResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
    }

    /** @return the stage's effect, when there is one */
    public Optional<Effect> stageEffect() {
        return Optional.ofNullable(effect);
    }
}
