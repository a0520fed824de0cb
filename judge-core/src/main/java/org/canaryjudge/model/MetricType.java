package org.canaryjudge.model;

/** The kind of data a metric carries. */
public enum MetricType {
    /** A time series of values, such as p99 latency per minute. */
    CONTINUOUS,
    /** Errors out of requests, as counts per interval. */
    RATE,
    /** Requests counted into latency buckets per interval; judged on one quantile. */
    HISTOGRAM
}
