package org.canaryjudge.server.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.canaryjudge.model.MetricType;
import org.canaryjudge.model.Violation;
import org.canaryjudge.server.json.JsonFields;

/**
 * The live-data part of a named configuration: which source its metrics come from and how.
 *
 * <pre>
 * configs:
 *   checkout:
 *     source: prom            # a name from sources:
 *     step: 60s               # resolution of the fetched series (default 60s)
 *     lookback: 30m           # window when a request gives no start (Argo Rollouts, Flagger)
 *     variables: {app: checkout, stable: stable, canary: canary}   # defaults; requests override
 *     minCoverage: 0.8        # share of the window's steps each side must report (default 0.8)
 *     metrics:
 *       - name: error_rate
 *         type: rate
 *         hold: {absolute: 0.005}
 *         queries: {baseline: {errors: ..., requests: ...}, canary: {errors: ..., requests: ...}}
 * </pre>
 *
 * @param name the configuration's name
 * @param source the source its queries go to
 * @param step the default resolution
 * @param lookback the window used when a request gives no start, or null when requests must
 * @param variables default values of template variables
 * @param minCoverage the share of the window's steps each side of a metric must report, unless the
 *     metric's queries set their own
 * @param queries each metric's queries, by metric name, in the configuration's order
 */
public record LiveConfiguration(String name, SourceSettings source, Duration step, Duration lookback,
                                Map<String, String> variables, double minCoverage, Map<String, MetricQueries> queries) {

    public static final Duration DEFAULT_STEP = Duration.ofSeconds(60);
    /**
     * Four of five steps: room for a scrape or two lost at a window's edge, never a series that
     * has gaps at every other step.
     */
    public static final double DEFAULT_MIN_COVERAGE = 0.8;
    /** The configuration fields only a configuration with a source may use. */
    private static final List<String> LIVE_FIELDS = List.of("source", "step", "lookback", "variables", "minCoverage");

    public LiveConfiguration {
        variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
        queries = Collections.unmodifiableMap(new LinkedHashMap<>(queries));
    }

    /**
     * Takes the live-data fields out of a configuration, leaving the plain specification (mode,
     * confidence, metrics without queries) for the request reader to check.
     *
     * @param name the configuration's name
     * @param config a copy of the configuration, from which the live fields are removed
     * @param sources the configured sources
     * @param violations where problems go, at JSON Pointers into the configuration
     * @return the live part, or null when the configuration names no source (or has problems)
     */
    public static LiveConfiguration extract(String name, ObjectNode config, Map<String, SourceSettings> sources,
                                            List<Violation> violations) {
        JsonNode sourceNode = config.get("source");
        JsonNode metrics = config.path("metrics");
        int before = violations.size();
        if (sourceNode == null) {
            for (String field : LIVE_FIELDS) {
                if (config.has(field)) {
                    violations.add(new Violation("/" + field, "only a configuration with a \"source\" may set it"));
                }
            }
            for (int i = 0; i < metrics.size(); i++) {
                if (metrics.get(i).has("queries")) {
                    violations.add(new Violation("/metrics/" + i + "/queries", "queries need a \"source\" in the configuration"));
                    ((ObjectNode) metrics.get(i)).remove("queries");
                }
            }
            config.remove(LIVE_FIELDS);
            return null;
        }
        SourceSettings source = sources.get(sourceNode.asText());
        if (!sourceNode.isTextual() || source == null) {
            violations.add(new Violation("/source", "must name one of the sources: "
                + (sources.isEmpty() ? "none are configured (add a sources: block)" : String.join(", ", sources.keySet()))));
        }
        Duration step = duration(config, "step", violations);
        Duration lookback = duration(config, "lookback", violations);
        Map<String, String> variables = variables(config.get("variables"), "/variables", Set.of("step"), violations);
        Double minCoverage = MetricQueries.coverage(JsonFields.lenient(config, "", violations), "minCoverage");
        Map<String, MetricQueries> queries = new LinkedHashMap<>();
        for (int i = 0; i < metrics.size(); i++) {
            JsonNode metric = metrics.get(i);
            String pointer = "/metrics/" + i + "/queries";
            if (!metric.isObject()) {
                continue;
            }
            if (!metric.has("queries")) {
                violations.add(new Violation(pointer, "is required: every metric of a configuration with a source is fetched from it"));
                continue;
            }
            String typeName = metric.path("type").asText();
            MetricType type = "rate".equals(typeName) ? MetricType.RATE
                : "histogram".equals(typeName) ? MetricType.HISTOGRAM : MetricType.CONTINUOUS;
            MetricQueries q = MetricQueries.parse(metric.get("queries"), pointer, type, violations);
            if (q != null && type == MetricType.HISTOGRAM) {
                // The bucket bounds are the metric's own (checked with its specification); the answers' le labels must match them.
                q = q.withBounds(metric.path("bounds").isArray() ? boundsOf(metric.get("bounds")) : new double[0]);
            }
            if (q != null && metric.path("name").isTextual()) {
                queries.put(metric.get("name").textValue(), q);
            }
            ((ObjectNode) metric).remove("queries");
        }
        config.remove(LIVE_FIELDS);
        if (violations.size() > before) {
            return null;
        }
        return new LiveConfiguration(name, source, step == null ? DEFAULT_STEP : step, lookback, variables,
            minCoverage == null ? DEFAULT_MIN_COVERAGE : minCoverage, queries);
    }

    private static double[] boundsOf(JsonNode array) {
        double[] bounds = new double[array.size()];
        for (int i = 0; i < bounds.length; i++) {
            bounds[i] = array.get(i).asDouble(Double.NaN);
        }
        return bounds;
    }

    private static Duration duration(ObjectNode config, String field, List<Violation> violations) {
        JsonNode node = config.get(field);
        if (node == null) {
            return null;
        }
        try {
            if (!node.isTextual()) {
                throw new IllegalArgumentException("must be a duration such as 60s, 5m or 1h30m");
            }
            return Durations.parse(node.textValue());
        } catch (IllegalArgumentException e) {
            violations.add(new Violation("/" + field, e.getMessage()));
            return null;
        }
    }

    /**
     * Reads a {@code variables} object: names as {@link QueryTemplate#NAME}, string values as
     * {@link QueryTemplate#SAFE_VALUE}.
     *
     * @param reserved names that may not be set because the judge sets them
     */
    static Map<String, String> variables(JsonNode node, String pointer, Set<String> reserved, List<Violation> violations) {
        Map<String, String> values = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return values;
        }
        if (!node.isObject()) {
            violations.add(new Violation(pointer, "must be an object of variable names to string values"));
            return values;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> v = it.next();
            String at = pointer + "/" + v.getKey().replace("~", "~0").replace("/", "~1");
            if (!QueryTemplate.NAME.matcher(v.getKey()).matches()) {
                violations.add(new Violation(at, "is not a variable name: a letter or '_' followed by letters, digits or '_'"));
            } else if (reserved.contains(v.getKey())) {
                violations.add(new Violation(at, "is set by the judge and cannot be given"));
            } else if (!v.getValue().isTextual() || !QueryTemplate.SAFE_VALUE.matcher(v.getValue().textValue()).matches()) {
                violations.add(new Violation(at, "must be a string of " + QueryTemplate.SAFE_VALUE_RULE
                    + ", so that it cannot change the query"));
            } else {
                values.put(v.getKey(), v.getValue().textValue());
            }
        }
        return values;
    }
}
