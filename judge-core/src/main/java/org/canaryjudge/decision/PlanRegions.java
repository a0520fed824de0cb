package org.canaryjudge.decision;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.canaryjudge.model.Band;
import org.canaryjudge.model.Correlation;
import org.canaryjudge.model.EffectScale;
import org.canaryjudge.model.Interval;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.stats.HodgesLehmannInterval;
import org.canaryjudge.stats.SerialCorrelation;

/**
 * Where the judge's outcome is reached, look by look, in units of the standardised estimate
 * z = (d̂ − μ) / σ<sub>k</sub> at look k, where μ is the true effect and σ<sub>k</sub> the estimate's
 * standard error with k looks of data: the regions {@link org.canaryjudge.stats.FirstPassage} walks into.
 */
interface PlanRegions {

    /** @return {a, b}: the judge says {@code pass} at this look when z ∈ [a, b]; null when it cannot */
    double[] pass(int look);

    /** @return {a, b}: the judge says {@code rollback} at this look when z ∈ [a, b]; null when it cannot */
    double[] rollback(int look);

    /** The band a regression is timed against: the rollback band, or a critical metric's hold band. */
    static Optional<Band> rollbackLine(MetricSpec spec) {
        return spec.rollback().or(() -> spec.critical() ? spec.hold() : Optional.empty());
    }

    /**
     * A rate metric at steady traffic. At look k each side has N = requests per look × k; the estimate
     * d̂ = p̂<sub>c</sub> − p̂<sub>b</sub> has σ² = p<sub>c</sub>(1 − p<sub>c</sub>)/N<sub>c</sub> +
     * p<sub>b</sub>(1 − p<sub>b</sub>)/N<sub>b</sub>, and a deviation z·σ falls on the two sides in
     * proportion to their variances (its most likely split). Whether the judge's own interval
     * ({@link RateMetricJudge#interval}, on each band's scale) at the counts of that deviation
     * (rounded to whole errors) reaches the outcome is found by bisection over z; the guard
     * ({@link RateMetricJudge#minRequests}) closes the region until both sides have enough requests.
     *
     * @param canaryRate the canary's true rate (the baseline's for a healthy canary, the regression's for a rollback)
     */
    record Rate(MetricSpec spec, Level level, double baselineRate, double canaryRate, double baselinePerLook,
                double canaryPerLook) implements PlanRegions {

        @Override
        public double[] pass(int look) {
            return region(look, (ec, nc, eb, nb) -> spec.bands().stream().allMatch(band ->
                band.allowed(spec.direction()).contains(interval(band, ec, nc, eb, nb))));
        }

        @Override
        public double[] rollback(int look) {
            List<Band> lines = spec.critical() ? spec.bands() : spec.rollback().stream().toList();
            return region(look, (ec, nc, eb, nb) -> lines.stream().anyMatch(band ->
                band.allowed(spec.direction()).isDisjointFrom(interval(band, ec, nc, eb, nb))));
        }

        private Interval interval(Band band, long ec, long nc, long eb, long nb) {
            double[] i = RateMetricJudge.interval(spec, band.scale(), ec, nc, eb, nb, level);
            return new Interval(i[0], i[1]);
        }

        private double[] region(int look, Reached reached) {
            long nc = Math.max(1, Math.round(canaryPerLook * look));
            long nb = Math.max(1, Math.round(baselinePerLook * look));
            long needed = RateMetricJudge.minRequests(spec, baselineRate, level);
            if (nc < needed || nb < needed) {
                return null;
            }
            double vc = canaryRate * (1 - canaryRate) / nc;
            double vb = baselineRate * (1 - baselineRate) / nb;
            double sd = Math.sqrt(vc + vb);
            if (sd == 0) {
                // No errors on either side, or errors only: the counts cannot vary.
                return reached.at(errors(canaryRate, nc), nc, errors(baselineRate, nb), nb) ? ALL : null;
            }
            return scan(z -> {
                double shift = z * sd;
                long ec = errors(canaryRate + shift * vc / (vc + vb), nc);
                long eb = errors(baselineRate - shift * vb / (vc + vb), nb);
                return reached.at(ec, nc, eb, nb);
            });
        }

        private static long errors(double rate, long requests) {
            return Math.max(0, Math.min(requests, Math.round(rate * requests)));
        }

        /** Whether the judge reaches the outcome at these counts. */
        private interface Reached {
            boolean at(long ec, long nc, long eb, long nb);
        }
    }

    /**
     * A continuous metric at steady points a minute. The Hodges–Lehmann shift of m canary against n
     * baseline points has σ ≈ σ<sub>0</sub> √((1/m + 1/n) / (2/n<sub>0</sub>)), where σ<sub>0</sub> is
     * a quarter of the width of the judge's own interval at critical value 2 for the baseline sample
     * (n<sub>0</sub> values) against itself (on log values for relative and ratio bands), widened by
     * √F for serial correlation, where F is the inflation the judge will estimate from n baseline
     * points on average ({@link SerialCorrelation#expectedInflation}, at the sample's correlation).
     * The judge's interval is d̂ ± c·σ with the judge's critical value c (fixed, mixture or spending
     * boundary at mn/(m + n)), so with limits
     * [L, U] of a band the metric passes when z ∈ [L/σ + c, U/σ − c] and a shift μ beyond U rolls back
     * when z &gt; (U − μ)/σ + c (below L, z &lt; (L − μ)/σ − c).
     *
     * @param absoluteSd σ<sub>0</sub> of the values
     * @param logSd σ<sub>0</sub> of their logs, NaN when a value is not positive
     * @param sampleSize n<sub>0</sub>
     * @param correlation the sample's lag-1 correlation (bias-corrected), 0 when the metric ignores it
     * @param shift the true shift μ on the rollback band's scale (log ratio for relative and ratio
     *     bands), 0 for a healthy canary
     */
    record Points(MetricSpec spec, Level level, double absoluteSd, double logSd, int sampleSize, double correlation,
                  double baselinePerLook, double canaryPerLook, double shift) implements PlanRegions {

        /** @param sample the baseline sample whose spread the metric is expected to keep */
        static Points of(MetricSpec spec, Level level, double[] sample, double baselinePerLook, double canaryPerLook,
                         double shift) {
            double phi = spec.correlation() == Correlation.ADJUST ? SerialCorrelation.biasCorrectedLag1(sample) : 0;
            boolean positive = Arrays.stream(sample).allMatch(v -> v > 0);
            double logSd = positive ? selfSd(Arrays.stream(sample).map(Math::log).toArray(), level) : Double.NaN;
            return new Points(spec, level, selfSd(sample, level), logSd, sample.length, phi, baselinePerLook, canaryPerLook,
                shift);
        }

        private static double selfSd(double[] y, Level level) {
            HodgesLehmannInterval self = HodgesLehmannInterval.withCriticalValue(y, y, 2, level.confidence(), 1);
            return (self.upper() - self.lower()) / 4;
        }

        @Override
        public double[] pass(int look) {
            double[] n = sizes(look);
            if (n[0] < spec.minSamples() || n[1] < spec.minSamples()) {
                return null;
            }
            double a = Double.NEGATIVE_INFINITY;
            double b = Double.POSITIVE_INFINITY;
            double f = inflation(n);
            double c = critical(n, f);
            for (Band band : spec.bands()) {
                double sd = sd(band.scale(), n, f);
                double[] allowed = limits(band);
                a = Math.max(a, allowed[0] / sd + c);
                b = Math.min(b, allowed[1] / sd - c);
            }
            return a <= b ? new double[] {a, b} : null;
        }

        /**
         * The rollback band (and a critical metric's hold band) once the guard lets the judge decide.
         * The judge's sparse-data rollback (exact intervals below {@code minSamples}, for metrics that
         * declare independent points) is left out: its exact intervals at four to nine points are
         * not the normal law's, and so such a metric may roll back sooner than planned, never later.
         */
        @Override
        public double[] rollback(int look) {
            double[] n = sizes(look);
            Optional<Band> line = rollbackLine(spec);
            if (line.isEmpty() || n[0] < spec.minSamples() || n[1] < spec.minSamples()) {
                return null;
            }
            Band band = line.get();
            double f = inflation(n);
            double c = critical(n, f);
            double sd = sd(band.scale(), n, f);
            double[] allowed = limits(band);
            if (shift > 0) {
                return new double[] {(allowed[1] - shift) / sd + c, Double.POSITIVE_INFINITY};
            }
            return new double[] {Double.NEGATIVE_INFINITY, (allowed[0] - shift) / sd - c};
        }

        /** The inflation the judge will estimate from n baseline points, on average (1 when the metric ignores correlation). */
        private double inflation(double[] n) {
            return spec.correlation() == Correlation.ADJUST ? SerialCorrelation.expectedInflation(correlation, (int) n[1]) : 1;
        }

        /** @return {m, n}: the canary's and the baseline's points by the look */
        private double[] sizes(int look) {
            return new double[] {Math.round(canaryPerLook * look), Math.round(baselinePerLook * look)};
        }

        private double critical(double[] n, double inflation) {
            double points = n[0] * n[1] / (n[0] + n[1]);
            return level.sequential() ? ContinuousMetricJudge.sequentialCriticalValue(spec, level, points, inflation)
                : NormalDistribution.of(0, 1).inverseSurvivalProbability(level.alpha() / 2);
        }

        private double sd(EffectScale scale, double[] n, double inflation) {
            double sd0 = scale == EffectScale.RELATIVE ? logSd : absoluteSd;
            return sd0 * Math.sqrt(inflation * (1 / n[0] + 1 / n[1]) / (2.0 / sampleSize));
        }

        /** The band's allowed effects on the scale the shift is estimated on: e ↦ log(1 + e) for relative and ratio bands. */
        private double[] limits(Band band) {
            Interval allowed = band.allowed(spec.direction());
            if (band.scale() == EffectScale.ABSOLUTE) {
                return new double[] {allowed.lower(), allowed.upper()};
            }
            return new double[] {allowed.lower() <= -1 ? Double.NEGATIVE_INFINITY : Math.log1p(allowed.lower()),
                Math.log1p(allowed.upper())};
        }
    }

    /** Every z: the outcome is reached whatever the data. */
    double[] ALL = {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};

    /** The widest z tried; beyond ±8 standard errors no data are expected. */
    double Z_RANGE = 8;

    /** Whether the outcome is reached at standardised deviation z. */
    interface ZTest {
        boolean at(double z);
    }

    /**
     * The block of z where {@code test} holds nearest to 0: a scan at unit steps over ±{@link #Z_RANGE},
     * then bisection of both ends to 0.01; an end at the range's edge is taken as infinite.
     *
     * @return {a, b}, or null when no z tried reaches the outcome
     */
    static double[] scan(ZTest test) {
        int n = (int) (2 * Z_RANGE) + 1;
        boolean[] at = new boolean[n];
        int best = -1;
        for (int i = 0; i < n; i++) {
            at[i] = test.at(i - Z_RANGE);
            if (at[i] && (best < 0 || Math.abs(i - Z_RANGE) < Math.abs(best - Z_RANGE))) {
                best = i;
            }
        }
        if (best < 0) {
            return null;
        }
        int first = best;
        while (first > 0 && at[first - 1]) {
            first--;
        }
        int last = best;
        while (last < n - 1 && at[last + 1]) {
            last++;
        }
        double a = first == 0 ? Double.NEGATIVE_INFINITY : edge(test, first - 1 - Z_RANGE, first - Z_RANGE);
        double b = last == n - 1 ? Double.POSITIVE_INFINITY : edge(test, last + 1 - Z_RANGE, last - Z_RANGE);
        return new double[] {a, b};
    }

    /** Bisection between a z where the outcome is not reached and one where it is. */
    private static double edge(ZTest test, double outside, double inside) {
        while (Math.abs(outside - inside) > 0.01) {
            double mid = (outside + inside) / 2;
            if (test.at(mid)) {
                inside = mid;
            } else {
                outside = mid;
            }
        }
        return (outside + inside) / 2;
    }
}
