package org.canaryjudge.calibration;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.statistics.distribution.BinomialDistribution;
import org.apache.commons.statistics.distribution.DiscreteDistribution;
import org.canaryjudge.model.Counts;
import org.canaryjudge.model.Interval;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.Series;
import org.canaryjudge.model.Verdict;

/**
 * A family of synthetic rollouts whose true effect is known.
 *
 * @param name short identifier, e.g. {@code ar1-phi0.5-between}
 * @param group what is varied, for tables: {@code continuous} or {@code rate}
 * @param spec the metric specification (its hold band's scale is the effect's)
 * @param trueEffect the true effect on the hold band's scale
 * @param source makes one rollout from a random stream and the number of looks
 */
public record Scenario(String name, String group, MetricSpec spec, double trueEffect,
                       BiFunction<SplittableRandom, Integer, Rollout> source) {

    public Scenario {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(source, "source");
    }

    /** @return the right decision: promote inside the hold band, rollback beyond the rollback band, else hold */
    public Verdict expected() {
        if (spec.rollback().isPresent() && !allowedByRollback().contains(trueEffect)) {
            return Verdict.ROLLBACK;
        }
        return allowedByHold().contains(trueEffect) ? Verdict.PROMOTE : Verdict.HOLD;
    }

    /** @return true when the true harm is at or beyond the hold band (so a promote is false) */
    public boolean harmful() {
        Interval hold = allowedByHold();
        return !(trueEffect > hold.lower() && trueEffect < hold.upper());
    }

    private Interval allowedByHold() {
        return spec.hold().orElseThrow().allowed(spec.direction());
    }

    private Interval allowedByRollback() {
        return spec.rollback().orElseThrow().allowed(spec.direction());
    }

    /**
     * Two independent AR(1) series (Gaussian innovations, stationary variance σ²), the canary's
     * shifted by {@code shift} (on the log scale when {@code logNormal}), {@code pointsPerLook}
     * new points per side at each look.
     */
    static BiFunction<SplittableRandom, Integer, Rollout> series(double mean, double sigma, double phi, double shift,
                                                                  boolean logNormal, int pointsPerLook, MetricSpec spec) {
        return (random, looks) -> {
            int n = looks * pointsPerLook;
            double[] base = ar1(random, n, phi, sigma);
            double[] canary = ar1(random, n, phi, sigma);
            for (int i = 0; i < n; i++) {
                base[i] = logNormal ? Math.exp(mean + base[i]) : mean + base[i];
                canary[i] = logNormal ? Math.exp(mean + shift + canary[i]) : mean + shift + canary[i];
            }
            return look -> new Metric(spec, Series.of(Arrays.copyOf(base, look * pointsPerLook)),
                Series.of(Arrays.copyOf(canary, look * pointsPerLook)));
        };
    }

    /**
     * Errors out of requests per one-minute look: {@code requestsPerMinute} split between the sides
     * by {@code canaryShare}, errors binomial at the baseline's rate and at {@code ratio} times it.
     */
    static BiFunction<SplittableRandom, Integer, Rollout> counts(int requestsPerMinute, double canaryShare,
                                                                  double baselineRate, double canaryRate,
                                                                  MetricSpec spec) {
        int nc = (int) Math.round(requestsPerMinute * canaryShare);
        int nb = requestsPerMinute - nc;
        return (random, looks) -> {
            UniformRandomProvider rng = random::nextLong;
            DiscreteDistribution.Sampler be = BinomialDistribution.of(nb, baselineRate).createSampler(rng);
            DiscreteDistribution.Sampler ce = BinomialDistribution.of(nc, canaryRate).createSampler(rng);
            long[] baseErrors = new long[looks];
            long[] canaryErrors = new long[looks];
            long[] baseRequests = new long[looks];
            long[] canaryRequests = new long[looks];
            for (int i = 0; i < looks; i++) {
                baseErrors[i] = be.sample();
                canaryErrors[i] = ce.sample();
                baseRequests[i] = nb;
                canaryRequests[i] = nc;
            }
            return look -> new Metric(spec,
                Counts.of(Arrays.copyOf(baseErrors, look), Arrays.copyOf(baseRequests, look)),
                Counts.of(Arrays.copyOf(canaryErrors, look), Arrays.copyOf(canaryRequests, look)));
        };
    }

    /** A stationary AR(1) series with marginal standard deviation σ. */
    private static double[] ar1(SplittableRandom random, int n, double phi, double sigma) {
        double[] v = new double[n];
        double innovation = sigma * Math.sqrt(1 - phi * phi);
        double prev = sigma * gaussian(random);
        for (int i = 0; i < n; i++) {
            prev = i == 0 ? prev : phi * prev + innovation * gaussian(random);
            v[i] = prev;
        }
        return v;
    }

    /** A standard normal draw (Box–Muller). */
    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    @Override
    public String toString() {
        return name;
    }
}
