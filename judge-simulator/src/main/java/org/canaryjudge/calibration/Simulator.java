package org.canaryjudge.calibration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.canaryjudge.decision.Judge;
import org.canaryjudge.model.Effect;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.model.JudgeRequest;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.Mode;
import org.canaryjudge.model.Outcome;
import org.canaryjudge.model.TrafficCheck;
import org.canaryjudge.model.Verdict;

/**
 * Runs synthetic rollouts through each method look by look and counts what happened. Every method
 * sees the same rollouts (paired), each rollout's random stream depends only on the seed, the
 * scenario and the rollout's index, so results do not depend on how the work is spread over threads.
 */
public final class Simulator {

    private static final int NEVER = Integer.MAX_VALUE;

    private final Judge judge = new Judge();
    private final int rollouts;
    private final int looks;
    private final double confidence;
    private final long seed;

    /**
     * @param rollouts rollouts per scenario, at least 1
     * @param looks looks per rollout, at least 1
     * @param confidence two-sided level the judge's intervals are computed at
     * @param seed the random seed
     */
    public Simulator(int rollouts, int looks, double confidence, long seed) {
        if (rollouts < 1 || looks < 1) {
            throw new IllegalArgumentException("need at least one rollout and one look");
        }
        this.rollouts = rollouts;
        this.looks = looks;
        this.confidence = confidence;
        this.seed = seed;
    }

    /** @return one result per scenario and method, scenarios in order, methods in enum order */
    public List<ScenarioResult> run(List<Scenario> scenarios) {
        List<ScenarioResult> results = new ArrayList<>();
        for (int s = 0; s < scenarios.size(); s++) {
            Scenario scenario = scenarios.get(s);
            long scenarioSeed = seed * 1_000_003L + s;
            // firsts[r][method] = {first uncovered look, first false rollback, first false promote, first correct}
            int[][][] firsts = IntStream.range(0, rollouts).parallel()
                .mapToObj(r -> rollout(scenario, new SplittableRandom(scenarioSeed * 0x9E3779B97F4A7C15L + r)))
                .toArray(int[][][]::new);
            for (Method method : Method.values()) {
                results.add(summarise(scenario, method, firsts));
            }
        }
        return results;
    }

    private int[][] rollout(Scenario scenario, SplittableRandom random) {
        Rollout rollout = scenario.source().apply(random, looks);
        int[][] firsts = new int[Method.values().length][];
        for (Method m : Method.values()) {
            firsts[m.ordinal()] = new int[] {NEVER, NEVER, NEVER, NEVER};
        }
        for (int look = 1; look <= looks; look++) {
            Metric metric = rollout.at(look);
            // Before a late onset the canary is healthy: a rollback then is false, a promote is not.
            boolean changed = look >= scenario.onset();
            Verdict expected = changed ? scenario.expected() : Verdict.PROMOTE;
            for (Method m : Method.values()) {
                int[] f = firsts[m.ordinal()];
                Verdict verdict;
                boolean breach = false;
                if (m == Method.FIXED_ONCE && look < looks) {
                    continue;
                }
                if (m == Method.KAYENTA_LIKE) {
                    verdict = KayentaLikeRule.judge(metric);
                } else {
                    Judgement j = judge.judge(new JudgeRequest(null, m == Method.SEQUENTIAL ? Mode.SEQUENTIAL : Mode.FIXED,
                        confidence, List.of(metric), rollout.stage(look), rollout.traffic()));
                    verdict = j.verdict();
                    // A hold is evidence of a breach: the metric beyond its hold band, or the split shown wrong.
                    breach = j.metrics().get(0).outcome() == Outcome.HOLD || j.trafficCheck()
                        .map(t -> t.outcome() == TrafficCheck.Outcome.MISMATCH).orElse(false);
                    Effect effect = j.metrics().get(0).effect().orElse(null);
                    if (scenario.stationary() && effect != null && !effect.interval().contains(scenario.trueEffect())
                        && f[0] == NEVER) {
                        f[0] = look;
                    }
                }
                if (verdict == Verdict.ROLLBACK && expected != Verdict.ROLLBACK && f[1] == NEVER) {
                    f[1] = look;
                }
                if (verdict == Verdict.PROMOTE && changed && scenario.harmful() && f[2] == NEVER) {
                    f[2] = look;
                }
                // A hold is right only as evidence of a breach, not as a wait for more data; before a
                // late onset nothing is counted as right, so the first right look is one after the change.
                boolean right = changed && (expected == Verdict.HOLD ? breach : verdict == expected);
                if (right && f[3] == NEVER) {
                    f[3] = look;
                }
            }
        }
        return firsts;
    }

    private ScenarioResult summarise(Scenario scenario, Method method, int[][][] firsts) {
        double[] coverage = new double[looks];
        double[] falseRollback = new double[looks];
        double[] falsePromote = new double[looks];
        double[] correct = new double[looks];
        int[] correctLooks = new int[firsts.length];
        for (int r = 0; r < firsts.length; r++) {
            int[] f = firsts[r][method.ordinal()];
            for (int k = 0; k < looks; k++) {
                int look = k + 1;
                coverage[k] += f[0] > look ? 1 : 0;
                falseRollback[k] += f[1] <= look ? 1 : 0;
                falsePromote[k] += f[2] <= look ? 1 : 0;
                correct[k] += f[3] <= look ? 1 : 0;
            }
            correctLooks[r] = f[3];
        }
        int n = firsts.length;
        for (int k = 0; k < looks; k++) {
            coverage[k] = method == Method.KAYENTA_LIKE || !scenario.stationary() ? Double.NaN : coverage[k] / n;
            falseRollback[k] /= n;
            falsePromote[k] /= n;
            correct[k] /= n;
        }
        Arrays.sort(correctLooks);
        int middle = correctLooks[(n - 1) / 2];
        return new ScenarioResult(scenario.name(), scenario.group(), method, scenario.trueEffect(), scenario.expected(),
            scenario.harmful(), n, coverage, falseRollback, falsePromote, correct,
            middle == NEVER ? Double.NaN : middle);
    }
}
