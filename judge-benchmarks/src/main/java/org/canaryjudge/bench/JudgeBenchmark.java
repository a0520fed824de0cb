package org.canaryjudge.bench;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.canaryjudge.decision.Judge;
import org.canaryjudge.model.Band;
import org.canaryjudge.model.Confidence;
import org.canaryjudge.model.Correlation;
import org.canaryjudge.model.Direction;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.model.JudgeRequest;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.Mode;
import org.canaryjudge.model.Outcome;
import org.canaryjudge.model.Series;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One judgement of one continuous metric: 60 baseline + 60 canary one-minute latency points
 * (lognormal around 120 ms, log-scale sd 0.1, lag-1 autocorrelation 0.3 on the log scale; canary
 * 3 % higher), fixed mode, hold band 10 % and rollback band 50 % (or 12 ms and 60 ms for the
 * absolute variant), direction increase, 95 % level. The requests are built once; the benchmark
 * is {@link Judge#judge(JudgeRequest)} alone.
 *
 * <p>{@code dataSets} = 1 judges the same request every time. {@code dataSets} = 64 cycles
 * through 64 requests whose data come from the same model with different seeds (the first is the
 * one of {@code dataSets} = 1), so the CPU cannot learn one input's branch pattern — closer to a
 * service that judges fresh data on every call.
 */
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class JudgeBenchmark {

    static final int POINTS = 60;
    static final double MEDIAN_MS = 120;
    static final double SIGMA = 0.1;
    static final double PHI = 0.3;
    static final double CANARY_FACTOR = 1.03;

    /** ADJUST is the default. */
    @Param({"ADJUST", "IGNORE"})
    public Correlation correlation;

    /** RELATIVE: hold 0.10, rollback 0.5. ABSOLUTE: hold 12 ms, rollback 60 ms (the same at the median). */
    @Param({"RELATIVE", "ABSOLUTE"})
    public Band.Kind band;

    /** How many different requests are cycled through. */
    @Param({"1", "64"})
    public int dataSets;

    /** FIXED, or SEQUENTIAL over a planned horizon of 60 points a side (the spending boundary's path). */
    @Param({"FIXED", "SEQUENTIAL"})
    public Mode mode;

    private final Judge judge = new Judge();
    private JudgeRequest[] requests;
    private int next;

    /** @return the baseline of data set {@code s}; s = 0 is the data of {@link JudgePartsBenchmark} */
    static double[] baseline(int s) {
        return BenchData.latencies(2L * s + 1, POINTS, MEDIAN_MS, SIGMA, PHI);
    }

    /** @return the canary of data set {@code s} */
    static double[] canary(int s) {
        return BenchData.latencies(2L * s + 2, POINTS, MEDIAN_MS * CANARY_FACTOR, SIGMA, PHI);
    }

    @Setup
    public void setUp() {
        MetricSpec.Builder builder = MetricSpec.builder("latency_ms")
            .direction(Direction.INCREASE)
            .correlation(correlation);
        if (band == Band.Kind.RELATIVE) {
            builder.hold(Band.relative(0.10)).rollback(Band.relative(0.5));
        } else {
            builder.hold(Band.absolute(0.10 * MEDIAN_MS)).rollback(Band.absolute(0.5 * MEDIAN_MS));
        }
        if (mode == Mode.SEQUENTIAL) {
            builder.horizon(POINTS);
        }
        MetricSpec spec = builder.build();
        requests = new JudgeRequest[dataSets];
        Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
        for (int s = 0; s < dataSets; s++) {
            Metric metric = new Metric(spec, Series.of(baseline(s)), Series.of(canary(s)));
            requests[s] = new JudgeRequest("bench", mode, Confidence.DEFAULT, List.of(metric));
            Judgement j = judge.judge(requests[s]);
            if (j.metrics().get(0).outcome() == Outcome.ERROR) {
                throw new IllegalStateException("the benchmark request does not judge: " + j.reason());
            }
            outcomes.merge(j.metrics().get(0).outcome(), 1, Integer::sum);
            if (s == 0) {
                System.out.println();
                System.out.println("[" + correlation + ", " + band + "] data set 0: " + j.verdict() + "; "
                    + j.metrics().get(0).outcome() + ": " + j.metrics().get(0).reason());
            }
        }
        System.out.println("[" + correlation + ", " + band + "] outcomes over " + dataSets + " data sets: " + outcomes);
    }

    @Benchmark
    public Judgement judge() {
        int s = next;
        next = s + 1 == dataSets ? 0 : s + 1;
        return judge.judge(requests[s]);
    }
}
