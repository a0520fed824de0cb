package org.canaryjudge.server.ui;

import java.util.List;
import org.canaryjudge.server.report.ChartAssets;

/**
 * What the rollout's page ({@code ui/rollout.jte}) is given.
 *
 * @param id the rollout's id
 * @param startedAt when its first look was, in UTC
 * @param last its latest look
 * @param whatItWouldTake when the latest look holds: per metric that does not pass yet, its reason
 *     (what more data it needs), else empty
 * @param stages the looks grouped by stage, in the order they came
 * @param decisions the decisions, in the order they were made
 * @param viewer who looks: a signed-in reviewer gets the form to decide
 * @param charts the metrics with an effect chart
 * @param assets uPlot and the shared style sheet and scripts
 * @param chartData the charts' data ({@link RolloutCharts})
 * @param script the page's own script ({@code ui/review.js})
 * @param style the page's own style sheet ({@code ui/review.css})
 */
record RolloutPage(String id, String startedAt, LookView last, List<String> whatItWouldTake, List<StageView> stages,
                   List<DecisionView> decisions, Viewer viewer, List<MetricChart> charts, ChartAssets assets, String chartData,
                   String script, String style) {

    /** @return where the decision form posts */
    String decisionsPath() {
        return ReviewPages.href(id) + "/decisions";
    }

    /** @return where the sign-in form sends the reviewer back to */
    String signInPath() {
        return "/ui/sign-in?next=" + ReviewPages.href(id);
    }

    /**
     * A person's decision.
     *
     * @param at its time in UTC
     * @param age how long ago it was
     * @param stage the stage it was made in, or null
     * @param comment what the reviewer wrote, or null
     */
    record DecisionView(String decision, String by, String at, String age, String stage, String comment) {
    }

    /** One stage's looks. */
    record StageView(String name, String startedAt, List<LookView> looks) {
    }

    /**
     * One look.
     *
     * @param at its time in UTC
     * @param age how long ago it was
     */
    record LookView(int look, String stage, int stageLook, String at, String age, String verdict, String reason, List<MetricView> metrics) {
    }

    /**
     * One metric of a look.
     *
     * @param effect the effect and its interval as a short phrase, or null without one
     */
    record MetricView(String name, String outcome, String effect, String reason, boolean dryRun) {
    }

    /**
     * A metric's effect chart.
     *
     * @param index the metric's place in the chart data's {@code metrics}
     */
    record MetricChart(int index, String name, String scale) {
    }
}
