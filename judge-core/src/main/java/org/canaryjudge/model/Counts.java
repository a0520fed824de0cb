package org.canaryjudge.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One side's errors out of requests, per interval (a single element is a total).
 *
 * <p>Rates are judged on the pooled counts: summing errors and requests over the window, rather than
 * averaging per-interval ratios, keeps sparse errors from looking harmless.
 */
public final class Counts {

    private final long[] errors;
    private final long[] requests;
    private final long totalErrors;
    private final long totalRequests;

    private Counts(long[] errors, long[] requests) {
        this.errors = errors;
        this.requests = requests;
        this.totalErrors = Arrays.stream(errors).sum();
        this.totalRequests = Arrays.stream(requests).sum();
    }

    /**
     * @param errors errors per interval
     * @param requests requests per interval, same length
     * @return the counts
     * @throws InvalidInputException naming each offending element ({@code errors/3}, {@code requests})
     */
    public static Counts of(long[] errors, long[] requests) {
        List<Violation> violations = new ArrayList<>();
        if (errors.length != requests.length) {
            violations.add(new Violation("requests", "has " + requests.length + " elements but errors has "
                + errors.length + "; they must pair up interval by interval"));
        }
        for (int i = 0; i < errors.length; i++) {
            if (errors[i] < 0) {
                violations.add(new Violation("errors/" + i, "must not be negative, got " + errors[i]));
            }
        }
        for (int i = 0; i < requests.length; i++) {
            if (requests[i] < 0) {
                violations.add(new Violation("requests/" + i, "must not be negative, got " + requests[i]));
            } else if (i < errors.length && errors[i] > requests[i]) {
                violations.add(new Violation("errors/" + i, "has " + errors[i] + " errors out of only "
                    + requests[i] + " requests"));
            }
        }
        InvalidInputException.throwIfAny(violations);
        Counts counts = new Counts(errors.clone(), requests.clone());
        if (counts.totalRequests < 0) {
            throw new InvalidInputException(List.of(new Violation("requests", "the total overflows")));
        }
        return counts;
    }

    /** @return the number of intervals */
    public int size() {
        return errors.length;
    }

    /** @return errors summed over all intervals */
    public long errors() {
        return totalErrors;
    }

    /** @return requests summed over all intervals */
    public long requests() {
        return totalRequests;
    }

    /** @return errors per interval (a copy) */
    public long[] errorsPerInterval() {
        return errors.clone();
    }

    /** @return requests per interval (a copy) */
    public long[] requestsPerInterval() {
        return requests.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Counts c && Arrays.equals(errors, c.errors) && Arrays.equals(requests, c.requests);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(errors) + Arrays.hashCode(requests);
    }

    @Override
    public String toString() {
        return "Counts[" + totalErrors + "/" + totalRequests + " in " + errors.length + " intervals]";
    }
}
