package org.canaryjudge.calibration;

import java.util.Arrays;
import org.apache.commons.statistics.descriptive.Median;
import org.canaryjudge.model.Counts;
import org.canaryjudge.model.Direction;
import org.canaryjudge.model.Histogram;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.MetricData;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.Verdict;
import org.canaryjudge.stats.MannWhitneyPValue;

/**
 * The rule Kayenta's default judge applies to one metric, for comparison only: a two-sided
 * Mann–Whitney test at 98 %; a significant difference in the harmful direction fails the metric
 * (rollback), anything else passes (promote). Rates are tested as series of per-interval ratios.
 * This is the rule that lets sparse or noisy data pass.
 */
final class KayentaLikeRule {

    static final double ALPHA = 0.02;

    private KayentaLikeRule() {
    }

    static Verdict judge(Metric metric) {
        double[] baseline;
        double[] canary;
        if (metric.data() instanceof MetricData.Rate rate) {
            baseline = ratios(rate.baseline());
            canary = ratios(rate.canary());
        } else if (metric.data() instanceof MetricData.Histograms h) {
            // The usual practice: histogram_quantile per interval, then the derived quantiles rank-tested.
            baseline = quantiles(h.baseline(), metric.spec());
            canary = quantiles(h.canary(), metric.spec());
        } else {
            MetricData.Continuous c = (MetricData.Continuous) metric.data();
            baseline = c.baseline().observed();
            canary = c.canary().observed();
        }
        if (baseline.length == 0 || canary.length == 0) {
            return Verdict.PROMOTE;
        }
        if (MannWhitneyPValue.twoSided(canary, baseline, 1) >= ALPHA) {
            return Verdict.PROMOTE;
        }
        double shift = Median.withDefaults().evaluate(canary) - Median.withDefaults().evaluate(baseline);
        Direction d = metric.spec().direction();
        boolean harmful = d == Direction.EITHER || (d == Direction.INCREASE ? shift > 0 : shift < 0);
        return harmful ? Verdict.ROLLBACK : Verdict.PROMOTE;
    }

    private static double[] quantiles(Histogram h, MetricSpec spec) {
        return Arrays.stream(h.quantilePerInterval(spec.quantile(), spec.bounds())).filter(v -> !Double.isNaN(v)).toArray();
    }

    private static double[] ratios(Counts counts) {
        long[] e = counts.errorsPerInterval();
        long[] n = counts.requestsPerInterval();
        double[] r = new double[e.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = n[i] == 0 ? 0 : (double) e[i] / n[i];
        }
        return r;
    }
}
