package org.canaryjudge.model;

/**
 * One side's pooled counts.
 *
 * @param errors errors over the window
 * @param requests requests over the window
 */
public record RateSummary(long errors, long requests) implements SideSummary {

    /** @return the pooled counts of one side */
    public static RateSummary of(Counts counts) {
        return new RateSummary(counts.errors(), counts.requests());
    }

    /** @return errors / requests, NaN without requests */
    public double rate() {
        return requests == 0 ? Double.NaN : (double) errors / requests;
    }
}
