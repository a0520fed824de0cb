package org.canaryjudge.stats;

import java.util.Arrays;
import java.util.OptionalDouble;
import java.util.function.IntFunction;

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
 * that part). The first look where the stopped mass reaches ½ is the median. Every
 * {@value #STEPS_PER_GROUP} steps a step grows to twice as many looks (the lattice widening by √2,
 * each point's mass shared between its two new neighbours), so the looks checked stay within about
 * 1 % of the time elapsed however long the plan. A grouped step of g looks checks the region only at
 * its last look, so it would miss the crossings between; the region is widened by the difference of
 * the walks' overshoots, 0.5826·(√g − 1) in S (Siegmund 1985, <i>Sequential Analysis</i>, §X.3;
 * the continuity correction of Broadie, Glasserman &amp; Kou 1997, "A continuity correction for
 * discrete barrier options", Math. Finance 7), and the median is interpolated within the step.
 *
 * <p>Checks ({@code FirstPassageTest}): a region Z ≤ 0 from a start at 0 stops half the walks at
 * look 1; a constant level a for S is reached at the median ((a + 0.583) / Φ⁻¹(¾))² of reflection
 * with Siegmund's overshoot correction.
 */
public final class FirstPassage {

    /** Steps taken at one group size before looks are grouped twice as coarsely. */
    static final int STEPS_PER_GROUP = 120;
    private static final int POINTS_PER_SD = 6;
    private static final int KERNEL_SDS = 6;
    private static final double NEGLIGIBLE = 1e-14;
    /** The expected overshoot of a boundary by a walk of unit steps: −ζ(½)/√(2π) (Siegmund 1985). */
    static final double OVERSHOOT = 0.5826;
    private static final double[] KERNEL = kernel();

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
        int taps = KERNEL.length / 2;
        int group = 1;
        double h = 1.0 / POINTS_PER_SD;
        // The lattice: mass[i] sits at origin + i·h.
        double origin = startLook == 0 ? 0 : startZ * Math.sqrt(startLook);
        double[] mass = {1};
        double stopped = 0;
        int look = startLook;
        for (int step = 1; look + group <= lastLook; step++) {
            look += group;
            double[] next = new double[mass.length + 2 * taps];
            origin -= taps * h;
            for (int i = 0; i < mass.length; i++) {
                double m = mass[i];
                if (m != 0) {
                    for (int j = 0; j < KERNEL.length; j++) {
                        next[i + j] += m * KERNEL[j];
                    }
                }
            }
            double before = stopped;
            double[] ab = region.apply(look);
            if (ab != null) {
                // A grouped step misses the crossings between its looks: widen the region by the
                // difference in overshoot between steps of √group and of 1 (Broadie, Glasserman & Kou).
                double missed = OVERSHOOT * (Math.sqrt(group) - 1);
                double a = ab[0] * Math.sqrt(look) - missed;
                double b = ab[1] * Math.sqrt(look) + missed;
                for (int i = 0; i < next.length; i++) {
                    double s = origin + i * h;
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
            int lo = 0;
            int hi = next.length - 1;
            while (lo < hi && next[lo] < NEGLIGIBLE) {
                lo++;
            }
            while (hi > lo && next[hi] < NEGLIGIBLE) {
                hi--;
            }
            mass = Arrays.copyOfRange(next, lo, hi + 1);
            origin += lo * h;
            if (step % STEPS_PER_GROUP == 0) {
                double wider = h * Math.sqrt(2);
                mass = rebin(mass, origin, h, wider);
                group *= 2;
                h = wider;
            }
        }
        return OptionalDouble.empty();
    }

    /** Moves each point's mass onto the two nearest points of a lattice of spacing {@code wider} with the same origin. */
    private static double[] rebin(double[] mass, double origin, double h, double wider) {
        double[] coarse = new double[(int) Math.ceil(mass.length * h / wider) + 2];
        for (int i = 0; i < mass.length; i++) {
            double x = i * h / wider;
            int k = (int) Math.floor(x);
            double frac = x - k;
            coarse[k] += mass[i] * (1 - frac);
            coarse[k + 1] += mass[i] * frac;
        }
        return coarse;
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
