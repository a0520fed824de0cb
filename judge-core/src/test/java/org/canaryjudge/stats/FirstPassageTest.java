package org.canaryjudge.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The first-passage median against closed forms and a direct simulation of the walk. */
class FirstPassageTest {

    @Test
    void aRegionHoldingHalfTheFirstStepStopsHalfTheWalksAtOnce() {
        OptionalDouble median = FirstPassage.medianLook(0, 0, 100, k -> new double[] {Double.NEGATIVE_INFINITY, 0});
        assertEquals(1.0, median.orElseThrow());
    }

    /**
     * A constant level a for S: by reflection P(max S ≥ a by n) = 2(1 − Φ(a/√n)), and a walk watched
     * at whole steps overshoots by about 0.583 (Siegmund 1985, <i>Sequential Analysis</i>, §X.3),
     * so the median is ((a + 0.583) / Φ⁻¹(¾))². The grouped integration (a day of looks) must agree too.
     */
    @Test
    void aConstantLevelIsReachedWhenReflectionSaysSo() {
        for (double a : new double[] {5, 10, 20}) {
            double expected = Math.pow((a + 0.583) / 0.6744897501960817, 2);
            OptionalDouble median = FirstPassage.medianLook(0, 0, 20_000, k -> new double[] {a / Math.sqrt(k), Double.POSITIVE_INFINITY});
            assertEquals(expected, median.orElseThrow(), 0.03 * expected, "level " + a);
        }
    }

    @Test
    void aStartPointAndAMovingRegionAgreeWithSimulatedWalks() {
        // Z_k ≤ 3 − 0.2·√k, from a walk already at z = 1 after 10 looks.
        IntFunction<double[]> region = k -> new double[] {Double.NEGATIVE_INFINITY, 3 - 0.2 * Math.sqrt(k)};
        double planned = FirstPassage.medianLook(10, 1, 2_000, region).orElseThrow() - 10;
        SplittableRandom random = new SplittableRandom(11);
        int walks = 4_000;
        int[] more = new int[walks];
        for (int w = 0; w < walks; w++) {
            double s = Math.sqrt(10);
            int k = 10;
            while (true) {
                k++;
                s += random.nextGaussian();
                if (s / Math.sqrt(k) <= region.apply(k)[1] || k > 2_000) {
                    break;
                }
            }
            more[w] = k - 10;
        }
        Arrays.sort(more);
        double simulated = more[walks / 2];
        assertTrue(Math.abs(planned - simulated) <= Math.max(1, 0.05 * simulated), planned + " against " + simulated);
    }

    @Test
    void aRegionNeverReachedHasNoMedian() {
        assertTrue(FirstPassage.medianLook(0, 0, 500, k -> null).isEmpty());
        assertTrue(FirstPassage.medianLook(0, 0, 500, k -> new double[] {10, Double.POSITIVE_INFINITY}).isEmpty());
    }
}
