package org.canaryjudge.server.source;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for Prometheus's {@code query_range} that answers healthy data unless a query asks
 * for a fault: the answers a real Prometheus cannot be made to give (off-grid timestamps, a
 * garbage value, an answer cut short, one far too large). Queries name what they fetch as
 * {@code <kind>{side="canary",fault="<fault>",at="<placement>"}}, with kind {@code value},
 * {@code errors}, {@code requests} or {@code bycode}; the fault is applied only where
 * {@code at} names this query's placement ({@code canary_errors}, {@code baseline_value}, …).
 *
 * <p>Healthy data: a value of about 100 at every step on both sides; 10,000 requests and 10
 * errors per step; by code, a {@code code="200"} and a {@code code="500"} series.
 */
public final class FaultyPrometheus implements AutoCloseable {

    /** One way an answer can be wrong. */
    public enum Fault {
        NAN_ALL(series(s -> s.values(i -> "NaN"))),
        NAN_EVERY_OTHER(series(s -> s.values(i -> i % 2 == 1 ? "NaN" : null))),
        NAN_LAST_13(series(s -> s.values(i -> i >= 48 ? "NaN" : null))),
        PLUS_INF_ALL(series(s -> s.values(i -> "+Inf"))),
        MINUS_INF_ALL(series(s -> s.values(i -> "-Inf"))),
        INF_EVERY_OTHER(series(s -> s.values(i -> i % 2 == 0 ? "+Inf" : null))),
        INFINITY_TEXT(series(s -> s.values(i -> "Infinity"))),
        STALE_ALL(series(s -> s.values(i -> "stale"))),
        STALE_EVERY_THIRD(series(s -> s.values(i -> i % 3 == 0 ? "stale" : null))),
        NULL_VALUES(series(s -> s.nullValues())),
        HALF_STEP_OFF(series(s -> s.shift(30))),
        ONE_SECOND_OFF(series(s -> s.shift(1))),
        EVERY_OTHER_OFF_GRID(series(s -> s.shiftEveryOther(17))),
        MILLISECOND_TIMES(series(s -> s.scaleTimes(1000))),
        AFTER_THE_WINDOW(series(s -> s.shift(86_400))),
        FIRST_12_STEPS(series(s -> s.keep(i -> i < 12))),
        LAST_12_STEPS(series(s -> s.keep(i -> i >= 49))),
        JUST_UNDER_COVERAGE(series(s -> s.keep(i -> i < 48))),
        RANDOM_THIRD_MISSING(series(s -> s.keep(i -> (i * 7919) % 3 != 0))),
        DUPLICATE_TIMES(series(s -> s.duplicateTimes())),
        NO_SERIES(answer(a -> a.noSeries())),
        TWO_SERIES(answer(a -> a.twice())),
        GARBAGE_VALUE(series(s -> s.values(i -> i == 5 ? "abc" : null))),
        NUMBER_VALUES(series(s -> s.numbersNotStrings())),
        THREE_ELEMENT_SAMPLE(series(s -> s.threeElements())),
        STRING_TIMES(series(s -> s.stringTimes())),
        ONLY_HISTOGRAMS(series(s -> s.histogramsOnly())),
        STATUS_ERROR(raw(200, "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query timed out\"}")),
        HTTP_500(raw(500, "internal error")),
        HTTP_503(raw(503, "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"shutting down\"}")),
        HTTP_400_BAD_DATA(raw(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}")),
        VECTOR_RESULT(raw(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}")),
        SCALAR_RESULT(raw(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"1\"]}}")),
        TRUNCATED_JSON(answer(a -> a.truncated())),
        EMPTY_BODY(raw(200, "")),
        HTML_BODY(raw(200, "<html><body>proxy login</body></html>")),
        LARGER_THAN_ALLOWED(answer(a -> a.padded(2 << 20))),
        SEVEN_HUNDRED_THOUSAND_OFF_GRID(series(s -> s.offGridFlood(700_000))),
        TOO_SLOW(slow()),
        /** By code only: the errors' series is NaN while the others are fine. */
        ERROR_CODE_NAN(series(s -> s.labels().contains("500") ? s.values(i -> "NaN") : s));

        private final Answerer answerer;

        Fault(Answerer answerer) {
            this.answerer = answerer;
        }

        /** @return the name as a template variable's value */
        public String variable() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Makes the answer of one query. */
    @FunctionalInterface
    interface Answerer {
        void answer(Answer healthy, HttpExchange exchange) throws IOException;
    }

    /** Answers already written, by fault and healthy answer: some are megabytes long. */
    private static final Map<List<Object>, String> WRITTEN = new java.util.concurrent.ConcurrentHashMap<>();

    private static Answerer series(UnaryOperator<Samples> fault) {
        return (healthy, exchange) -> send(exchange, 200,
            WRITTEN.computeIfAbsent(List.of(fault, healthy.json()), k -> healthy.mapSeries(fault).json()));
    }

    private static Answerer answer(java.util.function.Function<Answer, String> fault) {
        return (healthy, exchange) -> send(exchange, 200, fault.apply(healthy));
    }

    private static Answerer raw(int status, String body) {
        return (healthy, exchange) -> send(exchange, status, body);
    }

    private static Answerer slow() {
        return (healthy, exchange) -> {
            try {
                Thread.sleep(2_500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            send(exchange, 200, healthy.json());
        };
    }

    private static final Pattern QUERY = Pattern.compile(
        "(value|errors|requests|bycode)\\{side=\"(baseline|canary)\",fault=\"([a-z0-9_]+)\",at=\"([a-z_]+)\"}");

    private final HttpServer server;

    private FaultyPrometheus(HttpServer server) {
        this.server = server;
    }

    /** @return a running server on a free port of 127.0.0.1 */
    public static FaultyPrometheus start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(8));
        FaultyPrometheus p = new FaultyPrometheus(server);
        server.createContext("/api/v1/query_range", p::handle);
        server.start();
        return p;
    }

    /** @return the base URL to configure as a source */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            Matcher m = QUERY.matcher(form.getOrDefault("query", ""));
            if (!m.matches()) {
                send(exchange, 400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"unknown query\"}");
                return;
            }
            String kind = m.group(1);
            String side = m.group(2);
            Answer healthy = Answer.healthy(kind, side, Long.parseLong(form.get("start")), Long.parseLong(form.get("end")),
                Long.parseLong(form.get("step")));
            String placement = side + "_" + (kind.equals("bycode") ? "bycode" : kind);
            if (!m.group(4).equals(placement) || m.group(3).equals("none")) {
                send(exchange, 200, healthy.json());
                return;
            }
            Fault.valueOf(m.group(3).toUpperCase(Locale.ROOT)).answerer.answer(healthy, exchange);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    /** The samples of one series, as JSON fragments, to be bent by a fault. */
    record Samples(String labels, List<Long> times, List<String> values, String extra) {

        Samples values(java.util.function.IntFunction<String> replace) {
            List<String> v = new ArrayList<>(values);
            for (int i = 0; i < v.size(); i++) {
                String r = replace.apply(i);
                if (r != null) {
                    v.set(i, "\"" + r + "\"");
                }
            }
            return new Samples(labels, times, v, extra);
        }

        Samples nullValues() {
            return new Samples(labels, times, values.stream().map(v -> "null").toList(), extra);
        }

        Samples numbersNotStrings() {
            return new Samples(labels, times, values.stream().map(v -> v.replace("\"", "")).toList(), extra);
        }

        Samples shift(long seconds) {
            return new Samples(labels, times.stream().map(t -> t + seconds).toList(), values, extra);
        }

        Samples shiftEveryOther(long seconds) {
            List<Long> t = new ArrayList<>(times);
            for (int i = 1; i < t.size(); i += 2) {
                t.set(i, t.get(i) + seconds);
            }
            return new Samples(labels, t, values, extra);
        }

        Samples scaleTimes(long factor) {
            return new Samples(labels, times.stream().map(t -> t * factor).toList(), values, extra);
        }

        Samples keep(java.util.function.IntPredicate which) {
            List<Long> t = new ArrayList<>();
            List<String> v = new ArrayList<>();
            for (int i = 0; i < times.size(); i++) {
                if (which.test(i)) {
                    t.add(times.get(i));
                    v.add(values.get(i));
                }
            }
            return new Samples(labels, t, v, extra);
        }

        Samples duplicateTimes() {
            List<Long> t = new ArrayList<>();
            List<String> v = new ArrayList<>();
            for (int i = 0; i < times.size(); i++) {
                t.add(times.get(i));
                v.add(values.get(i));
                t.add(times.get(i));
                v.add("\"0\"");
            }
            return new Samples(labels, t, v, extra);
        }

        Samples threeElements() {
            return new Samples(labels, times, values.stream().map(v -> v + ",\"x\"").toList(), extra);
        }

        Samples stringTimes() {
            return new Samples(labels, times, values, "stringTimes");
        }

        Samples histogramsOnly() {
            return new Samples(labels, List.of(), List.of(), "histograms");
        }

        /** Mostly off-grid samples at one-second spacing, with the window's own steps among them. */
        Samples offGridFlood(int count) {
            List<Long> t = new ArrayList<>(count);
            List<String> v = new ArrayList<>(count);
            long first = times.get(0);
            for (int i = 0; i < count; i++) {
                t.add(first + i);
                v.add(values.get(0));
            }
            return new Samples(labels, t, v, extra);
        }

        String json() {
            StringBuilder b = new StringBuilder("{\"metric\":").append(labels);
            if ("histograms".equals(extra)) {
                return b.append(",\"histograms\":[[1,{\"count\":\"1\",\"sum\":\"1\",\"buckets\":[]}]]}").toString();
            }
            b.append(",\"values\":[");
            for (int i = 0; i < times.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                String time = "stringTimes".equals(extra) ? "\"" + times.get(i) + "\"" : Long.toString(times.get(i));
                b.append('[').append(time).append(',').append(values.get(i)).append(']');
            }
            return b.append("]}").toString();
        }
    }

    /** A healthy answer: its series. */
    record Answer(List<Samples> series) {

        static Answer healthy(String kind, String side, long start, long end, long step) {
            List<Samples> all = new ArrayList<>();
            if (kind.equals("bycode")) {
                all.add(samples("{\"code\":\"200\"}", start, end, step, i -> "9990"));
                all.add(samples("{\"code\":\"500\"}", start, end, step, i -> "10"));
            } else {
                int phase = side.equals("canary") ? 3 : 0;
                all.add(samples("{}", start, end, step, switch (kind) {
                    case "errors" -> i -> "10";
                    case "requests" -> i -> "10000";
                    default -> i -> Double.toString(100 + ((i + phase) * 37 % 11 - 5) * 0.5);
                }));
            }
            return new Answer(all);
        }

        private static Samples samples(String labels, long start, long end, long step, java.util.function.IntFunction<String> value) {
            List<Long> t = new ArrayList<>();
            List<String> v = new ArrayList<>();
            int i = 0;
            for (long at = start; at <= end; at += step, i++) {
                t.add(at);
                v.add("\"" + value.apply(i) + "\"");
            }
            return new Samples(labels, t, v, null);
        }

        Answer mapSeries(UnaryOperator<Samples> fault) {
            return new Answer(series.stream().map(fault).toList());
        }

        String json() {
            return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + String.join(",", series.stream().map(Samples::json).toList()) + "]}}";
        }

        String noSeries() {
            return new Answer(List.of()).json();
        }

        String twice() {
            List<Samples> doubled = new ArrayList<>(series);
            series.forEach(s -> doubled.add(new Samples("{\"replica\":\"b\"}", s.times(), s.values(), s.extra())));
            return new Answer(doubled).json();
        }

        String truncated() {
            String full = json();
            return full.substring(0, full.length() / 2);
        }

        /** The healthy answer with a warning long enough to pass {@code bytes}. */
        String padded(int bytes) {
            String full = json();
            return full.substring(0, full.length() - 1) + ",\"warnings\":[\"" + "x".repeat(bytes) + "\"]}";
        }
    }
}
