package org.canaryjudge.server.source;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.canaryjudge.model.Counts;
import org.canaryjudge.model.Histogram;
import org.canaryjudge.model.Series;

/**
 * One side's answers laid on the window's steps, with what they lack. A step is observed only when
 * everything the side needs at that step has a usable value: for a rate, errors <em>and</em>
 * requests — a missing errors value is a gap, never zero errors.
 */
final class SideReading {

    private final String side;
    private final double[] values;
    private final double[] errors;
    private final double[] requests;
    private final long[][] buckets;
    private final boolean[] sampled;
    private final String noSeries;
    private final String note;
    private final String detail;

    private SideReading(String side, double[] values, double[] errors, double[] requests, boolean[] sampled,
                        String noSeries, String note, String detail) {
        this(side, values, errors, requests, null, sampled, noSeries, note, detail);
    }

    private SideReading(String side, double[] values, double[] errors, double[] requests, long[][] buckets,
                        boolean[] sampled, String noSeries, String note, String detail) {
        this.side = side;
        this.values = values;
        this.errors = errors;
        this.requests = requests;
        this.buckets = buckets;
        this.sampled = sampled;
        this.noSeries = noSeries;
        this.note = note;
        this.detail = detail;
    }

    /** A continuous metric's side: its query's one series (null when it gave none). */
    static SideReading continuous(String side, RangeSeries series, TimeWindow window) {
        if (series == null) {
            return empty(side, window, "the " + side + " query returned no series: check its metric name and labels,"
                + " and that the " + side + " is running.");
        }
        RangeSeries.Steps steps = series.on(window);
        return new SideReading(side, steps.values(), null, null, steps.sampled(), null, null, null);
    }

    /**
     * A rate's side from two queries. An empty errors answer is zero errors only when the metric
     * says so ({@code emptyErrors: zero}); otherwise a renamed metric or a mistyped label — which
     * also answer with no series — would pass as a flawless canary.
     */
    static SideReading twoQueries(String side, RangeSeries errors, RangeSeries requests, boolean emptyErrorsAreZero,
                                  TimeWindow window) {
        if (requests == null) {
            return empty(side, window, "the " + side + " requests query returned no series: check its metric name and"
                + " labels, and that the " + side + " receives traffic.");
        }
        RangeSeries.Steps r = requests.on(window);
        if (errors == null && !emptyErrorsAreZero) {
            return new SideReading(side, null, new double[r.values().length], r.values(), r.sampled(),
                "the " + side + " errors query returned no series, and an empty errors answer is not counted as zero"
                    + " errors (a renamed metric or a label typo returns none too): take the errors from the requests"
                    + " query's series by (code), or set emptyErrors: zero if no series really means no errors.", null, null);
        }
        String note = null;
        double[] e;
        boolean[] sampled = r.sampled();
        int errorSteps;
        if (errors == null) {
            e = new double[r.values().length];
            errorSteps = e.length;
            note = "No error series was returned for the " + side + "; counted as zero errors (emptyErrors: zero).";
        } else {
            RangeSeries.Steps es = errors.on(window);
            e = es.values();
            errorSteps = es.observed();
            sampled = sampled.clone();
            for (int i = 0; i < sampled.length; i++) {
                sampled[i] |= es.sampled()[i];
            }
        }
        String detail = String.format(Locale.ROOT, "its errors query had a value at %d and its requests query at %d",
            errorSteps, r.observed());
        return new SideReading(side, null, e, r.values(), sampled, null, note, detail);
    }

    /**
     * A rate's side from one query's series, such as {@code sum by (code) (increase(...))}: the
     * requests are all series together, the errors those the selector picks. A series absent at a
     * step counted nothing there; a step is a gap when no series has a sample there or any series
     * has an unusable one.
     */
    static SideReading byLabel(String side, List<RangeSeries> series, MetricQueries.ErrorSeries errorSeries,
                               TimeWindow window) {
        if (series.isEmpty()) {
            return empty(side, window, "the " + side + " requests query returned no series: check its metric name and"
                + " labels, and that the " + side + " receives traffic.");
        }
        int points = window.points();
        double[] e = new double[points];
        double[] r = new double[points];
        boolean[] sampled = new boolean[points];
        boolean[] gap = new boolean[points];
        for (RangeSeries s : series) {
            if (!s.labels().containsKey(errorSeries.label())) {
                // Without the label a series cannot be told errors or not: the query is not grouped by it.
                throw new SourceException("the " + side + " requests query gives a series without the label \""
                    + errorSeries.label() + "\" (" + s.labels() + "); group it by (" + errorSeries.label() + ")");
            }
            RangeSeries.Steps steps = s.on(window);
            boolean isErrors = errorSeries.counts(s.labels());
            for (int i = 0; i < points; i++) {
                if (!steps.sampled()[i]) {
                    continue;
                }
                sampled[i] = true;
                double v = steps.values()[i];
                if (Double.isNaN(v)) {
                    gap[i] = true;
                    continue;
                }
                r[i] += v;
                if (isErrors) {
                    e[i] += v;
                }
            }
        }
        for (int i = 0; i < points; i++) {
            if (gap[i] || !sampled[i]) {
                e[i] = Double.NaN;
                r[i] = Double.NaN;
            }
        }
        return new SideReading(side, null, e, r, sampled, null, null, null);
    }

    /**
     * A histogram's side from one query by {@code le}, such as
     * {@code sum by (le) (increase(x_bucket[${step}]))}: cumulative counts at or below each bound,
     * turned into per-bucket counts. Every bound of the metric and {@code +Inf} must have a series;
     * a step is a gap when any of them has no usable value there.
     */
    static SideReading histogram(String side, List<RangeSeries> series, double[] bounds, TimeWindow window) {
        if (series.isEmpty()) {
            return empty(side, window, "the " + side + " histogram query returned no series: check its metric name and"
                + " labels, and that the " + side + " receives traffic.");
        }
        int points = window.points();
        RangeSeries.Steps[] cumulative = new RangeSeries.Steps[bounds.length + 1];
        for (RangeSeries s : series) {
            int k = boundIndex(side, s.labels().get("le"), bounds);
            if (cumulative[k] != null) {
                throw new SourceException("the " + side + " histogram query gives two series for le=\"" + s.labels().get("le")
                    + "\"; aggregate it with sum by (le) (...)");
            }
            cumulative[k] = s.on(window);
        }
        for (int k = 0; k < cumulative.length; k++) {
            if (cumulative[k] == null) {
                throw new SourceException("the " + side + " histogram query gives no series for le=\""
                    + (k == bounds.length ? "+Inf" : new java.math.BigDecimal(Double.toString(bounds[k])).stripTrailingZeros().toPlainString()) + "\"; the metric's bounds must be the histogram's");
            }
        }
        long[][] perStep = new long[points][];
        boolean[] sampled = new boolean[points];
        for (int i = 0; i < points; i++) {
            boolean usable = true;
            for (RangeSeries.Steps c : cumulative) {
                sampled[i] |= c.sampled()[i];
                usable &= !Double.isNaN(c.values()[i]);
            }
            if (usable) {
                perStep[i] = buckets(side, cumulative, i);
            }
        }
        return new SideReading(side, null, null, null, perStep, sampled, null, null, null);
    }

    /** Per-bucket counts from cumulative ones; rounding of increase() may leave a bucket at -1, which is 0. */
    private static long[] buckets(String side, RangeSeries.Steps[] cumulative, int step) {
        long[] counts = new long[cumulative.length];
        long below = 0;
        for (int k = 0; k < cumulative.length; k++) {
            long upTo = Math.round(cumulative[k].values()[step]);
            long c = upTo - below;
            if (c < -1) {
                throw new SourceException("the " + side + " histogram query's buckets are not cumulative at step " + step
                    + " (" + upTo + " at or below a bound, " + below + " below the one before)");
            }
            counts[k] = Math.max(0, c);
            below = Math.max(below, upTo);
        }
        return counts;
    }

    private static int boundIndex(String side, String le, double[] bounds) {
        if (le == null) {
            throw new SourceException("the " + side + " histogram query gives a series without an le label; group it by (le)");
        }
        if (le.equals("+Inf") || le.equals("Inf")) {
            return bounds.length;
        }
        try {
            double v = Double.parseDouble(le);
            for (int k = 0; k < bounds.length; k++) {
                if (Math.abs(v - bounds[k]) <= 1e-9 * Math.max(1, Math.abs(bounds[k]))) {
                    return k;
                }
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new SourceException("the " + side + " histogram query gives a series for le=\"" + le
            + "\", which is not one of the metric's bounds; list every bucket bound of the histogram in bounds");
    }

    /** @return a histogram side's observed steps from {@code from} */
    Histogram histogramSince(int from) {
        List<long[]> rows = new ArrayList<>();
        for (int i = from; i < buckets.length; i++) {
            if (buckets[i] != null) {
                rows.add(buckets[i]);
            }
        }
        int width = rows.isEmpty() ? 0 : rows.get(0).length;
        return Histogram.of(rows.toArray(new long[0][]), width);
    }

    private static SideReading empty(String side, TimeWindow window, String reason) {
        double[] none = new double[window.points()];
        Arrays.fill(none, Double.NaN);
        return new SideReading(side, none, none, none, new long[window.points()][], new boolean[window.points()], reason,
            null, null);
    }

    /** @return the first step with any sample, or -1 when there is none */
    int firstSampled() {
        for (int i = 0; i < sampled.length; i++) {
            if (sampled[i]) {
                return i;
            }
        }
        return -1;
    }

    /** @return why the side has no data at all, or null */
    String noSeries() {
        return noSeries;
    }

    /** @return a note the reason must carry, or null */
    String note() {
        return note;
    }

    private boolean observed(int i) {
        if (buckets != null) {
            return buckets[i] != null;
        }
        return values != null ? !Double.isNaN(values[i]) : !Double.isNaN(errors[i]) && !Double.isNaN(requests[i]);
    }

    /**
     * @return a sentence naming the numbers when fewer than {@code needed} of the steps from
     *     {@code from} are observed, else null
     */
    String shortfall(int from, int needed, int steps, String stepWord) {
        int observed = 0;
        for (int i = from; i < sampled.length; i++) {
            if (observed(i)) {
                observed++;
            }
        }
        if (observed >= needed) {
            return null;
        }
        return String.format(Locale.ROOT, "The %s reported %d of %d %s steps%s.", side, observed, steps, stepWord,
            detail == null ? "" : " (" + detail + ")");
    }

    /**
     * @return how many of the points that {@link #series}, {@link #counts} or {@link #histogramSince}
     *     give from step {@code from} lie before step {@code to}: the index at which data from step
     *     {@code to} begin
     */
    int pointsBetween(int from, int to) {
        if (values != null && buckets == null) {
            // A continuous series keeps its gaps as missing values, so its index is the step's.
            return Math.max(0, to - from);
        }
        int points = 0;
        for (int i = from; i < Math.min(to, sampled.length); i++) {
            if (observed(i)) {
                points++;
            }
        }
        return points;
    }

    /** @return a continuous side's values from step {@code from}, gaps as missing */
    Series series(int from) {
        return Series.of(Arrays.copyOfRange(values, from, values.length));
    }

    /**
     * Counts of the observed steps from {@code from}. {@code increase()} extrapolates to the
     * window's edges, so its results are not whole numbers: they are rounded. Rounding can leave a
     * step with a few more errors than requests (all requests failing); such a step is capped at its
     * requests. Far more errors than requests means the errors query counts something else, and the
     * metric is not judged.
     *
     * @throws SourceException when the counts cannot be counts
     */
    Counts counts(int from, String metric) {
        int n = requests.length - from;
        long[] e = new long[n];
        long[] r = new long[n];
        int steps = 0;
        for (int i = from; i < requests.length; i++) {
            if (!observed(i)) {
                continue;
            }
            long req = Math.round(requests[i]);
            long err = Math.round(errors[i]);
            if (req < 0 || err < 0) {
                throw new SourceException("the " + side + " queries of " + metric + " give a negative count at step " + i
                    + "; use increase(...) of counters");
            }
            if (err > req) {
                if (err > Math.ceil(1.05 * req) + 1) {
                    throw new SourceException(String.format(Locale.ROOT, "the %s queries of %s give more errors (%d) than"
                        + " requests (%d) at step %d; the errors query must count a subset of the requests", side, metric,
                        err, req, i));
                }
                err = req;
            }
            e[steps] = err;
            r[steps] = req;
            steps++;
        }
        return Counts.of(Arrays.copyOf(e, steps), Arrays.copyOf(r, steps));
    }
}
