package org.canaryjudge.server.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.io.IOException;
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
 * every fixture and a key to the colours, then gives each fixture its section: charts and the
 * table of looks.
 *
 * <p>The page comes from the JTE templates beside {@code report.js} and {@code report.css} in this
 * package's resources ({@code page.jte}, {@code fixture.jte}, {@code looks.jte}, {@code chip.jte}),
 * compiled to classes of this package at build time; JTE escapes every value for where it stands.
 */
public final class ReplayReport {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The summary lists the outcomes that need a person soonest first. */
    private static final List<Verdict> SUMMARY_ORDER = List.of(Verdict.ROLLBACK, Verdict.HOLD, Verdict.PROMOTE);
    private static final TemplateEngine TEMPLATES = TemplateEngine.createPrecompiled(null, ContentType.Html,
        ReplayReport.class.getClassLoader(), "org.canaryjudge.server");

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
        ReportPage page = new ReportPage(replays, summaryOrder(replays), ChartAssets.fromClassPath(), data(replays),
            ChartAssets.resource(ReplayReport.class, "report.js"));
        StringOutput html = new StringOutput(1 << 20);
        TEMPLATES.render("report/page.jte", page, html);
        Files.writeString(file, html.toString(), StandardCharsets.UTF_8);
    }

    /** @return indexes into {@code replays}: rollbacks first, then holds, then promotions, each in the order given */
    private static List<Integer> summaryOrder(List<FixtureReplay> replays) {
        return IntStream.range(0, replays.size()).boxed()
            .sorted(Comparator.comparingInt(i -> SUMMARY_ORDER.indexOf(replays.get(i).result().outcome()))).toList();
    }

    /** @return every fixture's chart data as a JSON array (the template escapes it for its script element) */
    private static String data(List<FixtureReplay> replays) throws IOException {
        ArrayNode fixtures = JSON.createArrayNode();
        replays.forEach(r -> fixtures.add(ChartData.of(r)));
        return JSON.writeValueAsString(fixtures);
    }
}
