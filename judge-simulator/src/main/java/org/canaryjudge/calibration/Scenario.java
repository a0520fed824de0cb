package org.canaryjudge.calibration;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.statistics.distribution.BinomialDistribution;
import org.apache.commons.statistics.distribution.DiscreteDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.canaryjudge.model.Counts;
import org.canaryjudge.model.Histogram;
import org.canaryjudge.model.Interval;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.MetricData;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.Series;
import org.canaryjudge.model.Stage;
import org.canaryjudge.model.TrafficSplit;
import org.canaryjudge.model.Verdict;

/**
 * A family of synthetic rollouts whose true effect is known.
 *
 * @param name short identifier, e.g. {@code ar1-phi0.5-between}
 * @param group what is varied, for tables: {@code continuous} or {@code rate}
 * @param spec the metric specification (its hold band's scale is the effect's)
 * @param trueEffect the true effect on the hold band's scale, from look {@code onset} on
 * @param onset the first look at which the canary differs from the baseline: 1 for a canary that
 *     is what it is from the start; later for a late onset or a drift, which is healthy (A/A)
 *     before, so that a rollback there is false, and whose intervals have no single truth to cover
 * @param source makes one rollout from a random stream and the number of looks
 * @param splitMismatch whether the canary gets another share of traffic than its rollouts check for:
 *     then the right verdict is hold whatever the metric shows, and a promote is false
 */
public record Scenario(String name, String group, MetricSpec spec, double trueEffect, int onset,
                       BiFunction<SplittableRandom, Integer, Rollout> source, boolean splitMismatch) {

    public Scenario {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(source, "source");
        if (onset < 1) {
            throw new IllegalArgumentException("onset is a look, from 1: " + onset);
        }
    }

    /** A scenario whose effect is there from the first look. */
    public Scenario(String name, String group, MetricSpec spec, double trueEffect,
                    BiFunction<SplittableRandom, Integer, Rollout> source) {
        this(name, group, spec, trueEffect, 1, source, false);
    }

    /** A scenario whose traffic is split as its rollouts expect. */
    public Scenario(String name, String group, MetricSpec spec, double trueEffect, int onset,
                    BiFunction<SplittableRandom, Integer, Rollout> source) {
        this(name, group, spec, trueEffect, onset, source, false);
    }

    /** @return true when every look's data share one true effect, so coverage is defined */
    public boolean stationary() {
        return onset == 1;
    }

    /** @return the right decision: promote inside the hold band, rollback beyond the rollback band, else hold */
    public Verdict expected() {
        if (splitMismatch) {
            return Verdict.HOLD;
        }
        if (spec.rollback().isPresent() && !allowedByRollback().contains(trueEffect)) {
            return Verdict.ROLLBACK;
        }
        return allowedByHold().contains(trueEffect) ? Verdict.PROMOTE : Verdict.HOLD;
    }

    /** @return true when the true harm is at or beyond the hold band (so a promote is false) */
    public boolean harmful() {
        if (splitMismatch) {
            return true;
        }
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
     * Independent lognormal latencies (log-sd σ around e<sup>mean</sup>): the canary equals the
     * baseline in distribution for the first {@code (onset − 1)·pointsPerLook} points, then its log
     * shifts by {@code logShift} at once (a step) or, with {@code drift}, by {@code logShift} times
     * the share of the remaining points elapsed (a slow drift, such as a leak, reaching
     * {@code logShift} at the last point). With {@code staged} each look tells the judge of the
     * stage that began at the onset.
     */
    static BiFunction<SplittableRandom, Integer, Rollout> lateOnset(double mean, double sigma, double logShift, int onset,
                                                                     boolean drift, boolean staged, int pointsPerLook,
                                                                     MetricSpec spec) {
        return (random, looks) -> {
            int n = looks * pointsPerLook;
            int start = (onset - 1) * pointsPerLook;
            double[] base = ar1(random, n, 0, sigma);
            double[] canary = ar1(random, n, 0, sigma);
            for (int i = 0; i < n; i++) {
                double shift = i < start ? 0 : drift ? logShift * (i - start + 1) / (n - start) : logShift;
                base[i] = Math.exp(mean + base[i]);
                canary[i] = Math.exp(mean + shift + canary[i]);
            }
            Stage stage = staged ? new Stage("late", start) : null;
            return new Rollout() {
                @Override
                public Metric at(int look) {
                    return new Metric(spec, Series.of(Arrays.copyOf(base, look * pointsPerLook)),
                        Series.of(Arrays.copyOf(canary, look * pointsPerLook)));
                }

                @Override
                public Stage stage(int look) {
                    return look >= onset ? stage : null;
                }
            };
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

    /**
     * Requests counted into latency buckets, {@code requestsPerLook} a side at each look: lognormal
     * latencies (log-sd σ around e<sup>mean</sup>), the canary sending a share {@code slowShare} of
     * its requests {@code slowFactor} times slower.
     */
    static BiFunction<SplittableRandom, Integer, Rollout> histogram(double mean, double sigma, double slowShare,
                                                                     double slowFactor, int requestsPerLook, MetricSpec spec) {
        double[] bounds = spec.bounds();
        return (random, looks) -> {
            long[][] base = new long[looks][];
            long[][] canary = new long[looks][];
            for (int look = 0; look < looks; look++) {
                base[look] = buckets(random, requestsPerLook, mean, sigma, 0, slowFactor, bounds);
                canary[look] = buckets(random, requestsPerLook, mean, sigma, slowShare, slowFactor, bounds);
            }
            return look -> new Metric(spec, new MetricData.Histograms(Histogram.of(Arrays.copyOf(base, look), bounds.length + 1),
                Histogram.of(Arrays.copyOf(canary, look), bounds.length + 1)));
        };
    }

    private static long[] buckets(SplittableRandom random, int requests, double mean, double sigma, double slowShare,
                                  double slowFactor, double[] bounds) {
        long[] counts = new long[bounds.length + 1];
        for (int i = 0; i < requests; i++) {
            double z = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
            double v = Math.exp(mean + sigma * z) * (random.nextDouble() < slowShare ? slowFactor : 1);
            int j = Arrays.binarySearch(bounds, v);
            counts[j >= 0 ? j : -j - 1]++;
        }
        return counts;
    }

    /**
     * @return the true ratio of the canary's q-quantile to the baseline's for {@link #histogram}:
     *     the mixture's quantile, solved by bisection, over the lognormal's
     */
    static double quantileRatio(double q, double sigma, double slowShare, double slowFactor) {
        NormalDistribution normal = NormalDistribution.of(0, 1);
        double baseline = Math.exp(sigma * normal.inverseCumulativeProbability(q));
        double low = baseline;
        double high = baseline * slowFactor;
        for (int i = 0; i < 200; i++) {
            double x = (low + high) / 2;
            double above = (1 - slowShare) * normal.survivalProbability(Math.log(x) / sigma)
                + slowShare * normal.survivalProbability(Math.log(x / slowFactor) / sigma);
            if (above > 1 - q) {
                low = x;
            } else {
                high = x;
            }
        }
        return (low + high) / 2 / baseline;
    }

    /**
     * Errors out of requests per one-minute look, the canary's requests drawn binomially from
     * {@code requestsPerMinute} at {@code actualShare}, while each look checks the split against
     * {@code intendedShare}; errors binomial at {@code errorRate} on both sides.
     */
    static BiFunction<SplittableRandom, Integer, Rollout> split(int requestsPerMinute, double actualShare,
                                                                 double intendedShare, double errorRate, MetricSpec spec) {
        TrafficSplit check = new TrafficSplit(intendedShare, spec.name());
        return (random, looks) -> {
            UniformRandomProvider rng = random::nextLong;
            DiscreteDistribution.Sampler canaryShare = BinomialDistribution.of(requestsPerMinute, actualShare).createSampler(rng);
            long[][] e = new long[2][looks];
            long[][] n = new long[2][looks];
            for (int i = 0; i < looks; i++) {
                n[1][i] = canaryShare.sample();
                n[0][i] = requestsPerMinute - n[1][i];
                for (int side = 0; side < 2; side++) {
                    e[side][i] = BinomialDistribution.of((int) n[side][i], errorRate).createSampler(rng).sample();
                }
            }
            return new Rollout() {
                @Override
                public Metric at(int look) {
                    return new Metric(spec, Counts.of(Arrays.copyOf(e[0], look), Arrays.copyOf(n[0], look)),
                        Counts.of(Arrays.copyOf(e[1], look), Arrays.copyOf(n[1], look)));
                }

                @Override
                public TrafficSplit traffic() {
                    return check;
                }
            };
        };
    }
}
