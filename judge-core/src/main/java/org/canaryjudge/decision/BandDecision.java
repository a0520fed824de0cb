package org.canaryjudge.decision;

import java.util.Map;
import java.util.Optional;
import org.canaryjudge.model.Band;
import org.canaryjudge.model.Effect;
import org.canaryjudge.model.EffectScale;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.Outcome;

/**
 * The contract's decision rule for one metric whose data passed the guards: compare the interval
 * of the effect, on each band's scale, with the bands.
 *
 * <ol>
 * <li>The whole interval lies beyond the rollback band → {@code rollback}.
 * <li>The whole interval lies beyond the hold band → {@code hold} ({@code rollback} when critical).
 * <li>The whole interval lies inside every band given → {@code pass}.
 * <li>Otherwise → {@code inconclusive}.
 * </ol>
 * "No significant difference" is never a pass: only evidence that the harm is inside the bands is
 * (equivalence testing: Schuirmann 1987, "A comparison of the two one-sided tests procedure and the
 * power approach for assessing the equivalence of average bioavailability", J. Pharmacokinet.
 * Biopharm. 15).
 *
 * @param outcome the metric's outcome
 * @param reason why, in a sentence
 */
record BandDecision(Outcome outcome, String reason) {

    /**
     * @param spec the metric's specification
     * @param effects the effect with its interval on every scale the spec's bands use
     * @return the outcome and its reason
     */
    static BandDecision of(MetricSpec spec, Map<EffectScale, Effect> effects) {
        Optional<Band> rollback = spec.rollback();
        Optional<Band> hold = spec.hold();
        if (rollback.isPresent() && isBeyond(spec, rollback.get(), effects)) {
            return new BandDecision(Outcome.ROLLBACK, beyond(spec, "rollback", rollback.get(), effects) + ".");
        }
        if (hold.isPresent() && isBeyond(spec, hold.get(), effects)) {
            String reason = beyond(spec, "hold", hold.get(), effects);
            if (spec.critical()) {
                return new BandDecision(Outcome.ROLLBACK,
                    reason + "; the metric is critical, so a breach of its hold band rolls back.");
            }
            return new BandDecision(Outcome.HOLD, reason + ".");
        }
        for (Band band : spec.bands()) {
            if (!band.allowed(spec.direction()).contains(effects.get(band.scale()).interval())) {
                String role = hold.isPresent() && band == hold.get() ? "hold" : "rollback";
                return new BandDecision(Outcome.INCONCLUSIVE,
                    Reasons.effect(effects.get(band.scale()), spec.type()) + ", which reaches past "
                        + Reasons.band(role, band, spec.direction(), spec.type())
                        + ": the data cannot tell yet whether the harm is within it.");
            }
        }
        Band first = spec.bands().get(0);
        String within = spec.bands().size() == 2 && hold.get().scale() != rollback.get().scale()
            ? Reasons.band("hold", hold.get(), spec.direction(), spec.type()) + " and "
                + Reasons.band("rollback", rollback.get(), spec.direction(), spec.type())
            : Reasons.band(hold.isPresent() ? "hold" : "rollback", first, spec.direction(), spec.type());
        return new BandDecision(Outcome.PASS, Reasons.effect(effects.get(first.scale()), spec.type()) + ", within " + within + ".");
    }

    private static boolean isBeyond(MetricSpec spec, Band band, Map<EffectScale, Effect> effects) {
        return band.allowed(spec.direction()).isDisjointFrom(effects.get(band.scale()).interval());
    }

    private static String beyond(MetricSpec spec, String role, Band band, Map<EffectScale, Effect> effects) {
        return Reasons.effect(effects.get(band.scale()), spec.type()) + ", beyond " + Reasons.band(role, band, spec.direction(), spec.type());
    }
}
