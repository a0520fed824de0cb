package org.canaryjudge.server.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The uPlot charting library's script and style sheet, read from its webjar
 * ({@code org.webjars.npm:uplot}) on the class path so that the report can inline them.
 */
final class UPlot {

    private static final String WEBJAR = "META-INF/resources/webjars/uplot/";
    private static final String POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

    private final String version;

    private UPlot(String version) {
        this.version = version;
    }

    /**
     * @return the uPlot found on the class path
     * @throws IOException when the webjar is missing
     */
    static UPlot fromClassPath() throws IOException {
        Properties pom = new Properties();
        try (InputStream in = open(POM)) {
            pom.load(in);
        }
        return new UPlot(pom.getProperty("version"));
    }

    /** @return the library's version, such as 1.6.30 */
    String version() {
        return version;
    }

    /** @return the minified script, which defines the global {@code uPlot} */
    String script() throws IOException {
        return read("uPlot.iife.min.js");
    }

    /** @return the style sheet */
    String style() throws IOException {
        return read("uPlot.min.css");
    }

    private String read(String file) throws IOException {
        try (InputStream in = open(WEBJAR + version + "/dist/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = UPlot.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("the uPlot webjar (org.webjars.npm:uplot) is not on the class path: no " + resource);
        }
        return in;
    }
}
