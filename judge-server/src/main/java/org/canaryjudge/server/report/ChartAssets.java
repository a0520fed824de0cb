package org.canaryjudge.server.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * What every page with effect charts inlines, so that it opens without a network: uPlot's script
 * and style sheet, the shared style sheet ({@code report.css}: the verdicts' and outcomes' colours,
 * which the charts read too), the script that records script errors ({@code errors.js}) and the
 * shared charting script ({@code charts.js}). The replay report and the review page put them on the
 * page through the templates {@code report/styles.jte} and {@code report/scripts.jte}.
 *
 * @param uplotVersion uPlot's version, for a footer
 * @param uplotStyle uPlot's style sheet
 * @param style the shared style sheet
 * @param errorsScript the script that records script errors in {@code body[data-error]}
 * @param uplotScript uPlot's script
 * @param chartsScript the shared charting script, which defines {@code CanaryCharts}
 */
public record ChartAssets(String uplotVersion, String uplotStyle, String style, String errorsScript, String uplotScript,
                          String chartsScript) {

    /**
     * @return the assets from the class path
     * @throws IOException when uPlot or one of the shared files is missing
     */
    public static ChartAssets fromClassPath() throws IOException {
        UPlot uplot = UPlot.fromClassPath();
        return new ChartAssets(uplot.version(), uplot.style(), resource(ChartAssets.class, "report.css"),
            resource(ChartAssets.class, "errors.js"), uplot.script(), resource(ChartAssets.class, "charts.js"));
    }

    /**
     * @param owner a class whose package's resources hold the file
     * @return a text file from that package's resources
     * @throws IOException when it is not on the class path
     */
    public static String resource(Class<?> owner, String name) throws IOException {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is not on the class path beside " + owner.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
