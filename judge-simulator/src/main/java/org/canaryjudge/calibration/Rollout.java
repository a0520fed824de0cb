package org.canaryjudge.calibration;

import org.canaryjudge.model.Metric;
import org.canaryjudge.model.Stage;
import org.canaryjudge.model.TrafficSplit;

/** One synthetic rollout: the metric with all data recorded up to each look. */
@FunctionalInterface
public interface Rollout {

    /**
     * @param look the look, from 1
     * @return the metric with the cumulative data of both sides at that look
     */
    Metric at(int look);

    /**
     * @param look the look, from 1
     * @return the rollout's current stage at that look, or null when the judge is not told of stages
     */
    default Stage stage(int look) {
        return null;
    }

    /** @return the traffic split each look checks, or null when the rollout asks for no check */
    default TrafficSplit traffic() {
        return null;
    }
}
