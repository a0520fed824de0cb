package org.canaryjudge.model;

/**
 * One side's histogram in a response.
 *
 * @param requests the requests counted
 * @param quantile the metric's quantile, interpolated within its bucket as Prometheus's
 *     {@code histogram_quantile} does; NaN without requests or above the last bound
 */
public record HistogramSummary(long requests, double quantile) implements SideSummary {
}
