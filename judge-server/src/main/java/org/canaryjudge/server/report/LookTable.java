package org.canaryjudge.server.report;

import java.util.List;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.model.MetricOutcome;
import org.canaryjudge.model.MetricType;
import org.canaryjudge.replay.Look;
import org.canaryjudge.replay.RecordedMetric;
import org.canaryjudge.server.fixture.FixtureReplay;

/**
 * A fixture's looks as an HTML table: look, time, verdict, each metric's outcome and effect (its
 * reason on hover), and every reason in a collapsed details element.
 */
final class LookTable {

    private LookTable() {
    }

    /** @return the table's HTML */
    static String html(FixtureReplay replay) {
        List<RecordedMetric> metrics = replay.fixture().metrics();
        StringBuilder b = new StringBuilder("<table class=\"looks\">\n<thead><tr><th>look</th><th>time (UTC)</th>"
            + "<th>verdict</th>");
        for (RecordedMetric m : metrics) {
            b.append("<th>").append(Html.escape(m.spec().name())).append("</th>");
        }
        b.append("<th>reasons</th></tr></thead>\n<tbody>\n");
        for (Look look : replay.result().looks()) {
            Judgement j = look.judgement();
            b.append(look.index() == replay.result().decidedAtLook() ? "<tr class=\"decided\">" : "<tr>")
                .append("<td>").append(look.index()).append("</td><td>").append(Formats.time(look.time()))
                .append("</td><td>").append(Html.chip(Formats.name(j.verdict()), j.reason())).append("</td>");
            for (int i = 0; i < metrics.size(); i++) {
                MetricOutcome o = j.metrics().get(i);
                MetricType type = metrics.get(i).spec().type();
                b.append("<td>").append(Html.chip(Formats.name(o.outcome()), o.reason()));
                o.effect().ifPresent(e -> b.append(" <span class=\"effect\">")
                    .append(Html.escape(Formats.effect(e, type))).append("</span>"));
                b.append("</td>");
            }
            b.append("<td>").append(reasons(j)).append("</td></tr>\n");
        }
        return b.append("</tbody>\n</table>\n").toString();
    }

    private static String reasons(Judgement j) {
        StringBuilder b = new StringBuilder("<details><summary>why</summary><p>").append(Html.escape(j.reason()))
            .append("</p><ul>");
        for (MetricOutcome o : j.metrics()) {
            b.append("<li><b>").append(Html.escape(o.name())).append("</b>: ").append(Html.escape(o.reason()))
                .append("</li>");
        }
        return b.append("</ul></details>").toString();
    }
}
