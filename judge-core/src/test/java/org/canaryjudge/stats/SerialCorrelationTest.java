package org.canaryjudge.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SerialCorrelationTest {

    @Test
    void recoversTheCoefficientOfALongAr1Series() {
        for (double phi : new double[] {0.3, 0.5, 0.8}) {
            double estimate = SerialCorrelation.lag1(ar1(new SplittableRandom(1), 20_000, phi));
            // Ranks of a Gaussian AR(1) have lag-1 correlation (6/π)·asin(φ/2), slightly below φ.
            double expected = 6 / Math.PI * Math.asin(phi / 2);
            assertEquals(expected, estimate, 0.02, "phi=" + phi);
        }
    }

    /** At φ = 0.8 the raw estimate from 60 points is about 0.07 too low; the corrected one is not. */
    @Test
    void theCorrectedEstimateIsNotBiasedLowForShortStronglyCorrelatedSeries() {
        double target = 6 / Math.PI * Math.asin(0.4);
        SplittableRandom random = new SplittableRandom(3);
        double raw = 0;
        double corrected = 0;
        int series = 4000;
        for (int i = 0; i < series; i++) {
            double[] v = ar1(random, 60, 0.8);
            raw += SerialCorrelation.lag1(v) / series;
            corrected += SerialCorrelation.biasCorrectedLag1(v) / series;
        }
        assertTrue(raw < target - 0.05, "the raw estimate is biased low: " + raw + " vs " + target);
        assertEquals(target, corrected, 0.02, "corrected");
    }

    @Test
    void theInflationOnlyEverGrowsOverTheRawEstimate() {
        SplittableRandom random = new SplittableRandom(4);
        for (int n : new int[] {5, 10, 30, 60}) {
            for (int i = 0; i < 200; i++) {
                double[] v = ar1(random, n, i % 3 * 0.4);
                double raw = SerialCorrelation.inflation(SerialCorrelation.lag1(v));
                assertTrue(SerialCorrelation.twoSampleInflation(v) >= raw, "n=" + n);
                assertTrue(SerialCorrelation.twoSampleInflation(v) >= 1);
            }
        }
    }

    @Test
    void independentAndAlternatingSeriesAreNotInflated() {
        assertEquals(0, SerialCorrelation.lag1(ar1(new SplittableRandom(2), 20_000, 0)), 0.02);
        double[] alternating = new double[100];
        for (int i = 0; i < alternating.length; i++) {
            alternating[i] = i % 2;
        }
        assertEquals(0, SerialCorrelation.lag1(alternating), "negative correlation counts as none");
        assertEquals(1, SerialCorrelation.twoSampleInflation(alternating), "also after the bias correction");
        assertEquals(0, SerialCorrelation.lag1(new double[] {4, 4, 4, 4}));
        assertEquals(0, SerialCorrelation.lag1(new double[] {1, 2}));
    }

    @Test
    void inflationIsTheAr1VarianceFactor() {
        assertEquals(1, SerialCorrelation.inflation(0));
        assertEquals(3, SerialCorrelation.inflation(0.5), 1e-12);
        double[] trend = new double[50];
        for (int i = 0; i < trend.length; i++) {
            trend[i] = i;
        }
        double f = SerialCorrelation.twoSampleInflation(trend);
        assertTrue(f > 10 && Double.isFinite(f), "a trend carries little independent information: " + f);
    }

    static double[] ar1(SplittableRandom random, int n, double phi) {
        double[] v = new double[n];
        double prev = 0;
        for (int i = 0; i < n; i++) {
            double gauss = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
            prev = phi * prev + Math.sqrt(1 - phi * phi) * gauss;
            v[i] = prev;
        }
        return v;
    }
}
