package org.canaryjudge.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Deterministic input data for the benchmarks. */
final class BenchData {

    private BenchData() {
    }

    /**
     * One-minute latency points: lognormal around {@code median} with log-scale standard deviation
     * {@code sigma} and lag-1 autocorrelation {@code phi} on the log scale (a log-AR(1) series).
     */
    static double[] latencies(long seed, int n, double median, double sigma, double phi) {
        SplittableRandom random = new SplittableRandom(seed);
        double innovation = Math.sqrt(1 - phi * phi);
        double z = gaussian(random);
        double[] v = new double[n];
        for (int t = 0; t < n; t++) {
            if (t > 0) {
                z = phi * z + innovation * gaussian(random);
            }
            v[t] = median * Math.exp(sigma * z);
        }
        return v;
    }

    /** Independent normal values with the given mean and unit standard deviation. */
    static double[] normal(long seed, int n, double mean) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = mean + gaussian(random);
        }
        return v;
    }

    /** @return x followed by y */
    static double[] pooled(double[] x, double[] y) {
        double[] p = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, p, x.length, y.length);
        return p;
    }

    /** @throws IllegalStateException when any value of the pooled sample repeats */
    static void requireNoTies(double[] x, double[] y) {
        double[] p = pooled(x, y);
        Arrays.sort(p);
        for (int i = 1; i < p.length; i++) {
            if (p[i] == p[i - 1]) {
                throw new IllegalStateException("the benchmark data has a tie at " + p[i]);
            }
        }
    }

    /** Standard normal by Box–Muller (SplittableRandom has no nextGaussian on Java 17). */
    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double w = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w);
    }
}
