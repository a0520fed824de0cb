package org.canaryjudge.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The judgement of one metric, with what it was based on.
 *
 * @param name the metric's name
 * @param outcome what was concluded
 * @param reason a sentence a person on call can act on
 * @param test the method of the hold band's interval (the rollback band's without one), which also
 *     gives the p-value for continuous metrics: {@code mann-whitney}, {@code newcombe-hybrid-score},
 *     {@code normal-mixture-sequential}, {@code binomial-exact-conditional} or
 *     {@code dirichlet-mixture-sequential}; null when no interval was computed
 * @param pValue the two-sided p-value of "no difference", NaN when none was computed
 * @param effects the effect on each scale the bands use, the hold band's scale first; empty
 *     when the data did not allow an estimate
 * @param holdAllowed the effects not beyond the hold band, on its scale, or null
 * @param rollbackAllowed the effects not beyond the rollback band, on its scale, or null
 * @param baseline summary of the baseline's data
 * @param canary summary of the canary's data
 * @param stage the outcome on the current stage's window, or null when the request names no stage
 */
public record MetricOutcome(
    String name,
    Outcome outcome,
    String reason,
    String test,
    double pValue,
    List<Effect> effects,
    Interval holdAllowed,
    Interval rollbackAllowed,
    SideSummary baseline,
    SideSummary canary,
    StageResult stage) {

    public MetricOutcome {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
        effects = List.copyOf(effects);
    }

    /** An outcome without a stage result. */
    public MetricOutcome(String name, Outcome outcome, String reason, String test, double pValue, List<Effect> effects,
                         Interval holdAllowed, Interval rollbackAllowed, SideSummary baseline, SideSummary canary) {
        this(name, outcome, reason, test, pValue, effects, holdAllowed, rollbackAllowed, baseline, canary, null);
    }

    /** @return the stage's result, when the request names a stage */
    public Optional<StageResult> stageResult() {
        return Optional.ofNullable(stage);
    }

    /** @return the effect on the hold band's scale (the rollback band's when there is none) */
    public Optional<Effect> effect() {
        return effects.isEmpty() ? Optional.empty() : Optional.of(effects.get(0));
    }
}
