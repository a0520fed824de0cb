/**
 * Calibration by simulation: synthetic rollouts with a known truth, judged look by look, to measure
 * how often each way of judging covers the true effect, promotes a harmful canary or rolls back a
 * healthy one (docs/statistics.md §6).
 */
package org.canaryjudge.calibration;
