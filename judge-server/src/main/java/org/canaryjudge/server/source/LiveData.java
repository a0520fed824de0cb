package org.canaryjudge.server.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.canaryjudge.model.MetricData;
import org.canaryjudge.model.MetricType;
import org.canaryjudge.model.Outcome;
import org.canaryjudge.model.StageStart;
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
 * best {@code hold}): a rollout whose metrics store is down pauses instead of failing.
 *
 * <p>Nothing a source sends can make a metric pass unless the judge can vouch for it: a NaN,
 * infinite, stale, null or off-grid sample is a gap in that step (for a rate, in errors and
 * requests alike); a side that reports fewer of the window's steps than the coverage rule asks
 * makes the metric {@code inconclusive}; a query with no series makes it {@code nodata} — an errors
 * query too, unless the errors come from the requests query's own series or the metric opts in
 * with {@code emptyErrors: zero} (see {@link MetricQueries}).
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
        return prepare(root, null);
    }

    /**
     * As {@link #prepare(ObjectNode)}, for a look of a remembered rollout.
     *
     * @param rolloutStart the rollout's first look, the default {@code start} (at least one step before
     *     the end; the lookback's start when the end is before it), or null when the request names no
     *     remembered rollout
     */
    public Fetch prepare(ObjectNode root, Instant rolloutStart) {
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
        boolean startGiven = root.has("start");
        if (startGiven) {
            start = instant(root.get("start"), "/start", now, violations);
        } else if (rolloutStart != null && end != null && rolloutStart.isBefore(end)) {
            start = step == null || rolloutStart.isBefore(end.minus(step)) ? rolloutStart : end.minus(step);
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
                window = TimeWindow.onGrid(start, end, step);
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
        return new Fetch(live, window, startGiven, variables, violations);
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
            if (text.matches("[0-9]{1,11}")) {
                // Flagger's metadata is a map of strings: "1764700000" is epoch seconds there.
                return Instant.ofEpochSecond(Long.parseLong(text));
            }
            try {
                return OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.SECONDS);
            } catch (DateTimeParseException e) {
                // Reported below.
            }
        }
        violations.add(new Violation(pointer, "must be \"now\", an ISO-8601 time with offset (2026-11-26T10:00:00Z)"
            + " or epoch seconds (a number, or a string of digits)"));
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
        private final boolean startGiven;
        private final Map<String, String> variables;
        private final List<Violation> violations;

        private Fetch(LiveConfiguration live, TimeWindow window, boolean startGiven, Map<String, String> variables,
                      List<Violation> violations) {
            this.live = live;
            this.window = window;
            this.startGiven = startGiven;
            this.variables = Map.copyOf(variables);
            this.violations = List.copyOf(violations);
        }

        /** @return the window the queries ask for, or null when the request's times have problems */
        TimeWindow window() {
            return window;
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
         * @return every metric's data, fetched in parallel; a metric whose queries failed is
         *     unavailable, one whose answers the judge cannot vouch for is unvouched
         * @throws IllegalStateException when the request's live fields have problems
         */
        public Map<String, MetricData> run() {
            return run(null).data();
        }

        /**
         * As {@link #run()}, for a look in a later stage of a remembered rollout.
         *
         * @param stageSince when the rollout's current stage began, or null
         * @return the data, and for each metric the index at which each side's points from
         *     {@code stageSince} begin; empty without a {@code stageSince}, and when the window ends
         *     more than a step before it (a replay of the past, whose steps the looks' times do not place)
         */
        public Fetched run(Instant stageSince) {
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
            Map<String, StageStart> stageStarts = new LinkedHashMap<>();
            pending.forEach((metric, answers) -> {
                List<Answer> done = answers.stream().map(CompletableFuture::join).toList();
                MetricQueries q = live.queries().get(metric);
                try {
                    int baselineQueries = q.baseline().all().size();
                    SideReading baseline = read("baseline", metric, q, q.baseline(), done.subList(0, baselineQueries));
                    SideReading canary = read("canary", metric, q, q.canary(), done.subList(baselineQueries, done.size()));
                    Vouching vouching = new Vouching(metric, q, baseline, canary);
                    data.put(metric, vouching.data());
                    if (stageSince != null && !stageSince.isAfter(window.end().plus(window.step()))) {
                        stageStarts.put(metric, vouching.stageStart(window.firstIndexFrom(stageSince)));
                    }
                } catch (SourceException e) {
                    data.put(metric, new MetricData.Unavailable(q.type(), e.getMessage() + "; the metric is not judged without its data."));
                }
            });
            return new Fetched(data, stageStarts);
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

        private SideReading read(String side, String metric, MetricQueries q, MetricQueries.Side queries, List<Answer> answers) {
            if (q.type() == MetricType.HISTOGRAM) {
                return SideReading.histogram(side, answers.get(0).series("the " + side + " query of " + metric), q.bounds(),
                    window);
            }
            if (q.type() != MetricType.RATE) {
                return SideReading.continuous(side, answers.get(0).single("the " + side + " query of " + metric), window);
            }
            if (queries.errorSeries() != null) {
                return SideReading.byLabel(side, answers.get(0).series("the " + side + " requests query of " + metric),
                    queries.errorSeries(), window);
            }
            return SideReading.twoQueries(side, answers.get(0).single("the " + side + " errors query of " + metric),
                answers.get(1).single("the " + side + " requests query of " + metric), q.emptyErrorsAreZero(), window);
        }

        /**
         * Decides what a metric's readings can be vouched for: a side with no series is
         * {@code nodata}; a side that reports too few of the window's steps is
         * {@code inconclusive}; otherwise the data are judged. When the caller gave no start, the
         * window is the configuration's lookback, longer than the canary has run: it then begins at
         * the canary's first sample, on both sides.
         */
        private final class Vouching {
            private final String metric;
            private final MetricQueries q;
            private final SideReading baseline;
            private final SideReading canary;
            private final int from;

            Vouching(String metric, MetricQueries q, SideReading baseline, SideReading canary) {
                this.metric = metric;
                this.q = q;
                this.baseline = baseline;
                this.canary = canary;
                this.from = startGiven ? 0 : Math.max(0, canary.firstSampled());
            }

            MetricData data() {
                MetricData data = switch (q.type()) {
                    case RATE -> new MetricData.Rate(baseline.counts(from, metric), canary.counts(from, metric));
                    case HISTOGRAM -> new MetricData.Histograms(baseline.histogramSince(from), canary.histogramSince(from));
                    case CONTINUOUS -> new MetricData.Continuous(baseline.series(from), canary.series(from));
                };
                String empty = join(baseline.noSeries(), canary.noSeries());
                if (empty != null) {
                    return new MetricData.Unvouched(data, Outcome.NODATA, empty);
                }
                double share = q.minCoverage() == null ? live.minCoverage() : q.minCoverage();
                int steps = window.points() - from;
                int needed = (int) Math.ceil(share * steps - 1e-9);
                String shortfall = join(baseline.shortfall(from, needed, steps, step()),
                    canary.shortfall(from, needed, steps, step()));
                if (shortfall != null) {
                    return new MetricData.Unvouched(data, Outcome.INCONCLUSIVE, shortfall + String.format(Locale.ROOT,
                        " At least %d (%s) of the steps from %s to %s must have a value; NaN, infinite, stale and"
                            + " off-grid samples are gaps. Check the scrape of the missing series.",
                        needed, percent(share), window.start().plus(window.step().multipliedBy(from)), window.end()));
                }
                String note = join(baseline.note(), canary.note());
                return note == null ? data : new MetricData.Annotated(data, note);
            }

            /** @return where each side's points from step {@code index} begin */
            StageStart stageStart(int index) {
                int at = Math.max(index, from);
                return new StageStart(baseline.pointsBetween(from, at), canary.pointsBetween(from, at));
            }

            private String step() {
                return Durations.adjective(window.step());
            }
        }
    }

    private static String join(String a, String b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : a + " " + b;
    }

    private static String percent(double share) {
        return new BigDecimal(Double.toString(100 * share)).stripTrailingZeros().toPlainString() + " %";
    }

    /**
     * What a fetch gave.
     *
     * @param data every metric's data
     * @param stageStarts per metric, where each side's points of the current stage begin
     */
    public record Fetched(Map<String, MetricData> data, Map<String, StageStart> stageStarts) {
        public Fetched {
            data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
            stageStarts = Map.copyOf(stageStarts);
        }
    }

    /** A query's series, or why there are none. */
    private record Answer(List<RangeSeries> series, String failure) {

        /** @return every series the query gave */
        List<RangeSeries> series(String what) {
            if (failure != null) {
                throw new SourceException(failure + " (" + what + ")");
            }
            return series;
        }

        /** @return the query's one series, or null when it gave none */
        RangeSeries single(String what) {
            List<RangeSeries> all = series(what);
            if (all.size() > 1) {
                throw new SourceException(what + " gives " + all.size()
                    + " series; it must give one (aggregate it, e.g. with sum(...) or max(...))");
            }
            return all.isEmpty() ? null : all.get(0);
        }
    }
}
