package org.canaryjudge.replay;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.canaryjudge.model.Counts;
import org.canaryjudge.model.Histogram;
import org.canaryjudge.model.InvalidInputException;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.MetricData;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.MetricType;
import org.canaryjudge.model.Series;
import org.canaryjudge.model.Violation;

/**
 * One metric's recorded data: per side, points in time order, each with its timestamp (epoch
 * seconds). A continuous metric has one value per point (NaN = missing); a rate has errors and
 * requests per point.
 */
public final class RecordedMetric {

    private final MetricSpec spec;
    private final Side baseline;
    private final Side canary;

    private RecordedMetric(MetricSpec spec, Side baseline, Side canary) {
        this.spec = spec;
        this.baseline = baseline;
        this.canary = canary;
    }

    /**
     * @param spec a continuous metric's specification
     * @param baselineTimes the baseline's timestamps, not decreasing
     * @param baselineValues the baseline's values, NaN for missing
     * @param canaryTimes the canary's timestamps, not decreasing
     * @param canaryValues the canary's values, NaN for missing
     * @return the recording
     */
    public static RecordedMetric continuous(MetricSpec spec, long[] baselineTimes, double[] baselineValues,
                                            long[] canaryTimes, double[] canaryValues) {
        require(spec, MetricType.CONTINUOUS);
        return new RecordedMetric(spec, Side.of("baseline", baselineTimes, baselineValues, null, null, null),
            Side.of("canary", canaryTimes, canaryValues, null, null, null));
    }

    /**
     * @param spec a rate metric's specification
     * @return the recording, errors and requests per point
     */
    public static RecordedMetric rate(MetricSpec spec, long[] baselineTimes, long[] baselineErrors,
                                      long[] baselineRequests, long[] canaryTimes, long[] canaryErrors,
                                      long[] canaryRequests) {
        require(spec, MetricType.RATE);
        return new RecordedMetric(spec, Side.of("baseline", baselineTimes, null, baselineErrors, baselineRequests, null),
            Side.of("canary", canaryTimes, null, canaryErrors, canaryRequests, null));
    }

    /**
     * @param spec a histogram metric's specification
     * @return the recording, a row of bucket counts per point (bounds + 1 counts)
     */
    public static RecordedMetric histogram(MetricSpec spec, long[] baselineTimes, long[][] baselineBuckets,
                                           long[] canaryTimes, long[][] canaryBuckets) {
        require(spec, MetricType.HISTOGRAM);
        int width = spec.bounds().length + 1;
        // Histogram.of checks each row's width and counts; the sides check their timestamps.
        Histogram.of(baselineBuckets, width);
        Histogram.of(canaryBuckets, width);
        return new RecordedMetric(spec, Side.of("baseline", baselineTimes, null, null, null, baselineBuckets),
            Side.of("canary", canaryTimes, null, null, null, canaryBuckets));
    }

    /** @return the metric's specification */
    public MetricSpec spec() {
        return spec;
    }

    /** @return the baseline's timestamps (epoch seconds), in the order of its data */
    public long[] baselineTimes() {
        return baseline.times.clone();
    }

    /** @return the canary's timestamps (epoch seconds), in the order of its data */
    public long[] canaryTimes() {
        return canary.times.clone();
    }

    /** @return the earliest timestamp on either side, or {@link Long#MAX_VALUE} without data */
    long first() {
        return Math.min(baseline.first(), canary.first());
    }

    /** @return the latest timestamp on either side, or {@link Long#MIN_VALUE} without data */
    long last() {
        return Math.max(baseline.last(), canary.last());
    }

    /**
     * @param time a look's time (epoch seconds)
     * @return the metric with every point recorded before that time
     */
    public Metric before(long time) {
        int b = baseline.countBefore(time);
        int c = canary.countBefore(time);
        if (spec.type() == MetricType.HISTOGRAM) {
            int width = spec.bounds().length + 1;
            return new Metric(spec, new MetricData.Histograms(Histogram.of(Arrays.copyOf(baseline.buckets, b), width),
                Histogram.of(Arrays.copyOf(canary.buckets, c), width)));
        }
        if (spec.type() == MetricType.RATE) {
            return new Metric(spec, Counts.of(Arrays.copyOf(baseline.errors, b), Arrays.copyOf(baseline.requests, b)),
                Counts.of(Arrays.copyOf(canary.errors, c), Arrays.copyOf(canary.requests, c)));
        }
        return new Metric(spec, Series.of(Arrays.copyOf(baseline.values, b)), Series.of(Arrays.copyOf(canary.values, c)));
    }

    private static void require(MetricSpec spec, MetricType type) {
        Objects.requireNonNull(spec, "spec");
        if (spec.type() != type) {
            throw new IllegalArgumentException(spec.name() + " is " + spec.type() + ", not " + type);
        }
    }

    /** One side's points in time order. */
    private record Side(long[] times, double[] values, long[] errors, long[] requests, long[][] buckets) {

        static Side of(String name, long[] times, double[] values, long[] errors, long[] requests, long[][] buckets) {
            List<Violation> violations = new ArrayList<>();
            int n = times.length;
            for (long[] a : new long[][] {errors, requests}) {
                if (a != null && a.length != n) {
                    violations.add(new Violation(name, "has " + n + " timestamps but " + a.length + " counts"));
                }
            }
            if (values != null && values.length != n) {
                violations.add(new Violation(name, "has " + n + " timestamps but " + values.length + " values"));
            }
            if (buckets != null && buckets.length != n) {
                violations.add(new Violation(name, "has " + n + " timestamps but " + buckets.length + " rows of buckets"));
            }
            for (int i = 1; i < n; i++) {
                if (times[i] < times[i - 1]) {
                    violations.add(new Violation(name + "/" + i, "timestamps must not go back in time"));
                    break;
                }
            }
            if (!violations.isEmpty()) {
                throw new InvalidInputException(violations);
            }
            return new Side(times.clone(), values == null ? null : values.clone(),
                errors == null ? null : errors.clone(), requests == null ? null : requests.clone(),
                buckets == null ? null : Arrays.stream(buckets).map(long[]::clone).toArray(long[][]::new));
        }

        long first() {
            return times.length == 0 ? Long.MAX_VALUE : times[0];
        }

        long last() {
            return times.length == 0 ? Long.MIN_VALUE : times[times.length - 1];
        }

        /** The number of points strictly before {@code time}: a binary search, times being sorted. */
        int countBefore(long time) {
            int lo = 0;
            int hi = times.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (times[mid] < time) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }
}
