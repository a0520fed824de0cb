package org.canaryjudge.bench;

import java.util.concurrent.TimeUnit;
import org.canaryjudge.stats.PairwiseDifferences;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Where the time of {@link HodgesLehmannBenchmark}'s interval goes: building the sorted samples
 * ({@code of} copies and sorts both), one counting pass over the m·n differences, one selection
 * (of the median's lower rank) and the median, on the same data as {@link HodgesLehmannBenchmark}.
 * The interval sorts the samples once, takes the median and makes two more selections.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class PairwiseDifferencesBenchmark {

    @Param({"1000", "100000"})
    public int size;

    private double[] x;
    private double[] y;
    private PairwiseDifferences differences;
    private double median;
    private long medianRank;

    @Setup
    public void setUp() {
        x = BenchData.normal(size, size, 0.1);
        y = BenchData.normal(size + 1L, size, 0.0);
        differences = PairwiseDifferences.of(x, y);
        medianRank = (differences.size() + 1) / 2;
        median = differences.select(medianRank);
    }

    @Benchmark
    public PairwiseDifferences of() {
        return PairwiseDifferences.of(x, y);
    }

    @Benchmark
    public long countAtMost() {
        return differences.countAtMost(median);
    }

    @Benchmark
    public double selectMedianRank() {
        return differences.select(medianRank);
    }

    @Benchmark
    public double median() {
        return differences.median();
    }
}
