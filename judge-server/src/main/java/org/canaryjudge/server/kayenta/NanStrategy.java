package org.canaryjudge.server.kayenta;

/**
 * Kayenta's {@code analysisConfigurations.canary.nanStrategy}: what a missing point (NaN or
 * {@code null}) of a metric set pair means.
 */
enum NanStrategy {
    /** The point is missing and is dropped before judging (the default). */
    REMOVE,
    /** The point is zero, as for a counter that reports nothing when nothing happened. */
    REPLACE
}
