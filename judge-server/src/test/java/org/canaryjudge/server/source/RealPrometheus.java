package org.canaryjudge.server.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Authenticator;
import java.net.PasswordAuthentication;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Prometheus server (Debian's {@code prometheus} package, 2.42) holding imported OpenMetrics data, for
 * tests of code that queries Prometheus. {@link #start} imports the data with
 * {@code promtool tsdb create-blocks-from openmetrics} into a fresh temporary folder, starts
 * {@code prometheus} on 127.0.0.1 at a free port with no scrape targets, and returns once
 * {@code /-/ready} answers 200 and every imported block's series are queryable. {@link #close} stops it by
 * its PID and deletes the folder. Starting takes under a second, about 0.25 s of it Prometheus' own (see
 * {@code RealPrometheusTest}), so one server per test class is cheap.
 *
 * <p>The server keeps data for 100 years ({@link #RETENTION}): retention counts back from the newest block,
 * so without it a recording that mixes 2014 and 2024 fixtures would lose the 2014 blocks. The lookback
 * delta is Prometheus' default, set explicitly ({@link #LOOKBACK}) because tests depend on it.
 *
 * <p>When {@code prometheus} or {@code promtool} is not on the PATH, {@link #start} fails (it never skips) and
 * says that {@code ./run-tests} installs them.
 */
public final class RealPrometheus implements AutoCloseable {

    /** What every failure caused by a missing binary says. */
    static final String INSTALL = "./run-tests installs Debian's prometheus package, which provides both prometheus "
        + "and promtool (apt-get install -y prometheus)";
    /** The lookback delta of instant selectors, Prometheus' default. */
    public static final Duration LOOKBACK = Duration.ofMinutes(5);
    /** How long data are kept, counted back from the newest block. */
    static final String RETENTION = "100y";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration IMPORT_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final int PORT_ATTEMPTS = 3;
    private static final int TAIL_LINES = 40;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A series of a range query's matrix: its labels and its points, keyed by epoch seconds. */
    public record RangeSeries(Map<String, String> labels, SortedMap<Long, Double> points) {
    }

    private record Block(long minTime, long maxTime, int numSeries) {
    }

    private final Path folder;
    private final Process process;
    private final URI baseUrl;
    private final Path log;
    private final Duration startup;
    private final Thread reaper;
    private final HttpClient http;
    private boolean closed;

    private RealPrometheus(Path folder, Process process, URI baseUrl, Path log, Duration startup, HttpClient http) {
        this.folder = folder;
        this.process = process;
        this.baseUrl = baseUrl;
        this.log = log;
        this.startup = startup;
        this.http = http;
        // A test run that is aborted must not leave the server behind.
        this.reaper = new Thread(process::destroyForcibly, "real-prometheus-reaper-" + process.pid());
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * A user Prometheus requires on every endpoint ({@code --web.config.file} with {@code basic_auth_users}).
     *
     * @param bcryptHash the password's bcrypt hash, which is what Prometheus' web configuration holds
     */
    public record BasicAuth(String user, String password, String bcryptHash) {
    }

    /** Starts a server holding the recording; see {@link #start(Path)}. */
    public static RealPrometheus start(OpenMetricsRecording recording) {
        Path folder = createFolder();
        return start(recording.writeTo(folder.resolve("recording.om.txt")), folder, System.getenv("PATH"), null);
    }

    /** As {@link #start(OpenMetricsRecording)}, with every endpoint behind HTTP basic authentication. */
    public static RealPrometheus start(OpenMetricsRecording recording, BasicAuth auth) {
        Path folder = createFolder();
        return start(recording.writeTo(folder.resolve("recording.om.txt")), folder, System.getenv("PATH"), auth);
    }

    /**
     * @param openMetricsFile OpenMetrics text ending with {@code # EOF}, timestamps in seconds
     * @return a running server holding the file's samples
     * @throws IllegalStateException when a binary is missing, promtool rejects the file, or the server is not
     *                               ready within 30 s; the message holds promtool's output or the log's tail
     */
    public static RealPrometheus start(Path openMetricsFile) {
        return start(openMetricsFile, createFolder(), System.getenv("PATH"), null);
    }

    /** As {@link #start(Path)}, looking for the binaries on {@code searchPath} instead of the PATH. */
    static RealPrometheus start(Path openMetricsFile, String searchPath) {
        return start(openMetricsFile, createFolder(), searchPath, null);
    }

    private static RealPrometheus start(Path openMetricsFile, Path folder, String searchPath, BasicAuth auth) {
        try {
            Path promtool = binary("promtool", searchPath);
            Path prometheus = binary("prometheus", searchPath);
            Path data = folder.resolve("data");
            importBlocks(promtool, openMetricsFile.toAbsolutePath(), data, folder.resolve("promtool.log"));
            List<Block> blocks = blocks(data);
            Path config = Files.writeString(folder.resolve("prometheus.yml"), "scrape_configs: []\n");
            HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
            List<String> webConfig = new ArrayList<>();
            if (auth != null) {
                Path web = Files.writeString(folder.resolve("web.yml"),
                    "basic_auth_users:\n  " + auth.user() + ": '" + auth.bcryptHash() + "'\n");
                webConfig.add("--web.config.file=" + web);
                // The harness's own requests answer the server's Basic challenge.
                client.authenticator(new Authenticator() {
                    @Override
                    protected PasswordAuthentication getPasswordAuthentication() {
                        return new PasswordAuthentication(auth.user(), auth.password().toCharArray());
                    }
                });
            }
            HttpClient http = client.build();
            for (int attempt = 1; ; attempt++) {
                Path log = folder.resolve("prometheus-" + attempt + ".log");
                int port = freePort();
                long started = System.nanoTime();
                List<String> command = new ArrayList<>(List.of(prometheus.toString(),
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + data,
                    "--storage.tsdb.retention.time=" + RETENTION,
                    "--query.lookback-delta=" + LOOKBACK.toMinutes() + "m",
                    "--web.listen-address=127.0.0.1:" + port));
                command.addAll(webConfig);
                Process process = new ProcessBuilder(command)
                    .directory(folder.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                URI base = URI.create("http://127.0.0.1:" + port);
                try {
                    if (awaitReady(process, http, base)) {
                        awaitBlocks(process, http, base, blocks, log);
                        return new RealPrometheus(folder, process, base, log,
                            Duration.ofNanos(System.nanoTime() - started), http);
                    }
                } catch (RuntimeException e) {
                    stop(process);
                    throw e;
                }
                String failure = process.isAlive() ? "was not ready within " + READY_TIMEOUT.toSeconds() + " s"
                    : "exited with status " + process.exitValue();
                stop(process);
                // Another process may take the free port between our probe and Prometheus' bind: try another one.
                if (attempt >= PORT_ATTEMPTS || !Files.readString(log).contains("address already in use")) {
                    throw new IllegalStateException("prometheus " + failure + " on " + base
                        + "; the end of its log:\n" + tail(log));
                }
            }
        } catch (IOException e) {
            delete(folder);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            delete(folder);
            throw e;
        }
    }

    /** @return the server's address, e.g. {@code http://127.0.0.1:41234} */
    public URI baseUrl() {
        return baseUrl;
    }

    /** @return the server process' id */
    public long pid() {
        return process.pid();
    }

    /** @return the temporary folder holding the data, configuration and log; deleted by {@link #close} */
    public Path folder() {
        return folder;
    }

    /** @return the time from starting the process until the imported data were queryable */
    public Duration startupTime() {
        return startup;
    }

    /** @return the last lines of the server's log */
    public String logTail() {
        return tail(log);
    }

    /**
     * Runs {@code /api/v1/query_range}.
     *
     * @param start the first evaluation time, epoch seconds
     * @param end the last evaluation time, epoch seconds
     * @param step the time between evaluations, whole seconds
     * @return the matrix, one entry per series
     * @throws IllegalStateException when Prometheus does not answer with a successful matrix
     */
    public List<RangeSeries> queryRange(String promql, long start, long end, Duration step) {
        JsonNode data = get(http, baseUrl, "/api/v1/query_range", Map.of("query", promql,
            "start", Long.toString(start), "end", Long.toString(end), "step", Long.toString(step.toSeconds())));
        if (!data.path("resultType").asText().equals("matrix")) {
            throw new IllegalStateException(promql + ": expected a matrix, got " + data);
        }
        List<RangeSeries> result = new ArrayList<>();
        for (JsonNode series : data.path("result")) {
            Map<String, String> labels = new TreeMap<>();
            series.path("metric").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            SortedMap<Long, Double> points = new TreeMap<>();
            for (JsonNode point : series.path("values")) {
                double time = point.get(0).asDouble();
                if (time != Math.rint(time)) {
                    throw new IllegalStateException(promql + ": a point at " + time + " s, not whole seconds");
                }
                points.put((long) time, number(point.get(1).asText()));
            }
            result.add(new RangeSeries(labels, points));
        }
        return result;
    }

    /** Stops the server by its PID (SIGTERM, then SIGKILL after 10 s) and deletes its folder. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop(process);
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway, harmlessly
        }
        delete(folder);
    }

    private static Path createFolder() {
        try {
            return Files.createTempDirectory("real-prometheus-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path binary(String name, String searchPath) {
        for (String dir : (searchPath == null ? "" : searchPath).split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name);
            }
        }
        throw new IllegalStateException(name + " is not installed (no '" + name + "' on the PATH); the tests that "
            + "fetch metrics run a real Prometheus and must not be skipped. " + INSTALL + ".");
    }

    private static void importBlocks(Path promtool, Path file, Path data, Path output) throws IOException {
        Process p = new ProcessBuilder(promtool.toString(), "tsdb", "create-blocks-from", "openmetrics",
            file.toString(), data.toString()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        p.getOutputStream().close();
        boolean done = waitFor(p, IMPORT_TIMEOUT);
        if (!done || p.exitValue() != 0) {
            if (!done) {
                stop(p);
            }
            throw new IllegalStateException("promtool tsdb create-blocks-from openmetrics " + file + " "
                + (done ? "failed with status " + p.exitValue() : "did not finish within " + IMPORT_TIMEOUT.toSeconds()
                + " s") + ":\n" + tail(output));
        }
    }

    /** The blocks promtool wrote, from their meta.json: read before Prometheus may compact them. */
    private static List<Block> blocks(Path data) throws IOException {
        if (!Files.isDirectory(data)) {
            return List.of();
        }
        List<Block> blocks = new ArrayList<>();
        try (Stream<Path> children = Files.list(data)) {
            for (Path meta : children.map(c -> c.resolve("meta.json")).filter(Files::isRegularFile).toList()) {
                JsonNode m = MAPPER.readTree(meta.toFile());
                blocks.add(new Block(m.path("minTime").asLong(), m.path("maxTime").asLong(),
                    m.path("stats").path("numSeries").asInt()));
            }
        }
        return blocks;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** @return true once {@code /-/ready} answers 200; false when the process exits or the deadline passes */
    private static boolean awaitReady(Process process, HttpClient http, URI base) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(base.resolve("/-/ready")).timeout(Duration.ofSeconds(2)).build();
        while (process.isAlive() && System.nanoTime() < deadline) {
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for prometheus", e);
            }
            pause();
        }
        return false;
    }

    /**
     * Waits until, over each block's time range, {@code /api/v1/series} lists at least as many series as the
     * block holds: the block is loaded and queryable.
     */
    private static void awaitBlocks(Process process, HttpClient http, URI base, List<Block> blocks, Path log) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        for (Block block : blocks) {
            Map<String, String> params = Map.of("match[]", "{__name__=~\".+\"}",
                "start", Instant.ofEpochMilli(block.minTime()).toString(),
                "end", Instant.ofEpochMilli(block.maxTime() - 1).toString());
            int found = 0;
            while ((found = get(http, base, "/api/v1/series", params).size()) < block.numSeries()) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the imported block " + block + " was not queryable within "
                        + READY_TIMEOUT.toSeconds() + " s (" + found + " series); the end of prometheus' log:\n"
                        + tail(log));
                }
                pause();
            }
        }
    }

    /** GET with query parameters; returns the {@code data} of a successful API answer. */
    private static JsonNode get(HttpClient http, URI base, String path, Map<String, String> params) {
        String query = params.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path + "?" + query)).timeout(Duration.ofSeconds(30)).build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            JsonNode body = r.statusCode() == 200 ? MAPPER.readTree(r.body()) : null;
            if (body == null || !body.path("status").asText().equals("success")) {
                throw new IllegalStateException("GET " + path + " " + params + ": status " + r.statusCode() + ": " + r.body());
            }
            return body.path("data");
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " " + params, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: GET " + path, e);
        }
    }

    /** Prometheus' number format: Go's, with {@code +Inf}, {@code -Inf} and {@code NaN}. */
    private static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    private static void stop(Process process) {
        process.destroy();
        if (!waitFor(process, STOP_TIMEOUT)) {
            process.destroyForcibly();
            if (!waitFor(process, STOP_TIMEOUT)) {
                throw new IllegalStateException("process " + process.pid() + " did not end after SIGKILL");
            }
        }
    }

    private static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while waiting for process " + process.pid(), e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for prometheus", e);
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(" + file + " is unreadable: " + e.getMessage() + ")";
        }
    }

    private static void delete(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + folder, e);
        }
    }
}
