/**
 * Calibration by simulation: synthetic rollouts with a known truth, judged look by look, to measure
 * how often each way of judging covers the true effect, promotes a harmful canary or rolls back a
 * healthy one (docs/statistics.md §6).
 *
 * <p>The module judge-simulator, behind {@code canary-judge simulate}: it judges through judge-core's
 * public API like any other user of the library, and judge-core does not depend on it, so a rollout
 * tool that embeds judge-core does not carry the simulator.
 */
package org.canaryjudge.calibration;
