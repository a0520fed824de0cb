package org.canaryjudge.decision;

import java.util.List;
import org.canaryjudge.model.Effect;
import org.canaryjudge.model.Interval;
import org.canaryjudge.model.MetricData;
import org.canaryjudge.model.MetricOutcome;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.Outcome;
import org.canaryjudge.model.SideSummary;

/** Builds a {@link MetricOutcome} with the parts every metric type reports alike: bands and summaries. */
final class Outcomes {

    private Outcomes() {
    }

    /** An outcome reached without an interval (a guard, an error). */
    static MetricOutcome withoutEffect(MetricSpec spec, MetricData data, Outcome outcome, String reason) {
        return of(spec, data, outcome, reason, null, Double.NaN, List.of());
    }

    /**
     * @param test the test behind {@code pValue}, or null when none was run
     * @param effects the effect on each scale the bands use, hold band's scale first
     */
    static MetricOutcome of(MetricSpec spec, MetricData data, Outcome outcome, String reason, String test,
                            double pValue, List<Effect> effects) {
        Interval hold = spec.hold().map(b -> b.allowed(spec.direction())).orElse(null);
        Interval rollback = spec.rollback().map(b -> b.allowed(spec.direction())).orElse(null);
        return new MetricOutcome(spec.name(), outcome, reason, test, pValue, effects, hold, rollback,
            SideSummary.baseline(data), SideSummary.canary(data));
    }
}
