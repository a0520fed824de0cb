package org.canaryjudge.server.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.canaryjudge.server.fixture.FixtureReader;
import org.canaryjudge.server.fixture.FixtureReplay;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML replay report, on two fixtures written here: one with a hostile name, description and
 * metric name (which the chart data carries into a script element), a continuous metric with missing values and a rate whose hold and rollback bands use different
 * scales (with zero baseline errors at first, so some relative effects are infinite); one quiet
 * A/A in fixed mode with epoch-second timestamps. The page is checked as text, then rendered in
 * headless Chromium.
 */
@Tag("browser")
class ReplayReportTest {

    private static final String HOSTILE_NAME = "checkout <v42> & \"co\"";
    private static final String HOSTILE_DESCRIPTION = "<script>alert(1)</script> p99 & errors climb at 25 %";
    /** Would end the chart data's script element and run its own, were the JSON not escaped. */
    private static final String HOSTILE_METRIC = "p99</script><script>document.body.dataset.error='injected'</script>";
    /** Series and effect charts: p99 (1 + relative), error_rate (1 + absolute + relative), cpu (1 + absolute). */
    private static final int CHARTS = 2 + 3 + 2;
    private static final Pattern DATA = Pattern.compile(
        "<script type=\"application/json\" id=\"report-data\">(.*?)</script>", Pattern.DOTALL);

    @TempDir
    static Path dir;

    static List<FixtureReplay> replays;
    static Path report;
    static String html;

    @BeforeAll
    static void writeReport() throws Exception {
        FixtureReader reader = new FixtureReader();
        replays = List.of(FixtureReplay.of(reader.read(regression(dir.resolve("regression")))),
            FixtureReplay.of(reader.read(quiet(dir.resolve("quiet")))));
        report = dir.resolve("report.html");
        ReplayReport.write(replays, report);
        html = Files.readString(report);
    }

    @Test
    void needsNoNetwork() {
        assertFalse(Pattern.compile("(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//", Pattern.CASE_INSENSITIVE)
            .matcher(html).find(), "a src or href points off the page");
        assertFalse(html.contains("<link"), "a linked resource");
        assertFalse(Pattern.compile("<script[^>]*\\ssrc=").matcher(html).find(), "an external script");
        assertTrue(html.contains("var uPlot=function()"), "uPlot's script is inlined");
        assertTrue(html.contains(".u-legend"), "uPlot's style sheet is inlined");
    }

    @Test
    void escapesTheFixturesText() {
        assertTrue(html.contains("<h2>checkout &lt;v42&gt; &amp; \"co\"</h2>"), "the escaped name");
        assertTrue(html.contains("<h3>" + escaped(HOSTILE_METRIC) + " <small>"), "the escaped metric name");
        assertTrue(html.contains("<th>" + escaped(HOSTILE_METRIC) + "</th>"), "the escaped metric name in the looks");
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; p99 &amp; errors climb at 25 %"),
            "the escaped description");
        assertFalse(html.contains("<script>alert(1)"), "the description's markup reached the page");
        assertFalse(html.contains("<v42>"), "the name's markup reached the page");
        assertEquals(5, count(html, "</script>"), "the JSON, error catcher, uPlot, charts and report scripts end where they should");
        assertEquals(5, count(html, "<script"), "only the report's own script elements");
        assertTrue(html.contains("quiet-aa"));
    }

    @Test
    void embedsFiniteChartDataAsJson() throws Exception {
        Matcher m = DATA.matcher(html);
        assertTrue(m.find(), "no report-data block");
        assertFalse(m.group(1).contains("</"), "the JSON could end its script element");
        JsonNode fixtures = new ObjectMapper().readTree(m.group(1));
        assertEquals(2, fixtures.size());
        assertEquals(HOSTILE_METRIC, fixtures.get(0).get("metrics").get(0).get("name").asText(),
            "the escaped JSON reads back as the metric's name");
        List<String> bad = new ArrayList<>();
        walk(fixtures, "", bad);
        assertTrue(bad.isEmpty(), "not finite: " + bad);
        JsonNode rate = fixtures.get(0).get("metrics").get(1);
        assertEquals("error_rate", rate.get("name").asText());
        assertEquals(List.of("absolute", "relative"),
            List.of(rate.get("effects").get(0).get("scale").asText(), rate.get("effects").get(1).get("scale").asText()));
        JsonNode relative = rate.get("effects").get(1);
        boolean unboundedEnd = false;
        for (int i = 0; i < relative.get("has").size(); i++) {
            unboundedEnd |= relative.get("has").get(i).asBoolean() && relative.get("upper").get(i).isNull();
        }
        assertTrue(unboundedEnd, "zero baseline errors give an infinite relative effect, sent as null");
        assertFalse(relative.has("hold"), "the hold band is absolute");
        assertEquals(1.0, relative.get("rollback").get(1).asDouble(), 1e-12, "ratio 2 allows up to +100 %");
        assertTrue(relative.get("rollback").get(0).isNull(), "an increase band has no lower limit");
    }

    @Test
    void theSummaryListsRollbacksFirstWithTheDecidingReason() throws Exception {
        Path reversed = dir.resolve("reversed.html");
        ReplayReport.write(List.of(replays.get(1), replays.get(0)), reversed);
        Matcher table = Pattern.compile("<table class=\"summary\">.*?</table>", Pattern.DOTALL).matcher(Files.readString(reversed));
        assertTrue(table.find(), "no summary table");
        List<String> rows = Pattern.compile("<tr><td>.*?</tr>").matcher(table.group()).results().map(MatchResult::group).toList();
        assertEquals(2, rows.size(), table.group());
        assertEquals("rollback", Formats.name(replays.get(0).result().outcome()), "the regression fixture rolls back");
        assertEquals("promote", Formats.name(replays.get(1).result().outcome()), "the quiet fixture promotes");
        assertTrue(rows.get(0).contains("checkout &lt;v42&gt;"), "the rollback comes first although given last: " + rows);
        assertTrue(rows.get(0).contains("<td class=\"reason\">" + escaped(replays.get(0).decidingLook().judgement().reason())
            + "</td>"), rows.get(0));
        assertTrue(rows.get(0).contains("decided at look " + replays.get(0).result().decidedAtLook()), rows.get(0));
        assertTrue(rows.get(1).contains("quiet-aa"), rows.get(1));
        int looks = replays.get(1).result().looks().size();
        assertTrue(rows.get(1).contains("decided at look " + looks + " (looks: " + looks + ")</td>"), rows.get(1));
    }

    @Test
    void tablesEveryLookWithItsReasons() {
        for (FixtureReplay r : replays) {
            r.result().looks().forEach(look -> {
                assertTrue(html.contains(Formats.time(look.time())), "look " + look.index() + "'s time");
                assertTrue(html.contains(escaped(look.judgement().reason())), "look " + look.index() + "'s reason");
            });
        }
        int looks = replays.stream().mapToInt(r -> r.result().looks().size()).sum();
        assertEquals(looks, count(html, "<details><summary>why</summary>"));
        assertEquals(CHARTS, count(html, "<div class=\"chart\""));
        assertEquals(replays.size(), count(html, "<tr class=\"decided\">"), "one deciding look per fixture");
        assertEquals(looks - replays.size(), count(html, "<tr><td>") - replays.size(), "the other looks' rows are plain");
    }

    @Test
    void labelsOutcomesWithTheirReasonOnHover() {
        FixtureReplay r = replays.get(0);
        r.result().looks().forEach(look -> {
            String verdict = Formats.name(look.judgement().verdict());
            assertTrue(html.contains("<td><span class=\"chip " + verdict + "\" title=\"" + inAttribute(look.judgement().reason())
                + "\">" + verdict + "</span></td>"), "look " + look.index() + "'s verdict and its reason");
            look.judgement().metrics().forEach(o -> assertTrue(html.contains("<span class=\"chip "
                + Formats.name(o.outcome()) + "\" title=\"" + inAttribute(o.reason()) + "\">"), o.name() + "'s reason"));
        });
        assertTrue(html.contains("<td><span class=\"chip rollback\">rollback</span></td>"), "the summary's chip has no tooltip");
        assertFalse(html.contains("title=\"null\""), "a chip without a reason");
        assertTrue(html.contains("(sequential mode, a look every 10m). Expected <span class=\"chip rollback\">rollback</span> by look 6: "
            + (r.mismatch() == null ? "<span class=\"met\">met</span>." : "<span class=\"missed\">missed</span>")), "the outcome line");
        assertTrue(html.contains("(fixed mode, a look every 5m). Expected <span class=\"chip promote\">promote</span>: "),
            "the quiet fixture's outcome line, no look to decide by");
        assertTrue(html.contains("<h3>error_rate <small>rate, harmful direction increase, hold beyond absolute 0.005, "
            + "rollback beyond ratio 2</small></h3>"), "the metric's heading names its type, direction and bands");
    }

    @Test
    void drawsEveryChartInHeadlessChromium() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.find(dir);
        String dom = chromium.dumpDom(report);
        assertNull(attribute(dom, "data-error"), "a script error, or the hostile metric name's script ran");
        assertEquals(5, count(dom, "<script"), "the hostile metric name added no script element");
        assertTrue(dom.contains(escaped(HOSTILE_METRIC)), "the hostile metric name shows as text");
        assertEquals(Integer.toString(CHARTS), attribute(dom, "data-rendered"), "charts drawn");
        assertEquals(CHARTS, count(dom, "<canvas"), "one canvas per chart");
        assertEquals(CHARTS, count(dom, "class=\"uplot"), "one uPlot per chart");
        Path shots = Files.createDirectories(Path.of("target", "replay-report"));
        Files.copy(report, shots.resolve("report.html"), StandardCopyOption.REPLACE_EXISTING);
        chromium.screenshot(report, shots.resolve("report.png").toAbsolutePath(), 1400, 2400);
    }

    /** p99 climbs 40 % and errors rise after 30 minutes; the baseline has no errors for 20 minutes. */
    private static Path regression(Path folder) throws Exception {
        Random random = new Random(7);
        StringBuilder csv = new StringBuilder("timestamp,group,p99_ms,errors,requests\n");
        for (int minute = 0; minute < 60; minute++) {
            String at = Instant.parse("2024-05-01T12:00:00Z").plusSeconds(60L * minute).toString();
            boolean late = minute >= 30;
            csv.append(row(at, "baseline", 180 + random.nextGaussian() * 8, minute < 20 ? 0 : random.nextInt(4), 1000));
            String p99 = minute % 11 == 5 ? "" : number((late ? 250 : 180) + random.nextGaussian() * 8);
            csv.append(at).append(",canary,").append(p99).append(',')
                .append(late ? 12 + random.nextInt(6) : random.nextInt(3)).append(",1000\n");
        }
        return fixture(folder, """
            {"name": %s, "description": %s, "data": "data.csv", "interval": "PT10M",
             "request": {"mode": "sequential", "metrics": [
               {"name": %s, "column": "p99_ms", "hold": {"relative": 0.1}, "rollback": {"relative": 0.5}},
               {"name": "error_rate", "type": "rate", "errors": "errors", "requests": "requests",
                "hold": {"absolute": 0.005}, "rollback": {"ratio": 2.0}}]},
             "expect": {"outcome": "rollback", "byLook": 6}}
            """.formatted(quote(HOSTILE_NAME), quote(HOSTILE_DESCRIPTION), quote(HOSTILE_METRIC)), csv);
    }

    /** A quiet A/A on CPU, in fixed mode, with missing values on both sides and epoch-second timestamps. */
    private static Path quiet(Path folder) throws Exception {
        Random random = new Random(11);
        StringBuilder csv = new StringBuilder("timestamp,group,cpu\n");
        long start = Instant.parse("2024-06-01T08:00:00Z").getEpochSecond();
        for (int i = 0; i < 40; i++) {
            for (String group : List.of("baseline", "canary")) {
                String cpu = (i + group.length()) % 9 == 0 ? "" : number(50 + random.nextGaussian() * 2);
                csv.append(start + 30L * i).append(',').append(group).append(',').append(cpu).append('\n');
            }
        }
        return fixture(folder, """
            {"name": "quiet-aa", "description": "Two identical versions: promote.", "interval": "PT5M",
             "request": {"mode": "fixed", "metrics": [
               {"name": "cpu", "column": "cpu", "direction": "either", "correlation": "ignore",
                "hold": {"absolute": 5}}]},
             "expect": {"outcome": "promote"}}
            """, csv);
    }

    private static Path fixture(Path folder, String json, CharSequence csv) throws Exception {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("fixture.json"), json);
        Files.writeString(folder.resolve("data.csv"), csv);
        return folder;
    }

    private static String row(String at, String group, double p99, int errors, int requests) {
        return at + "," + group + "," + number(p99) + "," + errors + "," + requests + "\n";
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String quote(String text) throws Exception {
        return new ObjectMapper().writeValueAsString(text);
    }

    private static void walk(JsonNode node, String path, List<String> bad) {
        if (node.isNumber() && !Double.isFinite(node.asDouble())
            || node.isTextual() && (node.asText().equals("NaN") || node.asText().endsWith("Infinity"))) {
            bad.add(path);
        }
        node.fields().forEachRemaining(e -> walk(e.getValue(), path + "/" + e.getKey(), bad));
        for (int i = 0; node.isArray() && i < node.size(); i++) {
            walk(node.get(i), path + "/" + i, bad);
        }
    }

    /** @return text as element content spells it: {@code & < >} as references */
    private static String escaped(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** @return text as a double-quoted attribute value spells it: {@code & < " '} as references */
    private static String inAttribute(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&#34;").replace("'", "&#39;");
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            n++;
        }
        return n;
    }

    /** @return the value of an attribute of the dumped page's body, or null */
    private static String attribute(String dom, String name) {
        Matcher m = Pattern.compile("<body[^>]*\\s" + name + "=\"([^\"]*)\"").matcher(dom);
        return m.find() ? m.group(1) : null;
    }
}
