package org.canaryjudge.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.canaryjudge.model.Verdict;
import org.junit.jupiter.api.Test;

/**
 * A fast statistical check in the suite: a few hundred rollouts per scenario must keep the
 * sequential mode's simultaneous coverage near 95 %, never promote a harmful canary and never roll
 * back a healthy one. The full calibration is {@code canary-judge simulate} (docs/calibration.md).
 */
class CalibrationTest {

    private static final int ROLLOUTS = 300;

    @Test
    void sequentialModeKeepsItsCoverageOverTwelveLooks() {
        List<Scenario> scenarios = new ArrayList<>();
        scenarios.add(Scenarios.autoregressive(0).get(0));
        scenarios.add(Scenarios.autoregressive(0.5).get(0));
        scenarios.add(Scenarios.lognormal().get(0));
        scenarios.add(Scenarios.rateRatio(0.01, 0.05).get(0));
        scenarios.add(Scenarios.rateDifference().get(0));
        List<ScenarioResult> results = new Simulator(ROLLOUTS, 12, 0.95, 20261126L).run(scenarios);
        for (ScenarioResult r : results) {
            if (r.method() == Method.SEQUENTIAL) {
                // 95 % less three Monte-Carlo standard errors (about 0.013 at 300 rollouts).
                double floor = 0.95 - 3 * Math.sqrt(0.95 * 0.05 / ROLLOUTS);
                assertTrue(r.finalCoverage() >= floor, r.scenario() + ": coverage " + r.finalCoverage());
                assertEquals(0, r.finalFalseRollback(), r.scenario());
            }
        }
        double fixedAA = coverage(results, "ar1-phi0.0-aa", Method.FIXED);
        double sequentialAA = coverage(results, "ar1-phi0.0-aa", Method.SEQUENTIAL);
        assertTrue(fixedAA < sequentialAA - 0.05, "re-running a fixed interval at every look loses coverage: "
            + fixedAA + " vs " + sequentialAA);
    }

    @Test
    void harmfulCanariesAreNeverPromotedAndSparseOnesNeverPass() {
        List<Scenario> scenarios = new ArrayList<>(Scenarios.rateRatio(0.001, 0.01));
        scenarios.add(Scenarios.autoregressive(0.3).get(2));
        scenarios.add(Scenarios.rateDifference().get(3));
        for (ScenarioResult r : new Simulator(100, 12, 0.95, 7).run(scenarios)) {
            if (r.method() != Method.KAYENTA_LIKE && (r.harmful() || r.scenario().startsWith("rate0.1%-share1%"))) {
                assertEquals(0, r.finalFalsePromote(), r.scenario() + " " + r.method());
            }
            if (r.method() == Method.SEQUENTIAL && r.scenario().startsWith("rate0.1%-share1%")) {
                assertEquals(0, r.correct()[11] * (r.expected() == Verdict.PROMOTE ? 1 : 0), "sparse: no promote");
            }
        }
    }

    private static double coverage(List<ScenarioResult> results, String scenario, Method method) {
        return results.stream().filter(r -> r.scenario().equals(scenario) && r.method() == method)
            .findFirst().orElseThrow().finalCoverage();
    }
}
