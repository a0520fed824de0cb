package org.canaryjudge.server.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.canaryjudge.model.Verdict;
import org.canaryjudge.server.fixture.FixtureReplay;

/**
 * The self-contained HTML replay report: one file that opens offline, with uPlot, the report's
 * script and style sheet inlined and the chart data embedded as JSON. It opens with a summary of
 * every fixture and a key to the colours, then gives each fixture its {@link FixtureSection}.
 */
public final class ReplayReport {

    private static final String TITLE = "Canary Judge replay report";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The summary lists the outcomes that need a person soonest first. */
    private static final List<Verdict> SUMMARY_ORDER = List.of(Verdict.ROLLBACK, Verdict.HOLD, Verdict.PROMOTE);
    /** What the colours, lines, dots and whiskers mean. */
    private static final String KEY = """
        <p class="key">Series charts: <span class="line" style="color: var(--baseline)"></span> baseline,
        <span class="line" style="color: var(--canary)"></span> canary. Vertical lines mark the looks, numbered
        at the top and coloured by the look's verdict: <span class="chip promote">promote</span>
        <span class="chip hold">hold</span> <span class="chip rollback">rollback</span>; the thick one decided
        the outcome. Effect charts: per look, the dot is the estimated effect and the whisker its interval,
        coloured by the metric's outcome (<span class="chip pass">pass</span> <span class="chip hold">hold</span>
        <span class="chip rollback">rollback</span> <span class="chip inconclusive">inconclusive</span>);
        an arrow means the interval runs off the chart. Dashed lines are the band limits
        (<span class="line dashed" style="color: var(--hold)"></span> hold,
        <span class="line dashed" style="color: var(--rollback)"></span> rollback): an effect beyond them is
        harm. Hover a chart for values, an outcome in the tables for its reason.</p>
        """;

    private ReplayReport() {
    }

    /**
     * Writes one HTML file that opens offline: per fixture, the series over time with the looks
     * marked and coloured by verdict, and each metric's effect interval against its bands, look by look.
     *
     * @param replays the replayed fixtures
     * @param file where to write
     * @throws IOException when the file cannot be written, or uPlot or the report's own script
     *     or style sheet is missing from the class path
     */
    public static void write(List<FixtureReplay> replays, Path file) throws IOException {
        Files.writeString(file, html(replays), StandardCharsets.UTF_8);
    }

    /** @return the report's page */
    private static String html(List<FixtureReplay> replays) throws IOException {
        UPlot uplot = UPlot.fromClassPath();
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>").append(TITLE)
            .append("</title>\n<style>\n").append(Html.inline("style", uplot.style())).append('\n')
            .append(Html.inline("style", resource("report.css"))).append("</style>\n</head>\n<body>\n<h1>").append(TITLE).append("</h1>\n")
            .append(summary(replays)).append(KEY);
        for (int i = 0; i < replays.size(); i++) {
            b.append(FixtureSection.html(replays.get(i), i));
        }
        return b.append("<footer>Charts drawn with uPlot ").append(Html.escape(uplot.version()))
            .append(", inlined: this file needs no network.</footer>\n")
            .append("<script type=\"application/json\" id=\"report-data\">").append(data(replays)).append("</script>\n")
            .append("<script>\n").append(Html.inline("script", resource("errors.js"))).append("</script>\n")
            .append("<script>\n").append(Html.inline("script", uplot.script())).append("\n</script>\n")
            .append("<script>\n").append(Html.inline("script", resource("report.js"))).append("</script>\n</body>\n</html>\n").toString();
    }

    /**
     * The summary table: rollbacks first, then holds, then promotions (each in the order given), with
     * the reason of the look that decided the outcome.
     */
    private static String summary(List<FixtureReplay> replays) {
        StringBuilder b = new StringBuilder("<table class=\"summary\">\n<thead><tr><th>fixture</th><th>outcome</th>"
            + "<th>decision</th><th>reason</th><th>expectation</th></tr></thead>\n<tbody>\n");
        List<Integer> order = IntStream.range(0, replays.size()).boxed()
            .sorted(Comparator.comparingInt(i -> SUMMARY_ORDER.indexOf(replays.get(i).result().outcome()))).toList();
        for (int i : order) {
            FixtureReplay r = replays.get(i);
            String expectation = r.fixture().expected() == null ? "none"
                : r.mismatch() == null ? "<span class=\"met\">met</span>"
                : "<span class=\"missed\">missed</span>: " + Html.escape(r.mismatch());
            b.append("<tr><td><a href=\"#").append(FixtureSection.id(i)).append("\">")
                .append(Html.escape(r.fixture().name())).append("</a></td><td>")
                .append(Html.chip(Formats.name(r.result().outcome()))).append("</td><td>")
                .append(Html.escape(r.decision())).append(" (looks: ").append(r.result().looks().size()).append(")</td>")
                .append("<td class=\"reason\">").append(Html.escape(r.decidingLook().judgement().reason())).append("</td><td>")
                .append(expectation).append("</td></tr>\n");
        }
        return b.append("</tbody>\n</table>\n").toString();
    }

    /** @return a text file from this package's resources: the report's script and style sheet */
    private static String resource(String name) throws IOException {
        try (InputStream in = ReplayReport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("the report's " + name + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The chart data as JSON that cannot end its script element: every {@code <} is escaped. */
    private static String data(List<FixtureReplay> replays) throws IOException {
        ArrayNode fixtures = JSON.createArrayNode();
        replays.forEach(r -> fixtures.add(ChartData.of(r)));
        return JSON.writeValueAsString(fixtures).replace("<", "\\u003c");
    }
}
