package org.canaryjudge.stats;

import java.util.OptionalDouble;
import java.util.function.IntFunction;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * The median look at which a repeatedly watched standardised statistic first enters a region that
 * changes from look to look: the first-passage time of a random walk, by recursive numerical
 * integration (Armitage, McPherson &amp; Rowe 1969, "Repeated significance tests on accumulating
 * data", JRSS A 132; Jennison &amp; Turnbull 2000, <i>Group Sequential Methods with Applications to
 * Clinical Trials</i>, ch. 19).
 *
 * <p>With equal information per look, the statistic at look k is Z<sub>k</sub> = S<sub>k</sub> / √k,
 * where S<sub>k</sub> = S<sub>k−1</sub> + ε<sub>k</sub> and the ε<sub>k</sub> are independent N(0, 1):
 * the score process of any estimate that pools its data, such as a difference of rates over all
 * requests so far. The walk stops at the first look where Z<sub>k</sub> ∈ [a<sub>k</sub>, b<sub>k</sub>].
 * The density of the walks that have not stopped is carried on a lattice of spacing h = σ/6 for a
 * step of standard deviation σ, convolved with the step's normal law (cut at ±6σ) and, at each look,
 * relieved of the mass inside [a<sub>k</sub>√k, b<sub>k</sub>√k] (a lattice cell partly inside loses
 * that part). The first look where the stopped mass reaches ½ is the median. Long plans group
 * consecutive looks into one step of {@code g} looks (at most {@value #MAX_STEPS} steps), checking
 * the region at the group's last look and interpolating the median within the group.
 *
 * <p>Check: with a constant region Z ≤ 0 and a start at 0 the walk has stopped by look 1 with
 * probability ½, so the median is look 1.
 */
public final class FirstPassage {

    /** Steps of the integration at most; longer plans group looks. */
    static final int MAX_STEPS = 240;
    private static final int POINTS_PER_SD = 6;
    private static final int KERNEL_SDS = 6;
    private static final double NEGLIGIBLE = 1e-14;
    private static final NormalDistribution NORMAL = NormalDistribution.of(0, 1);

    private FirstPassage() {
    }

    /**
     * @param startLook the look already made, 0 for a fresh start
     * @param startZ the statistic at {@code startLook} (ignored when it is 0)
     * @param lastLook the last look to consider
     * @param region for each look, {a, b} (either end may be infinite), or null when no value stops the walk
     * @return the median first look inside the region, or empty when fewer than half the walks get
     *     there by {@code lastLook}
     */
    public static OptionalDouble medianLook(int startLook, double startZ, int lastLook, IntFunction<double[]> region) {
        if (lastLook <= startLook) {
            return OptionalDouble.empty();
        }
        double start = startLook == 0 ? 0 : startZ * Math.sqrt(startLook);
        int group = Math.max(1, (int) Math.ceil((double) (singleLookBound(startLook, start, lastLook, region) - startLook)
            / MAX_STEPS));
        int steps = (lastLook - startLook) / group;
        double stepSd = Math.sqrt(group);
        double h = stepSd / POINTS_PER_SD;
        int half = (int) Math.ceil((KERNEL_SDS * Math.sqrt((double) steps * group) + KERNEL_SDS * stepSd) / h);
        double[] mass = new double[2 * half + 1];
        mass[half] = 1;
        int lo = half;
        int hi = half;
        double[] kernel = kernel();
        int taps = kernel.length / 2;
        double stopped = 0;
        for (int step = 1; step <= steps; step++) {
            int look = startLook + step * group;
            double[] next = new double[mass.length];
            int newLo = Math.max(0, lo - taps);
            int newHi = Math.min(mass.length - 1, hi + taps);
            for (int i = lo; i <= hi; i++) {
                double m = mass[i];
                if (m == 0) {
                    continue;
                }
                for (int j = -taps; j <= taps; j++) {
                    int t = i + j;
                    if (t >= 0 && t < next.length) {
                        next[t] += m * kernel[j + taps];
                    }
                }
            }
            double before = stopped;
            double[] ab = region.apply(look);
            if (ab != null) {
                double a = ab[0] * Math.sqrt(look);
                double b = ab[1] * Math.sqrt(look);
                for (int i = newLo; i <= newHi; i++) {
                    double s = start + (i - half) * h;
                    double inside = Math.max(0, Math.min(s + h / 2, b) - Math.max(s - h / 2, a)) / h;
                    if (inside > 0) {
                        stopped += next[i] * inside;
                        next[i] *= 1 - inside;
                    }
                }
            }
            if (stopped >= 0.5) {
                // Within a group the stops are spread over its looks; interpolate rather than round up.
                return OptionalDouble.of(group == 1 ? look : look - group + group * (0.5 - before) / (stopped - before));
            }
            while (newLo < newHi && next[newLo] < NEGLIGIBLE) {
                newLo++;
            }
            while (newHi > newLo && next[newHi] < NEGLIGIBLE) {
                newHi--;
            }
            mass = next;
            lo = newLo;
            hi = newHi;
        }
        return OptionalDouble.empty();
    }

    /**
     * A look by which half the walks have surely stopped: the first look of 1, 2, 4, … after the
     * start where Z alone lies in the region with probability ½ (or {@code lastLook}). It sets how
     * many looks a step may group without coarsening the median.
     */
    private static int singleLookBound(int startLook, double start, int lastLook, IntFunction<double[]> region) {
        for (int ahead = 1; startLook + ahead < lastLook; ahead *= 2) {
            int look = startLook + ahead;
            double[] ab = region.apply(look);
            if (ab != null) {
                double sd = Math.sqrt(ahead);
                double p = NORMAL.cumulativeProbability((ab[1] * Math.sqrt(look) - start) / sd) - NORMAL.cumulativeProbability((ab[0] * Math.sqrt(look) - start) / sd);
                if (p >= 0.5) {
                    return look;
                }
            }
        }
        return lastLook;
    }

    /** The step's normal law on the lattice, normalised so that no mass is lost to the cut. */
    private static double[] kernel() {
        int taps = KERNEL_SDS * POINTS_PER_SD;
        double[] w = new double[2 * taps + 1];
        double sum = 0;
        for (int j = -taps; j <= taps; j++) {
            double u = (double) j / POINTS_PER_SD;
            w[j + taps] = Math.exp(-u * u / 2);
            sum += w[j + taps];
        }
        for (int j = 0; j < w.length; j++) {
            w[j] /= sum;
        }
        return w;
    }
}
