package org.canaryjudge.server.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.canaryjudge.model.Counts;
import org.canaryjudge.model.MetricData;
import org.canaryjudge.model.MetricType;
import org.canaryjudge.model.Series;
import org.canaryjudge.model.Violation;

/**
 * Fetches the data of requests that name a configuration with a source. Such a request carries no
 * data, only the window and the template variables:
 *
 * <pre>
 * {"config": "checkout", "variables": {"canary": "7f9c6d"}, "start": "2026-11-26T10:00:00Z", "end": "now", "step": "60s"}
 * </pre>
 *
 * <p>{@code end} defaults to now and {@code step} to the configuration's; {@code start} defaults to
 * {@code end} minus the configuration's {@code lookback}. Times are ISO-8601 or epoch seconds. The
 * variable {@code step} is set to the step (as {@code 60s}) for range selectors.
 *
 * <p>Every query of the request runs at once, each bounded by its source's timeout. A query that
 * fails makes its metric's data {@link MetricData.Unavailable} (outcome {@code error}, verdict at
 * best {@code hold}): a rollout whose metrics store is down pauses instead of failing. A query with
 * no series gives no data ({@code nodata}) — except an errors query, whose empty answer means no
 * errors: {@code sum(increase(x{code=~"5.."}[1m]))} has no series while nothing failed.
 */
public final class LiveData {

    /** The request fields read here, which the request reader does not know. */
    public static final Set<String> REQUEST_FIELDS = Set.of("variables", "start", "end", "step");

    private final Map<String, LiveConfiguration> configurations;
    private final PrometheusClient client = new PrometheusClient();
    private final Clock clock;
    private final QueryListener listener;

    /** Told the result of every query: {@code ok} (series came back), {@code empty} or {@code error}. */
    @FunctionalInterface
    public interface QueryListener {
        void answered(String source, String result);
    }

    /**
     * @param configurations the live configurations by name
     * @param clock what "now" is
     * @param listener told of every query's result
     */
    public LiveData(Map<String, LiveConfiguration> configurations, Clock clock, QueryListener listener) {
        this.configurations = Map.copyOf(configurations);
        this.clock = clock;
        this.listener = listener;
    }

    /**
     * Checks and takes out the live fields of a request.
     *
     * @param root the request, from which the fields of {@link #REQUEST_FIELDS} are removed
     * @return the fetch to run (unless it has {@link Fetch#violations()}), or null when the request
     *     names no configuration with a source
     */
    public Fetch prepare(ObjectNode root) {
        JsonNode name = root.get("config");
        LiveConfiguration live = name != null && name.isTextual() ? configurations.get(name.textValue()) : null;
        if (live == null) {
            return null;
        }
        List<Violation> violations = new ArrayList<>();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant end = root.has("end") ? instant(root.get("end"), "/end", now, violations) : now;
        Duration step = live.step();
        if (root.has("step")) {
            step = duration(root.get("step"), "/step", violations);
        }
        Instant start = null;
        if (root.has("start")) {
            start = instant(root.get("start"), "/start", now, violations);
        } else if (live.lookback() != null && end != null) {
            start = end.minus(live.lookback());
        } else {
            violations.add(new Violation("/start", "is required: configuration \"" + live.name()
                + "\" has no lookback; send the time the canary started (ISO-8601 or epoch seconds)"));
        }
        Map<String, String> variables = new LinkedHashMap<>(live.variables());
        variables.putAll(LiveConfiguration.variables(root.get("variables"), "/variables", Set.of("step"), violations));
        TimeWindow window = null;
        if (start != null && end != null && step != null) {
            variables.put("step", Durations.prometheus(step));
            try {
                window = new TimeWindow(start, end, step);
            } catch (IllegalArgumentException e) {
                violations.add(new Violation("/start", e.getMessage()));
            }
        }
        Set<String> given = new HashSet<>(variables.keySet());
        root.path("variables").fieldNames().forEachRemaining(given::add);
        for (Map.Entry<String, MetricQueries> m : live.queries().entrySet()) {
            for (String v : m.getValue().variables()) {
                if (!given.contains(v) && !v.equals("step")) {
                    violations.add(new Violation("/variables", "the queries of metric \"" + m.getKey() + "\" use ${" + v
                        + "}; send it, e.g. \"variables\": {\"" + v + "\": \"...\"}"));
                }
            }
        }
        root.remove(REQUEST_FIELDS);
        return new Fetch(live, window, variables, violations);
    }

    private static Instant instant(JsonNode node, String pointer, Instant now, List<Violation> violations) {
        if (node.isNumber() && Double.isFinite(node.doubleValue()) && node.doubleValue() >= 0 && node.doubleValue() < 1e11) {
            return Instant.ofEpochSecond(node.longValue());
        }
        if (node.isTextual()) {
            String text = node.textValue();
            if (text.equals("now")) {
                return now;
            }
            try {
                return OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.SECONDS);
            } catch (DateTimeParseException e) {
                // Reported below.
            }
        }
        violations.add(new Violation(pointer, "must be \"now\", an ISO-8601 time with offset (2026-11-26T10:00:00Z)"
            + " or epoch seconds"));
        return null;
    }

    private static Duration duration(JsonNode node, String pointer, List<Violation> violations) {
        try {
            if (!node.isTextual()) {
                throw new IllegalArgumentException("must be a duration such as 60s, 5m or PT1M");
            }
            return Durations.parse(node.textValue());
        } catch (IllegalArgumentException e) {
            violations.add(new Violation(pointer, e.getMessage()));
            return null;
        }
    }

    /** The queries of one request, ready to run. */
    public final class Fetch {

        private final LiveConfiguration live;
        private final TimeWindow window;
        private final Map<String, String> variables;
        private final List<Violation> violations;

        private Fetch(LiveConfiguration live, TimeWindow window, Map<String, String> variables, List<Violation> violations) {
            this.live = live;
            this.window = window;
            this.variables = Map.copyOf(variables);
            this.violations = List.copyOf(violations);
        }

        /** @return the problems of the request's live fields; the fetch can run only when there are none */
        public List<Violation> violations() {
            return violations;
        }

        /** @return empty data of the right kind for every metric, to check the request before fetching */
        public Map<String, MetricData> placeholders() {
            Map<String, MetricData> empty = new LinkedHashMap<>();
            live.queries().forEach((metric, q) -> empty.put(metric, MetricData.empty(q.type())));
            return empty;
        }

        /**
         * @return every metric's data, fetched in parallel; a metric whose queries failed is unavailable
         * @throws IllegalStateException when the request's live fields have problems
         */
        public Map<String, MetricData> run() {
            if (!violations.isEmpty()) {
                throw new IllegalStateException("a request with invalid live fields cannot be fetched");
            }
            Map<String, List<CompletableFuture<Answer>>> pending = new LinkedHashMap<>();
            live.queries().forEach((metric, q) -> {
                List<CompletableFuture<Answer>> answers = new ArrayList<>();
                for (MetricQueries.Side side : List.of(q.baseline(), q.canary())) {
                    side.all().forEach(t -> answers.add(ask(t)));
                }
                pending.put(metric, answers);
            });
            Map<String, MetricData> data = new LinkedHashMap<>();
            pending.forEach((metric, answers) -> {
                List<Answer> done = answers.stream().map(CompletableFuture::join).toList();
                data.put(metric, assemble(metric, live.queries().get(metric), done));
            });
            return data;
        }

        private CompletableFuture<Answer> ask(QueryTemplate template) {
            SourceSettings source = live.source();
            return client.queryRange(source, template.render(variables), window)
                .orTimeout(source.timeout().toMillis() + 2_000, TimeUnit.MILLISECONDS)
                .handle((series, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                        listener.answered(source.name(), "error");
                        return new Answer(null, cause instanceof SourceException ? cause.getMessage()
                            : "Prometheus source \"" + source.name() + "\" did not answer within "
                                + source.timeout().getSeconds() + " s");
                    }
                    listener.answered(source.name(), series.isEmpty() ? "empty" : "ok");
                    return new Answer(series, null);
                });
        }

        /** Answers in the order of {@link MetricQueries.Side#all()}, baseline first. */
        private MetricData assemble(String metric, MetricQueries q, List<Answer> answers) {
            List<String> labels = q.type() == MetricType.RATE
                ? List.of("baseline errors", "baseline requests", "canary errors", "canary requests")
                : List.of("baseline", "canary");
            try {
                double[][] aligned = new double[answers.size()][];
                for (int i = 0; i < answers.size(); i++) {
                    aligned[i] = answers.get(i).aligned(labels.get(i) + " query of " + metric, window);
                }
                if (q.type() == MetricType.RATE) {
                    return new MetricData.Rate(counts(aligned[0], aligned[1], "baseline", metric),
                        counts(aligned[2], aligned[3], "canary", metric));
                }
                return new MetricData.Continuous(series(aligned[0]), series(aligned[1]));
            } catch (SourceException e) {
                return new MetricData.Unavailable(q.type(), e.getMessage() + "; the metric is not judged without its data.");
            }
        }
    }

    /** A query's series, or why there are none. */
    private record Answer(List<RangeSeries> series, String failure) {

        /** @return the one series' values on the window, or null when the query gave no series */
        double[] aligned(String what, TimeWindow window) {
            if (failure != null) {
                throw new SourceException(failure + " (the " + what + ")");
            }
            if (series.size() > 1) {
                throw new SourceException("the " + what + " gives " + series.size()
                    + " series; it must give one (aggregate it, e.g. with sum(...) or max(...))");
            }
            return series.isEmpty() ? null : series.get(0).on(window);
        }
    }

    /** Non-finite values (Prometheus's NaN, ±Inf) are missing observations. */
    private static Series series(double[] values) {
        if (values == null) {
            return Series.of();
        }
        double[] v = values.clone();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                v[i] = Double.NaN;
            }
        }
        return Series.of(v);
    }

    /**
     * Counts per step where the requests query has a value. {@code increase()} extrapolates to the
     * window's edges, so its results are not whole numbers: they are rounded. Rounding can leave a
     * step with a few more errors than requests (all requests failing); such a step is capped at its
     * requests. Far more errors than requests means the errors query counts something else, and the
     * metric is not judged.
     */
    private static Counts counts(double[] errors, double[] requests, String side, String metric) {
        if (requests == null) {
            return Counts.of(new long[0], new long[0]);
        }
        long[] e = new long[requests.length];
        long[] r = new long[requests.length];
        int steps = 0;
        for (int i = 0; i < requests.length; i++) {
            if (!Double.isFinite(requests[i])) {
                continue;
            }
            long req = Math.round(requests[i]);
            long err = errors == null || !Double.isFinite(errors[i]) ? 0 : Math.round(errors[i]);
            if (req < 0 || err < 0) {
                throw new SourceException("the " + side + " queries of " + metric + " give a negative count at step " + i
                    + "; use increase(...) of counters");
            }
            if (err > req) {
                if (err > Math.ceil(1.05 * req) + 1) {
                    throw new SourceException(String.format(Locale.ROOT, "the %s queries of %s give more errors (%d) than"
                        + " requests (%d) at step %d; the errors query must count a subset of the requests", side, metric, err, req, i));
                }
                err = req;
            }
            e[steps] = err;
            r[steps] = req;
            steps++;
        }
        return Counts.of(Arrays.copyOf(e, steps), Arrays.copyOf(r, steps));
    }
}
