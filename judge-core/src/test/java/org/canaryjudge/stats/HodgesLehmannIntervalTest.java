package org.canaryjudge.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HodgesLehmannIntervalTest {

    /** docs/statistics.md §2: k = 9, 95 % interval [−0.15, 0.76], estimate 0.305. */
    @Test
    void statisticsCheckValues() {
        double[] x = {0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
        double[] y = {1.15, 0.88, 0.90, 0.74, 1.21};
        assertEquals(9, new MannWhitneyDistribution(10, 5).quantile(0.025));
        HodgesLehmannInterval hl = HodgesLehmannInterval.of(x, y, 0.95, 1);
        assertEquals(HodgesLehmannInterval.Method.EXACT, hl.method());
        assertEquals(0.305, hl.estimate(), 1e-12);
        assertEquals(-0.15, hl.lower(), 1e-12);
        assertEquals(0.76, hl.upper(), 1e-12);
    }

    @Test
    void identicalConstantSamplesGiveAZeroWidthIntervalAtZero() {
        double[] c = {5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5};
        HodgesLehmannInterval hl = HodgesLehmannInterval.of(c, c, 0.95, 1);
        assertEquals(0, hl.estimate());
        assertEquals(0, hl.lower());
        assertEquals(0, hl.upper());
        assertEquals(1, MannWhitneyPValue.twoSided(c, c, 1));
    }

    @Test
    void differentConstantSamplesGiveTheirDifference() {
        double[] x = {7, 7, 7, 7, 7, 7, 7, 7, 7, 7};
        double[] y = {5, 5, 5, 5, 5, 5, 5, 5, 5, 5};
        HodgesLehmannInterval hl = HodgesLehmannInterval.of(x, y, 0.95, 1);
        assertEquals(2, hl.estimate());
        assertEquals(2, hl.lower());
        assertEquals(2, hl.upper());
        assertTrue(MannWhitneyPValue.twoSided(x, y, 1) < 1e-4);
    }

    @Test
    void varianceInflationWidensTheInterval() {
        double[] x = new double[40];
        double[] y = new double[40];
        for (int i = 0; i < 40; i++) {
            x[i] = Math.sin(i * 1.7) + 0.2;
            y[i] = Math.cos(i * 2.3);
        }
        HodgesLehmannInterval plain = HodgesLehmannInterval.of(x, y, 0.95, 1);
        HodgesLehmannInterval inflated = HodgesLehmannInterval.of(x, y, 0.95, 3);
        assertEquals(plain.estimate(), inflated.estimate());
        assertTrue(inflated.lower() < plain.lower() && inflated.upper() > plain.upper(), inflated + " vs " + plain);
        assertTrue(MannWhitneyPValue.twoSided(x, y, 3) > MannWhitneyPValue.twoSided(x, y, 1));
    }

    @Test
    void rejectsInvalidArguments() {
        double[] x = {1, 2, 3};
        assertThrows(IllegalArgumentException.class, () -> HodgesLehmannInterval.of(x, x, 1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> HodgesLehmannInterval.of(x, x, 0.95, 0.5));
        assertThrows(IllegalArgumentException.class, () -> HodgesLehmannInterval.of(new double[0], x, 0.95, 1));
    }

    /** A critical value no count can reach rejects no shift: the ends are infinite, not the extreme differences. */
    @Test
    void anUnreachableCriticalValueGivesAnUnboundedInterval() {
        double[] x = {1.1, 2.3, 3.2, 4.7, 5.4};
        double[] y = {0.2, 1.4, 2.5, 3.9, 4.1};
        HodgesLehmannInterval wide = HodgesLehmannInterval.withCriticalValue(x, y, 10, 0.95, 1);
        assertEquals(Double.NEGATIVE_INFINITY, wide.lower());
        assertEquals(Double.POSITIVE_INFINITY, wide.upper());
        HodgesLehmannInterval reachable = HodgesLehmannInterval.withCriticalValue(x, y, 1.5, 0.95, 1);
        assertTrue(Double.isFinite(reachable.lower()) && Double.isFinite(reachable.upper()));
    }
}
