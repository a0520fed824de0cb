package org.canaryjudge.model;

/** Which change of a metric is harmful. */
public enum Direction {
    /** A rise is harmful (latency, error rate). */
    INCREASE,
    /** A drop is harmful (throughput, success rate, revenue). */
    DECREASE,
    /** Any change beyond the band is harmful. */
    EITHER
}
