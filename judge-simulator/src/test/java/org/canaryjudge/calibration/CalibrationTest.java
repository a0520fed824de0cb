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

    /**
     * Deciding sooner without giving up the guarantee: over a planned horizon, healthy canaries are
     * promoted nearly as often as by one fixed look at the horizon; a threefold canary with independent
     * points rolls back at its first look (5 points a side); a canary that doubles once its stage
     * widens is never promoted after the change and is rolled back when the judge is told of the stage.
     */
    @Test
    void fasterDecisionsKeepTheGuarantees() {
        List<Scenario> scenarios = new ArrayList<>();
        scenarios.add(Scenarios.lognormal().get(0));
        scenarios.addAll(Scenarios.changes());
        List<ScenarioResult> results = new Simulator(200, 12, 0.95, 20261204L).run(scenarios);
        double promoted = result(results, "lognormal-aa", Method.SEQUENTIAL).finalCorrect();
        double once = result(results, "lognormal-aa", Method.FIXED_ONCE).finalCorrect();
        assertTrue(promoted >= 0.8 * once, "promoted by the horizon " + promoted + " vs one fixed look " + once);
        assertTrue(result(results, "lognormal-3x-independent", Method.SEQUENTIAL).correct()[0] >= 0.9, "3x at look 1");
        ScenarioResult staged = result(results, "late-2x-look7-staged", Method.SEQUENTIAL);
        assertEquals(0, staged.finalFalsePromote(), "no promote after the onset");
        assertEquals(0, staged.finalFalseRollback(), "no rollback before it");
        assertTrue(staged.finalCorrect() >= 0.9, "rolled back through the stage: " + staged.finalCorrect());
        for (ScenarioResult r : results) {
            if (r.method() == Method.SEQUENTIAL) {
                // A drift is counted harmful from its first step, when it is still tiny: the target, not zero.
                assertTrue(r.finalFalsePromote() <= 0.025, r.scenario() + ": false promote " + r.finalFalsePromote());
                assertTrue(r.finalFalseRollback() <= 0.01, r.scenario() + ": false rollback " + r.finalFalseRollback());
            }
        }
    }

    private static ScenarioResult result(List<ScenarioResult> results, String scenario, Method method) {
        return results.stream().filter(r -> r.scenario().equals(scenario) && r.method() == method)
            .findFirst().orElseThrow();
    }

    private static double coverage(List<ScenarioResult> results, String scenario, Method method) {
        return result(results, scenario, method).finalCoverage();
    }

    /**
     * Histogram p99: healthy canaries are not rolled back and their intervals cover; a slow tail is
     * never promoted and is held; a much slower tail is rolled back. The Kayenta-like rule, which
     * rank-tests per-minute quantiles, is reported beside it.
     */
    @Test
    void histogramQuantilesKeepTheGuaranteesAndCatchASlowTail() {
        List<ScenarioResult> results = new Simulator(200, 12, 0.95, 20261205L).run(Scenarios.histograms());
        ScenarioResult aa = result(results, "histogram-p99-aa", Method.SEQUENTIAL);
        assertEquals(0, aa.finalFalseRollback(), "healthy histograms rolled back");
        assertTrue(aa.finalCoverage() >= 0.95, "coverage " + aa.finalCoverage());
        ScenarioResult tail = result(results, "histogram-p99-4pct-3x", Method.SEQUENTIAL);
        assertEquals(0, tail.finalFalsePromote(), "a slow tail promoted");
        assertTrue(tail.finalCorrect() >= 0.9, "a slow tail held at look 12 in " + tail.finalCorrect());
        ScenarioResult worse = result(results, "histogram-p99-10pct-5x", Method.SEQUENTIAL);
        assertTrue(worse.finalCorrect() >= 0.9, "a much slower tail rolled back by look 12 in " + worse.finalCorrect());
        for (ScenarioResult r : results) {
            System.out.printf(java.util.Locale.ROOT, "calibration %s %s: correct %.3f false promote %.3f false rollback %.3f%n",
                r.scenario(), r.method(), r.finalCorrect(), r.finalFalsePromote(), r.finalFalseRollback());
        }
    }

    /** A canary that gets 2 % of the traffic where 5 % is meant is held, never promoted; one that gets its 5 % is promoted. */
    @Test
    void aMismatchedSplitIsHeldAndACorrectOneIsNot() {
        List<ScenarioResult> results = new Simulator(200, 12, 0.95, 20261206L).run(Scenarios.trafficSplits());
        ScenarioResult wrong = result(results, "split-2pct-meant-5pct", Method.SEQUENTIAL);
        assertEquals(0, wrong.finalFalsePromote(), "a mismatched split promoted");
        assertTrue(wrong.correct()[2] >= 0.95, "held for the mismatch within 3 looks in " + wrong.correct()[2]);
        ScenarioResult right = result(results, "split-5pct-as-meant", Method.SEQUENTIAL);
        assertEquals(0, right.finalFalseRollback());
        assertTrue(right.finalCorrect() >= 0.9, "a correct split promoted by look 12 in " + right.finalCorrect());
        assertTrue(result(results, "split-2pct-meant-5pct", Method.KAYENTA_LIKE).finalFalsePromote() > 0.9,
            "a rule without the check promotes the mismatched canary");
        for (ScenarioResult r : results) {
            System.out.printf(java.util.Locale.ROOT, "calibration %s %s: right by look 3 %.3f, by 12 %.3f, false promote %.3f,"
                + " false rollback %.3f%n", r.scenario(), r.method(), r.correct()[2], r.finalCorrect(), r.finalFalsePromote(),
                r.finalFalseRollback());
        }
    }
}
