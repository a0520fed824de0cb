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

    @Test
    void independentAndAlternatingSeriesAreNotInflated() {
        assertEquals(0, SerialCorrelation.lag1(ar1(new SplittableRandom(2), 20_000, 0)), 0.02);
        double[] alternating = new double[100];
        for (int i = 0; i < alternating.length; i++) {
            alternating[i] = i % 2;
        }
        assertEquals(0, SerialCorrelation.lag1(alternating), "negative correlation counts as none");
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
