package org.canaryjudge.calibration;

import org.canaryjudge.model.Verdict;

/**
 * How one method did on one scenario, over all rollouts. Every array has one entry per look
 * (index 0 = look 1) and is cumulative: "by look k" means at any look from 1 to k.
 *
 * @param scenario the scenario's name
 * @param group the scenario's group
 * @param method the method judged with
 * @param trueEffect the scenario's true effect
 * @param expected the right decision
 * @param harmful whether the true harm is at or beyond the hold band
 * @param rollouts the number of rollouts
 * @param coverage share of rollouts whose every interval up to look k contained the true effect
 *     (NaN for a method without intervals)
 * @param falseRollback share with a rollback by look k although the truth is inside the rollback band
 * @param falsePromote share with a promote by look k although the truth is at or beyond the hold band
 * @param correct share that had reached the right decision by look k (for a truth between the bands:
 *     the metric's outcome {@code hold}, evidence of a breach, not a wait for more data)
 * @param medianCorrectLook median over all rollouts of the first look with the right decision, a
 *     rollout that never reached it counting as later than any look (NaN when fewer than half did)
 */
public record ScenarioResult(String scenario, String group, Method method, double trueEffect, Verdict expected,
                             boolean harmful, int rollouts, double[] coverage, double[] falseRollback,
                             double[] falsePromote, double[] correct, double medianCorrectLook) {

    /** @return the number of looks */
    public int looks() {
        return falseRollback.length;
    }

    /** @return simultaneous coverage over all looks */
    public double finalCoverage() {
        return coverage[looks() - 1];
    }

    /** @return the Monte-Carlo standard error of the final coverage */
    public double coverageError() {
        double p = finalCoverage();
        return Math.sqrt(p * (1 - p) / rollouts);
    }

    /** @return share with a false rollback at any look */
    public double finalFalseRollback() {
        return falseRollback[looks() - 1];
    }

    /** @return share with a false promote at any look */
    public double finalFalsePromote() {
        return falsePromote[looks() - 1];
    }

    /** @return share that reached the right decision by the last look */
    public double finalCorrect() {
        return correct[looks() - 1];
    }
}
