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

    /**
     * @return the window of the grid points (multiples of {@code step} since the epoch) from
     *     {@code start} to {@code end}: the start rounded up, the end down
     * @throws IllegalArgumentException when no grid point lies between them, or too many do
     */
    public static TimeWindow onGrid(Instant start, Instant end, Duration step) {
        long s = step.getSeconds();
        long first = Math.floorDiv(start.getEpochSecond() + s - 1, s) * s;
        long last = Math.floorDiv(end.getEpochSecond(), s) * s;
        if (first > last && !start.isAfter(end)) {
            throw new IllegalArgumentException("from " + start + " to " + end + " there is no point of the "
                + Durations.prometheus(step) + " grid (multiples of the step since the epoch); widen the window");
        }
        return new TimeWindow(Instant.ofEpochSecond(first), Instant.ofEpochSecond(last), step);
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

    /** @return the index of the first point at or after {@code t}: 0 before the window, {@link #points()} after it */
    public int firstIndexFrom(Instant t) {
        long seconds = Duration.between(start, t).getSeconds();
        if (seconds <= 0) {
            return 0;
        }
        long index = Math.floorDiv(seconds + step.getSeconds() - 1, step.getSeconds());
        return (int) Math.min(index, points());
    }
}
