package org.canaryjudge.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rate intervals and confidence sequences: the check values of docs/statistics.md §3–§4, and golden
 * values computed independently with SciPy ({@code src/test/python/rate_golden.py}).
 */
class RateIntervalsTest {

    @Test
    void newcombeCheckValue() {
        double[] d = RateDifferenceInterval.newcombe(35, 10000, 20, 10000, 0.95);
        assertEquals(3.47e-5, d[0], 0.005e-5);
        assertEquals(0.003035, d[1], 0.0000005);
    }

    @Test
    void exactRatioCheckValues() {
        double[] r = RateRatioInterval.exactConditional(35, 10000, 20, 10000, 0.95);
        assertEquals(0.9827, r[0], 0.00005);
        assertEquals(3.1992, r[1], 0.00005);
        double[] sparse = RateRatioInterval.exactConditional(3, 500, 0, 500, 0.95);
        assertEquals(0.413, sparse[0], 0.0005);
        assertEquals(Double.POSITIVE_INFINITY, sparse[1]);
    }

    @Test
    void normalMixtureCheckValues() {
        NormalMixtureBoundary b = NormalMixtureBoundary.tunedFor(100, 0.05);
        assertEquals(12.60056, b.rho(), 0.000005);
        assertEquals(30.35209, b.radius(100), 0.000005);
        assertEquals(30.35209 / 10, b.criticalValue(100), 0.0000005);
        // The anytime p-value at the boundary is α.
        assertEquals(0.05, b.anytimePValue(b.criticalValue(100), 100), 1e-12);
        assertEquals(1, b.anytimePValue(0, 100));
    }

    @Test
    void errorShareCheckValues() {
        assertInterval(-0.00119, 0.82342, new ErrorShareSequence(100, 150, 0.5).logRatio(0.05));
        assertInterval(-0.59619, Double.POSITIVE_INFINITY, new ErrorShareSequence(0, 8, 0.5).logRatio(0.05));
        assertInterval(-0.26636, 1.45182, new ErrorShareSequence(20, 35, 0.5).logRatio(0.05));
        double[] none = new ErrorShareSequence(0, 0, 0.3).logRatio(0.05);
        assertEquals(Double.NEGATIVE_INFINITY, none[0]);
        assertEquals(Double.POSITIVE_INFINITY, none[1]);
        assertEquals(1, new ErrorShareSequence(0, 0, 0.3).pValue());
        assertTrue(new ErrorShareSequence(100, 300, 0.5).pValue() < 1e-10);
    }

    private static void assertInterval(double lower, double upper, double[] actual) {
        assertEquals(lower, actual[0], 0.000005);
        assertEquals(upper, actual[1], 0.000005);
    }

    record Case(String kind, long eb, long nb, long ec, long nc, double confidence, double lower, double upper) {
        @Override
        public String toString() {
            return kind + " " + eb + "/" + nb + " vs " + ec + "/" + nc + " at " + confidence;
        }
    }

    static List<Case> golden() throws IOException {
        try (var in = RateIntervalsTest.class.getResourceAsStream("/golden/rates.csv");
             var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<Case> cases = new ArrayList<>();
            reader.readLine();
            for (String line; (line = reader.readLine()) != null; ) {
                String[] f = line.split(",");
                cases.add(new Case(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Long.parseLong(f[4]), Double.parseDouble(f[5]), parse(f[6]), parse(f[7])));
            }
            return cases;
        }
    }

    private static double parse(String s) {
        return s.equals("inf") ? Double.POSITIVE_INFINITY : s.equals("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("golden")
    void matchesScipy(Case c) {
        double[] actual = switch (c.kind()) {
            case "newcombe" -> RateDifferenceInterval.newcombe(c.ec(), c.nc(), c.eb(), c.nb(), c.confidence());
            case "ratio" -> RateRatioInterval.exactConditional(c.ec(), c.nc(), c.eb(), c.nb(), c.confidence());
            default -> new ErrorShareSequence(c.eb(), c.ec(), (double) c.nc() / (c.nb() + c.nc()))
                .logRatio(1 - c.confidence());
        };
        assertClose(c.lower(), actual[0]);
        assertClose(c.upper(), actual[1]);
    }

    private static void assertClose(double expected, double actual) {
        if (Double.isInfinite(expected)) {
            assertEquals(expected, actual);
        } else {
            assertEquals(expected, actual, 1e-9 * Math.max(1e-3, Math.abs(expected)));
        }
    }
}
