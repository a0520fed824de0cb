package org.canaryjudge.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * How one metric is judged: its harmful direction, its bands and its guards. Holds no data, so a
 * server can keep specifications as named configurations and take the data per request.
 */
public final class MetricSpec {

    /** Observations needed on each side when a specification does not say. */
    public static final int DEFAULT_MIN_SAMPLES = 10;

    private final String name;
    private final MetricType type;
    private final Direction direction;
    private final Band hold;
    private final Band rollback;
    private final boolean critical;
    private final double weight;
    private final int minSamples;
    private final Integer minRequests;
    private final Integer horizon;
    private final Double confidence;
    private final Correlation correlation;
    private final Double quantile;
    private final double[] bounds;

    private MetricSpec(Builder b) {
        this.name = b.name;
        this.type = b.type;
        this.direction = b.direction;
        this.hold = b.hold;
        this.rollback = b.rollback;
        this.critical = b.critical;
        this.weight = b.weight;
        this.minSamples = b.minSamples;
        this.minRequests = b.minRequests;
        this.horizon = b.horizon;
        this.confidence = b.confidence;
        this.correlation = b.correlation;
        this.quantile = b.quantile;
        this.bounds = b.bounds;
    }

    /**
     * @param name the metric's name, unique within a request
     * @return a builder with the contract's defaults
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** @return the metric's name */
    public String name() {
        return name;
    }

    /** @return continuous (series of values) or rate (errors out of requests) */
    public MetricType type() {
        return type;
    }

    /** @return which change is harmful */
    public Direction direction() {
        return direction;
    }

    /** @return the band whose breach stops the rollout from advancing, if any */
    public Optional<Band> hold() {
        return Optional.ofNullable(hold);
    }

    /** @return the band whose breach rolls the canary back, if any */
    public Optional<Band> rollback() {
        return Optional.ofNullable(rollback);
    }

    /** @return true when a {@code hold} outcome on this metric escalates to {@code rollback} */
    public boolean critical() {
        return critical;
    }

    /** @return the metric's weight in the score */
    public double weight() {
        return weight;
    }

    /** @return observations needed on each side after missing values are dropped */
    public int minSamples() {
        return minSamples;
    }

    /**
     * @return requests needed on each side of a rate metric, when the spec sets it; otherwise the
     *     judge derives it from the hold band
     */
    public OptionalInt minRequests() {
        return minRequests == null ? OptionalInt.empty() : OptionalInt.of(minRequests);
    }

    /**
     * @return the planned observations per side at the last look (points for a continuous metric,
     *     requests for a rate), which tunes where sequential intervals are tightest; when absent the
     *     judge uses a default
     */
    public OptionalInt horizon() {
        return horizon == null ? OptionalInt.empty() : OptionalInt.of(horizon);
    }

    /** @return the two-sided level of the interval, when the metric sets its own */
    public OptionalDouble confidence() {
        return confidence == null ? OptionalDouble.empty() : OptionalDouble.of(confidence);
    }

    /** @return whether intervals account for serial correlation */
    public Correlation correlation() {
        return correlation;
    }

    /** @return a histogram metric's quantile, such as 0.99; NaN for other metrics */
    public double quantile() {
        return quantile == null ? Double.NaN : quantile;
    }

    /** @return a histogram metric's bucket upper bounds (a copy); empty for other metrics */
    public double[] bounds() {
        return bounds == null ? new double[0] : bounds.clone();
    }

    /** @return the bands given, hold first */
    public List<Band> bands() {
        List<Band> bands = new ArrayList<>(2);
        hold().ifPresent(bands::add);
        rollback().ifPresent(bands::add);
        return bands;
    }

    /**
     * @param planned the planned observations per side at the last look
     * @return this specification with that horizon
     */
    public MetricSpec withHorizon(int planned) {
        return builder(name).type(type).direction(direction).hold(hold).rollback(rollback).critical(critical)
            .weight(weight).minSamples(minSamples).minRequests(minRequests).horizon(planned).confidence(confidence)
            .correlation(correlation).quantile(quantile).bounds(bounds).build();
    }

    @Override
    public String toString() {
        return "MetricSpec[" + name + ", " + type + ", " + direction + ", hold=" + hold + ", rollback=" + rollback + "]";
    }

    /** Builds a {@link MetricSpec}; {@link #build()} reports every invalid field at once. */
    public static final class Builder {
        private final String name;
        private MetricType type = MetricType.CONTINUOUS;
        private Direction direction = Direction.INCREASE;
        private Band hold;
        private Band rollback;
        private boolean critical;
        private double weight = 1;
        private int minSamples = DEFAULT_MIN_SAMPLES;
        private Integer minRequests;
        private Integer horizon;
        private Double confidence;
        private Correlation correlation = Correlation.ADJUST;
        private Double quantile;
        private double[] bounds;

        private Builder(String name) {
            this.name = name;
        }

        public Builder type(MetricType v) {
            this.type = Objects.requireNonNull(v, "type");
            return this;
        }

        public Builder direction(Direction v) {
            this.direction = Objects.requireNonNull(v, "direction");
            return this;
        }

        public Builder hold(Band v) {
            this.hold = v;
            return this;
        }

        public Builder rollback(Band v) {
            this.rollback = v;
            return this;
        }

        public Builder critical(boolean v) {
            this.critical = v;
            return this;
        }

        public Builder weight(double v) {
            this.weight = v;
            return this;
        }

        public Builder minSamples(int v) {
            this.minSamples = v;
            return this;
        }

        /** @param v requests needed on each side of a rate, or null to derive it from the hold band */
        public Builder minRequests(Integer v) {
            this.minRequests = v;
            return this;
        }

        /** @param v planned observations per side at the last look, or null for the default */
        public Builder horizon(Integer v) {
            this.horizon = v;
            return this;
        }

        /** @param v two-sided level in (0.5, 1), or null to use the request's */
        public Builder confidence(Double v) {
            this.confidence = v;
            return this;
        }

        public Builder correlation(Correlation v) {
            this.correlation = Objects.requireNonNull(v, "correlation");
            return this;
        }

        /** @param v a histogram metric's quantile in (0, 1), such as 0.99 */
        public Builder quantile(Double v) {
            this.quantile = v;
            return this;
        }

        /** @param v a histogram metric's bucket upper bounds, increasing and above 0; the last bucket is above the last */
        public Builder bounds(double[] v) {
            this.bounds = v == null ? null : v.clone();
            return this;
        }

        private void histogramFields(List<Violation> violations) {
            if (type != MetricType.HISTOGRAM) {
                if (quantile != null) {
                    violations.add(new Violation("quantile", "only a histogram metric has a quantile"));
                }
                if (bounds != null) {
                    violations.add(new Violation("bounds", "only a histogram metric has bucket bounds"));
                }
                return;
            }
            if (quantile == null || !(quantile > 0 && quantile < 1)) {
                violations.add(new Violation("quantile", "is required: the quantile to judge, above 0 and below 1 (0.99 for p99)"
                    + (quantile == null ? "" : ", got " + quantile)));
            }
            if (bounds == null || bounds.length == 0) {
                violations.add(new Violation("bounds", "is required: the buckets' upper bounds, increasing, such as"
                    + " [0.05, 0.1, 0.25, 0.5, 1]"));
                return;
            }
            for (int i = 0; i < bounds.length; i++) {
                if (!(Double.isFinite(bounds[i]) && bounds[i] > 0) || i > 0 && !(bounds[i] > bounds[i - 1])) {
                    violations.add(new Violation("bounds/" + i, "must be finite, above 0 and above the bound before it, got "
                        + bounds[i]));
                }
            }
        }

        /**
         * @return the specification
         * @throws InvalidInputException listing every invalid field, by field name
         */
        public MetricSpec build() {
            List<Violation> violations = new ArrayList<>();
            if (name == null || name.isBlank()) {
                violations.add(new Violation("name", "is required and must not be blank"));
            }
            if (hold == null && rollback == null) {
                violations.add(new Violation("", "needs at least one of the bands 'hold' and 'rollback'"));
            }
            if (hold != null && rollback != null && hold.scale() == rollback.scale()
                && !rollback.allowed(direction).contains(hold.allowed(direction))) {
                violations.add(new Violation("rollback",
                    "the rollback band must not be tighter than the hold band on the same scale"));
            }
            if (!(Double.isFinite(weight) && weight > 0)) {
                violations.add(new Violation("weight", "must be a number above 0, got " + weight));
            }
            if (minSamples < 1) {
                violations.add(new Violation("minSamples", "must be at least 1, got " + minSamples));
            }
            if (minRequests != null && minRequests < 1) {
                violations.add(new Violation("minRequests", "must be at least 1, got " + minRequests));
            }
            if (horizon != null && horizon < 2) {
                violations.add(new Violation("horizon", "must be at least 2, got " + horizon));
            }
            if (confidence != null && !Confidence.isValid(confidence)) {
                violations.add(new Violation("confidence", Confidence.RANGE_MESSAGE + ", got " + confidence));
            }
            histogramFields(violations);
            InvalidInputException.throwIfAny(violations);
            return new MetricSpec(this);
        }
    }
}
