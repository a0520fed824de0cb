package org.canaryjudge.server.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.canaryjudge.model.MetricType;
import org.canaryjudge.model.Violation;
import org.canaryjudge.server.json.JsonFields;

/**
 * The queries that fetch one metric's data, one set per side. A continuous metric has one query per
 * side, whose single series is the metric's values; a rate metric has an errors and a requests query
 * per side, each giving counts per step:
 *
 * <pre>
 * queries:                       # continuous
 *   baseline: histogram_quantile(0.95, sum by (le) (rate(http_duration_seconds_bucket{track="stable"}[${step}])))
 *   canary:   histogram_quantile(0.95, sum by (le) (rate(http_duration_seconds_bucket{track="canary"}[${step}])))
 * queries:                       # rate
 *   baseline: {errors: 'sum(increase(http_requests_total{track="stable",code=~"5.."}[${step}]))',
 *              requests: 'sum(increase(http_requests_total{track="stable"}[${step}]))'}
 *   canary:   {errors: ..., requests: ...}
 * </pre>
 *
 * @param type the metric's type
 * @param baseline the baseline side's queries
 * @param canary the canary side's queries
 */
public record MetricQueries(MetricType type, Side baseline, Side canary) {

    /**
     * One side's queries: {@code values} for a continuous metric, {@code errors} and
     * {@code requests} for a rate (the others null).
     */
    public record Side(QueryTemplate values, QueryTemplate errors, QueryTemplate requests) {

        /** @return the side's queries, in a fixed order */
        public List<QueryTemplate> all() {
            return Stream.of(values, errors, requests).filter(q -> q != null).toList();
        }
    }

    private static final Set<String> RATE_FIELDS = Set.of("errors", "requests");
    private static final Set<String> SIDES = Set.of("baseline", "canary");

    /** @return every variable any of the queries uses */
    public Set<String> variables() {
        Set<String> names = new LinkedHashSet<>();
        Stream.concat(baseline.all().stream(), canary.all().stream()).forEach(q -> names.addAll(q.variables()));
        return names;
    }

    /**
     * @param node the metric's {@code queries} value
     * @param pointer its JSON Pointer, for messages
     * @param type the metric's type
     * @return the queries, or null with violations
     */
    static MetricQueries parse(JsonNode node, String pointer, MetricType type, List<Violation> violations) {
        if (!node.isObject()) {
            violations.add(new Violation(pointer, "must be a mapping with \"baseline\" and \"canary\" queries"));
            return null;
        }
        int before = violations.size();
        JsonFields f = new JsonFields(node, pointer, violations, SIDES);
        Side baseline = side(f, "baseline", type, violations);
        Side canary = side(f, "canary", type, violations);
        return violations.size() > before ? null : new MetricQueries(type, baseline, canary);
    }

    private static Side side(JsonFields queries, String side, MetricType type, List<Violation> violations) {
        if (!queries.has(side)) {
            queries.fail(side, type == MetricType.RATE
                ? "is required: {errors: <PromQL>, requests: <PromQL>}" : "is required: a PromQL query");
            return null;
        }
        JsonNode node = queries.node(side);
        if (type != MetricType.RATE) {
            return node.isTextual() ? new Side(template(queries, side), null, null) : wrongShape(queries, side,
                "a continuous metric's query is one PromQL string per side");
        }
        if (!node.isObject()) {
            return wrongShape(queries, side, "a rate metric needs {errors: <PromQL>, requests: <PromQL>} per side");
        }
        JsonFields f = new JsonFields(node, queries.at(side), violations, RATE_FIELDS);
        QueryTemplate errors = f.has("errors") ? template(f, "errors") : missing(f, "errors");
        QueryTemplate requests = f.has("requests") ? template(f, "requests") : missing(f, "requests");
        return new Side(null, errors, requests);
    }

    private static QueryTemplate template(JsonFields f, String field) {
        String text = f.string(field);
        if (text == null) {
            return null;
        }
        try {
            return QueryTemplate.parse(text);
        } catch (IllegalArgumentException e) {
            f.fail(field, e.getMessage());
            return null;
        }
    }

    private static QueryTemplate missing(JsonFields f, String field) {
        f.fail(field, "is required: a PromQL query that gives " + field + " per step");
        return null;
    }

    private static Side wrongShape(JsonFields f, String side, String message) {
        f.fail(side, message);
        return null;
    }
}
