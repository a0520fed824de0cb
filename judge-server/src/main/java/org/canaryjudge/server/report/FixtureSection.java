package org.canaryjudge.server.report;

import java.util.List;
import java.util.Locale;
import org.canaryjudge.model.EffectScale;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.replay.RecordedMetric;
import org.canaryjudge.replay.ReplayResult;
import org.canaryjudge.server.fixture.Fixture;
import org.canaryjudge.server.fixture.FixtureReplay;

/**
 * One fixture's part of the report: its name, description and outcome (against its expectation),
 * an empty chart element per chart for the report's script to draw into, and the table of looks.
 */
final class FixtureSection {

    private FixtureSection() {
    }

    /** @return the section's element id, such as {@code fixture-1} */
    static String id(int index) {
        return "fixture-" + (index + 1);
    }

    /**
     * @param replay the replayed fixture
     * @param index its position in the report's data, from 0
     * @return the section's HTML
     */
    static String html(FixtureReplay replay, int index) {
        Fixture f = replay.fixture();
        ReplayResult r = replay.result();
        StringBuilder b = new StringBuilder("<section class=\"fixture\" id=\"").append(id(index)).append("\">\n");
        b.append("<h2>").append(Html.escape(f.name())).append("</h2>\n");
        if (!f.description().isEmpty()) {
            b.append("<p class=\"description\">").append(Html.escape(f.description())).append("</p>\n");
        }
        b.append("<p class=\"outcome\">Outcome ").append(Html.chip(Formats.name(r.outcome()))).append(", ")
            .append(Html.escape(replay.decision())).append(" of ").append(r.looks().size()).append(" (").append(Formats.name(f.mode()))
            .append(" mode, a look every ").append(f.interval().toString().substring(2).toLowerCase(Locale.ROOT)).append(").")
            .append(expectation(replay)).append("</p>\n");
        List<MetricSpec> specs = f.metrics().stream().map(RecordedMetric::spec).toList();
        for (int m = 0; m < specs.size(); m++) {
            b.append(metric(specs.get(m), index, m));
        }
        return b.append("<h3>Looks</h3>\n").append(LookTable.html(replay)).append("</section>\n").toString();
    }

    private static String expectation(FixtureReplay replay) {
        Fixture f = replay.fixture();
        if (f.expected() == null) {
            return "";
        }
        String expected = " Expected " + Html.chip(Formats.name(f.expected()))
            + (f.byLook() == null ? "" : " by look " + f.byLook()) + ": ";
        String mismatch = replay.mismatch();
        return expected + (mismatch == null ? "<span class=\"met\">met</span>."
            : "<span class=\"missed\">missed</span> (" + Html.escape(mismatch) + ").");
    }

    private static String metric(MetricSpec spec, int fixture, int metric) {
        StringBuilder b = new StringBuilder("<div class=\"metric\">\n<h3>").append(Html.escape(spec.name()))
            .append(" <small>").append(Formats.name(spec.type())).append(", harmful direction ")
            .append(Formats.name(spec.direction()));
        spec.hold().ifPresent(h -> b.append(", hold beyond ").append(Formats.band(h)));
        spec.rollback().ifPresent(h -> b.append(", rollback beyond ").append(Formats.band(h)));
        b.append(spec.critical() ? ", critical" : "").append("</small></h3>\n<div class=\"charts\">\n");
        String at = " data-fixture=\"" + fixture + "\" data-metric=\"" + metric + "\"";
        b.append("<div class=\"chart\" data-kind=\"series\"").append(at).append("></div>\n");
        List<EffectScale> scales = ChartData.scales(spec);
        for (int e = 0; e < scales.size(); e++) {
            b.append("<div class=\"chart\" data-kind=\"effect\"").append(at).append(" data-effect=\"").append(e)
                .append("\"></div>\n");
        }
        return b.append("</div>\n</div>\n").toString();
    }
}
