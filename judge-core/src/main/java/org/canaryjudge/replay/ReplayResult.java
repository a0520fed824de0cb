package org.canaryjudge.replay;

import java.util.List;
import java.util.Objects;
import org.canaryjudge.model.Verdict;

/**
 * What a replay found: every look, and the outcome. The outcome is {@code rollback} if any look's
 * verdict was rollback (the first such look decides), else {@code promote} if the last look's
 * verdict was promote, else {@code hold}.
 *
 * @param looks every look in time order
 * @param outcome the replay's outcome
 * @param decidedAtLook the look that decided it: the first rollback, or the last look
 */
public record ReplayResult(List<Look> looks, Verdict outcome, int decidedAtLook) {

    public ReplayResult {
        looks = List.copyOf(looks);
        Objects.requireNonNull(outcome, "outcome");
    }
}
