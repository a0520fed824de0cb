package org.canaryjudge.decision;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.model.JudgeRequest;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.MetricData;
import org.canaryjudge.model.MetricOutcome;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.Mode;
import org.canaryjudge.model.Outcome;
import org.canaryjudge.model.TrafficCheck;
import org.canaryjudge.model.Verdict;

/**
 * The canary judge: data in, {@link Judgement} out.
 *
 * <p>Each metric gets an outcome from its own data and bands; the verdict is {@code rollback} if
 * any metric is {@code rollback}, {@code promote} if every metric is {@code pass}, and
 * {@code hold} otherwise. A failure inside one metric, or data that could not be had
 * ({@link MetricData.Unavailable}), makes that metric {@code error}, so the verdict can be at best
 * {@code hold} — never {@code promote}; data a source cannot vouch for ({@link MetricData.Unvouched})
 * make it {@code inconclusive} or {@code nodata}. With a {@link org.canaryjudge.model.Stage} in
 * the request each metric is also judged on the current stage's window ({@link Stages}).
 * Thread-safe and stateless.
 */
public final class Judge {

    /** Judges requests; holds no state, so one instance serves every thread. */
    public Judge() {
        // Stateless: nothing to set up.
    }

    /**
     * @param request the metrics and their data
     * @return the judgement
     */
    public Judgement judge(JudgeRequest request) {
        List<MetricOutcome> outcomes = new ArrayList<>(request.metrics().size());
        int k = request.metrics().size();
        for (Metric metric : request.metrics()) {
            double confidence = request.confidenceFor(metric.spec());
            if (request.mode() == Mode.SEQUENTIAL) {
                // Bonferroni: the k metrics share α, so the whole request keeps its error rate over all looks.
                confidence = 1 - (1 - confidence) / k;
            }
            Level level = new Level(request.mode(), confidence);
            MetricOutcome whole = judgeOne(metric, level);
            if (request.stage() != null) {
                // The stage's window is a test of its own, on half of the metric's α.
                Level half = new Level(request.mode(), 1 - (1 - confidence) / 2, true, wholeBaseline(metric.data()));
                whole = Stages.combine(whole, judgeOne(Stages.window(metric, request.stage()), half), request.stage());
            }
            outcomes.add(whole);
        }
        Verdict verdict = verdict(outcomes);
        String reason = reason(verdict, outcomes);
        TrafficCheck traffic = request.trafficSplit().map(split -> SampleRatio.check(split, request.metrics().stream()
            .filter(m -> m.name().equals(split.metric())).findFirst().orElseThrow())).orElse(null);
        if (traffic != null && traffic.outcome() == TrafficCheck.Outcome.MISMATCH) {
            // A biased comparison cannot promote; a rollback stands, since the canary harms even so.
            verdict = verdict == Verdict.ROLLBACK ? verdict : Verdict.HOLD;
            reason = "traffic: " + traffic.reason() + " " + reason;
        }
        return new Judgement(request.id(), verdict, reason, score(request, outcomes), request.mode(), outcomes, traffic);
    }

    /** @return the observed baseline of a continuous metric's whole window, or null */
    private static double[] wholeBaseline(MetricData data) {
        MetricData inner = data instanceof MetricData.Annotated a ? a.data() : data;
        return inner instanceof MetricData.Continuous c ? c.baseline().observed() : null;
    }

    private static MetricOutcome judgeOne(Metric metric, Level level) {
        MetricData data = metric.data();
        if (data instanceof MetricData.Unavailable unavailable) {
            return Outcomes.withoutEffect(metric.spec(), unavailable, Outcome.ERROR, unavailable.reason());
        }
        if (data instanceof MetricData.Unvouched unvouched) {
            return Outcomes.withoutEffect(metric.spec(), unvouched, unvouched.outcome(), unvouched.reason());
        }
        try {
            if (data instanceof MetricData.Annotated annotated) {
                MetricOutcome o = judgeData(metric.spec(), annotated.data(), level);
                return new MetricOutcome(o.name(), o.outcome(), annotated.note() + " " + o.reason(), o.test(), o.pValue(),
                    o.effects(), o.holdAllowed(), o.rollbackAllowed(), o.baseline(), o.canary());
            }
            return judgeData(metric.spec(), data, level);
        } catch (RuntimeException e) {
            // One metric's failure must not take the others down, nor ever let the verdict promote.
            return Outcomes.withoutEffect(metric.spec(), metric.data(), Outcome.ERROR,
                "the judge could not compute this metric (" + e.getMessage() + "); it is not counted as a pass.");
        }
    }

    private static MetricOutcome judgeData(MetricSpec spec, MetricData data, Level level) {
        if (data instanceof MetricData.Rate rate) {
            return RateMetricJudge.judge(spec, rate, level);
        }
        if (data instanceof MetricData.Histograms histograms) {
            return HistogramMetricJudge.judge(spec, histograms, level);
        }
        return ContinuousMetricJudge.judge(spec, (MetricData.Continuous) data, level);
    }

    static Verdict verdict(List<MetricOutcome> outcomes) {
        if (outcomes.stream().anyMatch(o -> o.outcome() == Outcome.ROLLBACK)) {
            return Verdict.ROLLBACK;
        }
        if (outcomes.stream().allMatch(o -> o.outcome() == Outcome.PASS)) {
            return Verdict.PROMOTE;
        }
        return Verdict.HOLD;
    }

    private static double score(JudgeRequest request, List<MetricOutcome> outcomes) {
        double total = 0;
        double passed = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            double w = request.metrics().get(i).spec().weight();
            total += w;
            if (outcomes.get(i).outcome() == Outcome.PASS) {
                passed += w;
            }
        }
        // passed ≤ total holds in floating point too, so the share never exceeds 1 (nor the score 100).
        return 100 * (passed / total);
    }

    private static String reason(Verdict verdict, List<MetricOutcome> outcomes) {
        if (verdict == Verdict.PROMOTE) {
            return outcomes.size() == 1
                ? "The only metric, " + outcomes.get(0).name() + ", is shown to be within its bands."
                : "All " + outcomes.size() + " metrics are shown to be within their bands.";
        }
        Outcome focus = verdict == Verdict.ROLLBACK ? Outcome.ROLLBACK : null;
        return outcomes.stream()
            .filter(o -> focus == null ? o.outcome() != Outcome.PASS : o.outcome() == focus)
            .map(o -> o.name() + ": " + o.reason())
            .collect(Collectors.joining(" "));
    }
}
