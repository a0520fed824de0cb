package org.canaryjudge.server.kayenta;

import org.canaryjudge.model.Direction;
import org.canaryjudge.model.Effect;
import org.canaryjudge.model.MetricOutcome;

/**
 * Kayenta's metric classifications, and which judge-core outcome maps to which.
 *
 * <p>{@code hold} and {@code rollback} are {@link #HIGH} or {@link #LOW} by the side the canary's
 * effect lies on. {@code inconclusive} — the data cannot show yet that the harm is within the band —
 * becomes {@link #NODATA}: Kayenta has no "inconclusive", and Nodata is the one classification its
 * tools read as "no verdict on this metric" rather than as a pass; Canary Judge counts it as not
 * passing in the score, and the reason says it was inconclusive.
 */
enum Classification {
    PASS("Pass"),
    HIGH("High"),
    LOW("Low"),
    NODATA("Nodata"),
    ERROR("Error");

    private final String label;

    Classification(String label) {
        this.label = label;
    }

    /** @return Kayenta's spelling: "Pass", "High", "Low", "Nodata", "Error" */
    String label() {
        return label;
    }

    /**
     * @param outcome judge-core's outcome of the metric
     * @param direction the metric's harmful direction, for a breach whose side the effect leaves open
     */
    static Classification of(MetricOutcome outcome, Direction direction) {
        return switch (outcome.outcome()) {
            case PASS -> PASS;
            case HOLD, ROLLBACK -> side(outcome, direction);
            case INCONCLUSIVE, NODATA -> NODATA;
            case ERROR -> ERROR;
        };
    }

    private static Classification side(MetricOutcome outcome, Direction direction) {
        Effect effect = outcome.effect().orElse(null);
        if (effect != null && effect.interval().lower() > 0) {
            return HIGH;
        }
        if (effect != null && effect.interval().upper() < 0) {
            return LOW;
        }
        return direction == Direction.DECREASE ? LOW : HIGH;
    }
}
