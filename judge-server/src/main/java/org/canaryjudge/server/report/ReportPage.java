package org.canaryjudge.server.report;

import java.util.List;
import org.canaryjudge.server.fixture.FixtureReplay;

/**
 * What the report's template ({@code page.jte}) is given: the replays, the order of the summary's
 * rows, and the scripts, style sheets and chart data it inlines.
 *
 * @param replays the replayed fixtures, in the order given
 * @param summaryOrder indexes into {@code replays}: rollbacks first, then holds, then promotions
 * @param assets uPlot and the shared style sheet and scripts
 * @param chartData every fixture's {@link ChartData}, as a JSON array
 * @param script the report's script ({@code report.js})
 */
record ReportPage(List<FixtureReplay> replays, List<Integer> summaryOrder, ChartAssets assets, String chartData, String script) {

    /** @return the element id of a fixture's section, such as {@code fixture-1} */
    static String sectionId(int index) {
        return "fixture-" + (index + 1);
    }
}
