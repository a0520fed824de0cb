package org.canaryjudge.calibration;

import org.canaryjudge.model.Metric;

/** One synthetic rollout: the metric with all data recorded up to each look. */
@FunctionalInterface
public interface Rollout {

    /**
     * @param look the look, from 1
     * @return the metric with the cumulative data of both sides at that look
     */
    Metric at(int look);
}
