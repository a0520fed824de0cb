package org.canaryjudge.server.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.canaryjudge.server.fixture.Fixture;
import org.canaryjudge.server.fixture.FixtureFiles;
import org.canaryjudge.server.fixture.FixtureReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenMetrics text of a tiny fixture, line by line, and the inputs it refuses. What Prometheus makes of
 * the text is {@link RealPrometheusTest}'s part.
 */
class OpenMetricsRecordingTest {

    @TempDir
    Path dir;

    private Fixture fixture(String name, String latencyName, String csv) {
        return new FixtureReader().read(FixtureFiles.write(dir.resolve("f" + dir.toFile().list().length),
            "{'name': '" + name + "', 'data': 'data.csv', 'interval': 'PT5M', 'request': {'metrics': ["
                + "{'name': '" + latencyName + "', 'column': 'p99_ms', 'hold': {'relative': 0.1}},"
                + "{'name': 'error_rate', 'type': 'rate', 'errors': 'errors', 'requests': 'requests',"
                + " 'hold': {'absolute': 0.01}}]}}", csv));
    }

    /** One-minute rows; the canary's p99 is missing at 12:00 and its 12:01 row is missing altogether. */
    private static final String CSV = "timestamp,group,p99_ms,errors,requests\n"
        + "2024-05-01T12:00:00Z,baseline,100.5,1,10\n"
        + "2024-05-01T12:00:00Z,canary,,2,20\n"
        + "2024-05-01T12:01:00Z,baseline,101,0,11\n"
        + "2024-05-01T12:02:00Z,baseline,102.25,3,12\n"
        + "2024-05-01T12:02:00Z,canary,99,1,21\n"
        + "2024-05-01T12:03:00Z,canary,98,4,22\n";

    @Test
    void writesGaugesAndCumulativeCountersThatStartOneStepBeforeEachRunOfRows() {
        // The name holds a quote and a backslash (JSON \u0022 and \\), which label values must escape.
        Fixture tiny = fixture("tiny \\u0022one\\u0022 \\\\ two", "latency", CSV);
        String b = "{fixture=\"tiny \\\"one\\\" \\\\ two\",track=\"baseline\"} ";
        String c = "{fixture=\"tiny \\\"one\\\" \\\\ two\",track=\"canary\"} ";
        String e = "fixture_error_rate_errors_total";
        String r = "fixture_error_rate_requests_total";
        assertEquals(Duration.ofMinutes(1), OpenMetricsRecording.step(tiny));
        assertEquals(String.join("\n",
            "# TYPE fixture_latency gauge",
            "fixture_latency" + b + "100.5 1714564800",
            "fixture_latency" + b + "101.0 1714564860",
            "fixture_latency" + b + "102.25 1714564920",
            "fixture_latency" + c + "99.0 1714564920",
            "fixture_latency" + c + "98.0 1714564980",
            "# TYPE fixture_error_rate_errors counter",
            e + b + "0 1714564740", e + b + "1 1714564800", e + b + "1 1714564860", e + b + "4 1714564920",
            // the run that starts at 12:02 gets a sample at 12:01, where the row is missing
            e + c + "0 1714564740", e + c + "2 1714564800", e + c + "2 1714564860", e + c + "3 1714564920",
            e + c + "7 1714564980",
            "# TYPE fixture_error_rate_requests counter",
            r + b + "0 1714564740", r + b + "10 1714564800", r + b + "21 1714564860", r + b + "33 1714564920",
            r + c + "0 1714564740", r + c + "20 1714564800", r + c + "20 1714564860", r + c + "41 1714564920",
            r + c + "63 1714564980",
            "# EOF", ""), OpenMetricsRecording.of(tiny).text());
        assertEquals("fixture_latency" + c.strip(), OpenMetricsRecording.selector(OpenMetricsRecording.gauge("latency"),
            tiny, "canary"));
    }

    @Test
    void refusesWhatPrometheusCouldNotHoldAsRecorded() {
        Fixture a = fixture("a", "latency", CSV);
        assertMessage("latency-p99' is not a valid Prometheus name", fixture("b", "latency-p99", CSV));
        assertMessage("two fixtures named 'a'", a, fixture("a", "latency", CSV));
        assertMessage("two rows of a side at 1714564980",
            fixture("c", "latency", CSV + "2024-05-01T12:03:00Z,canary,97,0,1\n"));
        // A continuous metric named error_rate_errors_total would share its series name with a's error counter.
        assertMessage("clashes with the counter fixture_error_rate_errors_total", a,
            fixture("d", "error_rate_errors_total", CSV));
    }

    private static void assertMessage(String expected, Fixture... fixtures) {
        String message = assertThrows(IllegalArgumentException.class, () -> OpenMetricsRecording.of(fixtures)).getMessage();
        assertTrue(message.contains(expected), message);
    }
}
