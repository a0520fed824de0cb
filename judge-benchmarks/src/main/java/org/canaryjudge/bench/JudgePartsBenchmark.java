package org.canaryjudge.bench;

import java.util.concurrent.TimeUnit;
import org.canaryjudge.model.SampleSummary;
import org.canaryjudge.model.Series;
import org.canaryjudge.stats.HodgesLehmannInterval;
import org.canaryjudge.stats.MannWhitneyPValue;
import org.canaryjudge.stats.SerialCorrelation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The public statistics a judgement of {@link JudgeBenchmark}'s 60 + 60 points calls, each alone,
 * on the same data (its data set 0). A relative band computes the interval on the logs, an
 * absolute band on the values. {@code inflation} is the serial-correlation factor the default
 * (ADJUST) computes for this data; IGNORE uses 1.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class JudgePartsBenchmark {

    private double[] canary;
    private double[] baseline;
    private double[] logCanary;
    private double[] logBaseline;
    private Series baselineSeries;
    private double inflation;

    @Setup
    public void setUp() {
        baseline = JudgeBenchmark.baseline(0);
        canary = JudgeBenchmark.canary(0);
        logCanary = log(canary);
        logBaseline = log(baseline);
        baselineSeries = Series.of(baseline);
        inflation = SerialCorrelation.twoSampleInflation(baseline);
        System.out.println();
        System.out.println("variance inflation for serial correlation: " + inflation);
    }

    /** Two per judgement (baseline and canary). */
    @Benchmark
    public SampleSummary summaryOneSide() {
        return SampleSummary.of(baselineSeries);
    }

    @Benchmark
    public double serialCorrelationInflation() {
        return SerialCorrelation.twoSampleInflation(baseline);
    }

    @Benchmark
    public HodgesLehmannInterval hodgesLehmannLogsInflated() {
        return HodgesLehmannInterval.of(logCanary, logBaseline, 0.95, inflation);
    }

    @Benchmark
    public HodgesLehmannInterval hodgesLehmannLogsIndependent() {
        return HodgesLehmannInterval.of(logCanary, logBaseline, 0.95, 1);
    }

    @Benchmark
    public HodgesLehmannInterval hodgesLehmannValuesInflated() {
        return HodgesLehmannInterval.of(canary, baseline, 0.95, inflation);
    }

    @Benchmark
    public HodgesLehmannInterval hodgesLehmannValuesIndependent() {
        return HodgesLehmannInterval.of(canary, baseline, 0.95, 1);
    }

    @Benchmark
    public double mannWhitneyInflated() {
        return MannWhitneyPValue.twoSided(canary, baseline, inflation);
    }

    @Benchmark
    public double mannWhitneyIndependent() {
        return MannWhitneyPValue.twoSided(canary, baseline, 1);
    }

    private static double[] log(double[] values) {
        double[] logs = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            logs[i] = Math.log(values[i]);
        }
        return logs;
    }
}
