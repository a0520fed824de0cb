package org.canaryjudge.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpendingBoundaryTest {

    @Test
    void obrienFlemingTypeMatchesTheReflectionPrinciple() {
        SpendingBoundary b = SpendingBoundary.of(0.05, 0);
        // Constant boundary a for Brownian motion: P(sup B ≥ a on [0, 1]) = 2(1 − Φ(a)) = α/2 per side.
        assertEquals(2.241403, b.intercept(), 1e-6);
        assertEquals(4.482805, b.criticalValue(0.25), 1e-6);
        assertEquals(0.05, b.spent(1), 1e-12);
    }

    @Test
    void aNegativeSlopeSpendsMoreAtTheHorizon() {
        SpendingBoundary tilted = SpendingBoundary.of(0.05, -1);
        assertEquals(3.147, tilted.intercept(), 1e-3);
        assertEquals(2.147, tilted.criticalValue(1), 1e-3);
        assertTrue(tilted.criticalValue(1) < SpendingBoundary.of(0.05, 0).criticalValue(1));
        assertTrue(tilted.criticalValue(0.25) > SpendingBoundary.of(0.05, 0).criticalValue(0.25));
        double previous = 0;
        for (double t = 0.05; t <= 1; t += 0.05) {
            double spent = tilted.spent(t);
            assertTrue(spent > previous && spent <= 0.05 + 1e-12, "spending grows to α: " + t + " " + spent);
            previous = spent;
        }
    }

    /** Irregular looks at a random walk: the boundary holds at all of them with probability ≥ 1 − α. */
    @Test
    void holdsAtIrregularLooksOfARandomWalk() {
        SpendingBoundary b = SpendingBoundary.of(0.05, -1);
        SplittableRandom random = new SplittableRandom(42);
        int steps = 400;
        int trials = 20_000;
        int crossed = 0;
        for (int trial = 0; trial < trials; trial++) {
            double sum = 0;
            for (int i = 1; i <= steps; i++) {
                sum += random.nextBoolean() ? 1 : -1;
                // Look at a random half of the steps, more often late than early.
                if (random.nextDouble() < (double) i / steps) {
                    double t = (double) i / steps;
                    if (Math.abs(sum / Math.sqrt(i)) >= b.criticalValue(t)) {
                        crossed++;
                        break;
                    }
                }
            }
        }
        double rate = (double) crossed / trials;
        assertTrue(rate <= 0.05 && rate > 0.02, "crossing rate " + rate);
    }

    @Test
    void rejectsFractionsOutsideTheHorizon() {
        SpendingBoundary b = SpendingBoundary.of(0.05, 0);
        assertThrows(IllegalArgumentException.class, () -> b.criticalValue(1.01));
        assertThrows(IllegalArgumentException.class, () -> b.criticalValue(0));
        assertThrows(IllegalArgumentException.class, () -> SpendingBoundary.of(0, 0));
    }
}
