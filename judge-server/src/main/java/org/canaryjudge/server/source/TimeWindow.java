package org.canaryjudge.server.source;

import java.time.Duration;
import java.time.Instant;

/**
 * The range a request's data are fetched over: points at {@code start}, {@code start + step}, …, up
 * to {@code end}, as Prometheus's {@code query_range} evaluates them.
 *
 * @param start the first point
 * @param end the last point at the latest
 * @param step the distance between points
 */
public record TimeWindow(Instant start, Instant end, Duration step) {

    /** Prometheus refuses ranges of more than 11,000 points per series. */
    public static final int MAX_POINTS = 11_000;

    /** @throws IllegalArgumentException when start is after end or there are too many points */
    public TimeWindow {
        if (start.isAfter(end)) {
            throw new IllegalArgumentException("the start (" + start + ") must not be after the end (" + end + ")");
        }
        long points = Duration.between(start, end).getSeconds() / step.getSeconds() + 1;
        if (points > MAX_POINTS) {
            throw new IllegalArgumentException("from " + start + " to " + end + " in steps of " + Durations.prometheus(step)
                + " is " + points + " points; at most " + MAX_POINTS + " can be fetched (use a longer step)");
        }
    }

    /** @return the number of points in the window */
    public int points() {
        return (int) (Duration.between(start, end).getSeconds() / step.getSeconds() + 1);
    }

    /**
     * @return the index of the point nearest {@code epochSecond}, or -1 when the time is more than half
     *     a step outside the window
     */
    public int nearestIndex(double epochSecond) {
        double offset = (epochSecond - start.getEpochSecond()) / step.getSeconds();
        long index = Math.round(offset);
        return index >= 0 && index < points() ? (int) index : -1;
    }

    /** @return the index of the point at {@code epochSecond}, or -1 when it is not one of the window's points */
    public int indexOf(double epochSecond) {
        double offset = (epochSecond - start.getEpochSecond()) / step.getSeconds();
        long index = Math.round(offset);
        return Math.abs(offset - index) < 1e-6 && index >= 0 && index < points() ? (int) index : -1;
    }
}
