package org.canaryjudge.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.canaryjudge.decision.Judge;
import org.canaryjudge.model.Band;
import org.canaryjudge.model.Correlation;
import org.canaryjudge.model.Direction;
import org.canaryjudge.model.Effect;
import org.canaryjudge.model.JudgeRequest;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.MetricOutcome;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.Mode;
import org.canaryjudge.model.SampleSummary;
import org.canaryjudge.model.Series;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract's reference behaviour against golden values from R 4.2's {@code wilcox.test}
 * (made by {@code src/test/r/wilcox-golden.R}).
 */
class WilcoxGoldenTest {

    record Case(String name, double confidence, boolean exact, double estimate, double lower, double upper,
                double pValue, double[] canary, double[] baseline) {
        @Override
        public String toString() {
            return name;
        }

        /** R's interval ends come from uniroot with tol = 1e-13 × the largest |difference|. */
        double rootTolerance() {
            double scale = 0;
            for (double x : canary) {
                for (double y : baseline) {
                    scale = Math.max(scale, Math.abs(x - y));
                }
            }
            return 1e-12 * scale;
        }
    }

    static List<Case> cases() throws IOException {
        try (var in = WilcoxGoldenTest.class.getResourceAsStream("/golden/wilcox.csv");
             var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<Case> cases = new ArrayList<>();
            reader.readLine();
            for (String line; (line = reader.readLine()) != null; ) {
                String[] f = line.split(",");
                cases.add(new Case(f[0], Double.parseDouble(f[1]), f[2].equals("TRUE"), Double.parseDouble(f[3]),
                    Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]), values(f[7]),
                    values(f[8])));
            }
            return cases;
        }
    }

    private static double[] values(String field) {
        return Stream.of(field.split(" ")).mapToDouble(Double::parseDouble).toArray();
    }

    @Test
    void goldenFileCoversTheRequiredGround() throws IOException {
        List<Case> cases = cases();
        assertTrue(cases.size() >= 40, "at least 40 cases");
        assertTrue(cases.stream().anyMatch(Case::exact) && cases.stream().anyMatch(c -> !c.exact()));
        assertTrue(cases.stream().mapToInt(c -> Math.max(c.canary().length, c.baseline().length)).max().getAsInt() >= 300);
        assertTrue(cases.stream().mapToInt(c -> Math.min(c.canary().length, c.baseline().length)).min().getAsInt() <= 3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void hodgesLehmannMatchesR(Case c) {
        HodgesLehmannInterval hl = HodgesLehmannInterval.of(c.canary(), c.baseline(), c.confidence(), 1);
        assertEquals(c.exact() ? HodgesLehmannInterval.Method.EXACT : HodgesLehmannInterval.Method.ASYMPTOTIC,
            hl.method());
        assertClose(c.estimate(), hl.estimate(), 0, "estimate");
        double tol = c.exact() ? 0 : c.rootTolerance();
        assertClose(c.lower(), hl.lower(), tol, "lower");
        assertClose(c.upper(), hl.upper(), tol, "upper");
        assertClose(c.pValue(), MannWhitneyPValue.twoSided(c.canary(), c.baseline(), 1), 0, "p-value");
    }

    /** The same through the whole judge: fixed mode, absolute band, correlation ignore, direction either. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void judgeReportsTheReferenceBehaviour(Case c) {
        MetricSpec spec = MetricSpec.builder("m").direction(Direction.EITHER).hold(Band.absolute(1))
            .correlation(Correlation.IGNORE).minSamples(1).build();
        JudgeRequest request = new JudgeRequest(null, Mode.FIXED, c.confidence(),
            List.of(new Metric(spec, Series.of(c.baseline()), Series.of(c.canary()))));
        MetricOutcome outcome = new Judge().judge(request).metrics().get(0);
        Effect effect = outcome.effect().orElseThrow();
        double tol = c.exact() ? 0 : c.rootTolerance();
        assertClose(c.estimate(), effect.estimate(), 0, "estimate");
        assertClose(c.lower(), effect.interval().lower(), tol, "lower");
        assertClose(c.upper(), effect.interval().upper(), tol, "upper");
        assertClose(c.pValue(), outcome.pValue(), 0, "p-value");
        SampleSummary canary = (SampleSummary) outcome.canary();
        SampleSummary baseline = (SampleSummary) outcome.baseline();
        assertEquals(c.canary().length, canary.n());
        assertEquals(Arrays.stream(c.baseline()).average().getAsDouble(), baseline.mean(), 1e-9 * Math.abs(baseline.mean()));
    }

    /** The contract's bar: 1e-6 relative, plus R's own root-finding tolerance where it used one. */
    private static void assertClose(double expected, double actual, double absolute, String what) {
        double allowed = 1e-6 * Math.abs(expected) + absolute;
        assertTrue(Math.abs(expected - actual) <= allowed,
            what + ": expected " + expected + " but was " + actual + " (allowed ±" + allowed + ")");
    }
}
