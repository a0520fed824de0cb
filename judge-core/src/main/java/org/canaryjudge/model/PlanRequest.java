package org.canaryjudge.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A question for the stage planner: at this traffic, how long until a healthy canary passes this
 * metric, and how long until a regression rolls back?
 *
 * @param metric the metric's specification (its bands, level, guards and horizon, as the judge uses them)
 * @param mode the mode the rollout's judge calls use
 * @param confidence the request's level, for a metric that does not set its own
 * @param traffic the traffic each side gets: requests and a baseline rate for a rate metric, points
 *     and a baseline sample for a continuous one
 * @param minutesBetweenLooks how often the judge is asked, in minutes (1 for every minute)
 */
public record PlanRequest(MetricSpec metric, Mode mode, double confidence, Traffic traffic, double minutesBetweenLooks) {

    /** How far ahead the planner looks, in minutes: a day. */
    public static final double MAX_MINUTES = 24 * 60;

    /** The traffic of a rate metric's stage or a continuous metric's. */
    public sealed interface Traffic permits RateTraffic, PointTraffic {
    }

    /**
     * @param baselineRate the baseline's error rate p, in [0, 1)
     * @param baselineRequestsPerMinute the baseline's requests a minute, above 0
     * @param canaryRequestsPerMinute the canary's requests a minute, above 0
     * @param totalRequestsPerMinute all requests a minute, when the caller knows them (the canary's
     *     share is then canary / total, and a wider canary takes its requests from the baseline); NaN when not
     * @param regressionRate the canary rate to time a rollback at; NaN for the default, a regression
     *     twice as far from the baseline as the rollback band
     */
    public record RateTraffic(double baselineRate, double baselineRequestsPerMinute, double canaryRequestsPerMinute,
                              double totalRequestsPerMinute, double regressionRate) implements Traffic {

        /** Traffic without a total and with the default regression. */
        public RateTraffic(double baselineRate, double baselineRequestsPerMinute, double canaryRequestsPerMinute) {
            this(baselineRate, baselineRequestsPerMinute, canaryRequestsPerMinute, Double.NaN, Double.NaN);
        }

        /** @throws InvalidInputException naming each bad field as the JSON request spells it */
        public RateTraffic {
            InvalidInputException.throwIfAny(problems(baselineRate, baselineRequestsPerMinute, canaryRequestsPerMinute,
                Double.isNaN(totalRequestsPerMinute) ? null : totalRequestsPerMinute,
                Double.isNaN(regressionRate) ? null : regressionRate));
        }

        /**
         * The rules for each field, for a reader that reports every problem at once: a null field is
         * one already reported (or, for the optional ones, absent) and is not checked.
         */
        public static List<Violation> problems(Double baselineRate, Double baselineRequestsPerMinute,
                                               Double canaryRequestsPerMinute, Double totalRequestsPerMinute,
                                               Double regressionRate) {
            List<Violation> violations = new ArrayList<>();
            if (baselineRate != null && !(baselineRate >= 0 && baselineRate < 1)) {
                violations.add(new Violation("baselineRate", "must be an error rate of at least 0 and below 1, got " + baselineRate));
            }
            positive(violations, "baselineRequestsPerMinute", baselineRequestsPerMinute);
            positive(violations, "canaryRequestsPerMinute", canaryRequestsPerMinute);
            if (totalRequestsPerMinute != null && !(Double.isFinite(totalRequestsPerMinute)
                && totalRequestsPerMinute >= orZero(baselineRequestsPerMinute) + orZero(canaryRequestsPerMinute))) {
                violations.add(new Violation("totalRequestsPerMinute", "must be at least the baseline's and the canary's"
                    + " requests a minute together, got " + totalRequestsPerMinute));
            }
            if (regressionRate != null && !(regressionRate >= 0 && regressionRate <= 1)) {
                violations.add(new Violation("regressionRate", "must be an error rate between 0 and 1, got " + regressionRate));
            }
            return violations;
        }

        private static double orZero(Double v) {
            return v == null ? 0 : v;
        }
    }

    /**
     * @param baseline a baseline sample of the metric, one value a point, at least 10 values
     * @param baselinePointsPerMinute the baseline's points a minute, above 0
     * @param canaryPointsPerMinute the canary's points a minute, above 0
     */
    public record PointTraffic(double[] baseline, double baselinePointsPerMinute, double canaryPointsPerMinute)
        implements Traffic {

        /** The fewest baseline values whose spread the planner trusts. */
        public static final int MIN_SAMPLE = 10;

        /** @throws InvalidInputException naming each bad field as the JSON request spells it */
        public PointTraffic {
            Objects.requireNonNull(baseline, "baseline");
            baseline = baseline.clone();
            InvalidInputException.throwIfAny(problems(baseline, baselinePointsPerMinute, canaryPointsPerMinute));
        }

        /** The rules for each field, as {@link RateTraffic#problems}: a null field is not checked. */
        public static List<Violation> problems(double[] baseline, Double baselinePointsPerMinute, Double canaryPointsPerMinute) {
            List<Violation> violations = new ArrayList<>();
            if (baseline != null && baseline.length < MIN_SAMPLE) {
                violations.add(new Violation("baselineSample", "needs at least " + MIN_SAMPLE
                    + " values to show the metric's spread, got " + baseline.length));
            }
            for (int i = 0; baseline != null && i < baseline.length; i++) {
                if (!Double.isFinite(baseline[i])) {
                    violations.add(new Violation("baselineSample/" + i, "must be a finite number, got " + baseline[i]));
                }
            }
            positive(violations, "baselinePointsPerMinute", baselinePointsPerMinute);
            positive(violations, "canaryPointsPerMinute", canaryPointsPerMinute);
            return violations;
        }

        @Override
        public double[] baseline() {
            return baseline.clone();
        }
    }

    /** @throws InvalidInputException when the traffic does not fit the metric's type or a number is out of range */
    public PlanRequest {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(traffic, "traffic");
        List<Violation> violations = problems(metric.type(), traffic instanceof RateTraffic, confidence, minutesBetweenLooks);
        boolean relative = metric.bands().stream().anyMatch(b -> b.scale() == EffectScale.RELATIVE);
        if (relative && traffic instanceof PointTraffic points && Arrays.stream(points.baseline).anyMatch(v -> !(v > 0))) {
            violations.add(new Violation("baselineSample", "relative and ratio bands need values above zero;"
                + " use an absolute band for this metric"));
        }
        InvalidInputException.throwIfAny(violations);
    }

    /**
     * The rules for the request's own fields, as {@link RateTraffic#problems}: a null field is not checked.
     *
     * @param type the metric's type
     * @param rateForm whether the traffic is given as requests and a baseline rate (else as points and a sample)
     */
    public static List<Violation> problems(MetricType type, boolean rateForm, Double confidence, Double minutesBetweenLooks) {
        List<Violation> violations = new ArrayList<>();
        if (confidence != null && !Confidence.isValid(confidence)) {
            violations.add(new Violation("confidence", Confidence.RANGE_MESSAGE + ", got " + confidence));
        }
        if (minutesBetweenLooks != null && !(minutesBetweenLooks > 0 && minutesBetweenLooks <= MAX_MINUTES)) {
            violations.add(new Violation("minutesBetweenLooks", "must be above 0 and at most " + (int) MAX_MINUTES
                + " (the planner looks a day ahead), got " + minutesBetweenLooks));
        }
        if (type != null && rateForm && type != MetricType.RATE) {
            violations.add(new Violation("metric/type", "a plan from requests and a baseline rate needs a rate metric"));
        }
        if (type != null && !rateForm && type != MetricType.CONTINUOUS) {
            violations.add(new Violation("metric/type", "a plan from a baseline sample needs a continuous metric"));
        }
        return violations;
    }

    private static void positive(List<Violation> violations, String field, Double value) {
        if (value != null && !(Double.isFinite(value) && value > 0)) {
            violations.add(new Violation(field, "must be a number above 0, got " + value));
        }
    }
}
