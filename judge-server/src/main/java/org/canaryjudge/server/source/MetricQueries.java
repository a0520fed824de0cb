package org.canaryjudge.server.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;
import org.canaryjudge.model.MetricType;
import org.canaryjudge.model.Violation;
import org.canaryjudge.server.json.JsonFields;

/**
 * The queries that fetch one metric's data, one set per side, and how their answers are read. A
 * continuous metric has one query per side, whose single series is the metric's values; a rate
 * metric has per side a requests query and its errors, either as a second query or — recommended —
 * as the requests query's own series whose label matches:
 *
 * <pre>
 * queries:                       # continuous
 *   baseline: histogram_quantile(0.95, sum by (le) (rate(http_duration_seconds_bucket{track="stable"}[${step}])))
 *   canary:   histogram_quantile(0.95, sum by (le) (rate(http_duration_seconds_bucket{track="canary"}[${step}])))
 * queries:                       # rate, vouched: one query by (code); its 5xx series are the errors
 *   baseline: {requests: 'sum by (code) (increase(http_requests_total{track="stable"}[${step}]))',
 *              errors: {label: code, matches: '5..'}}
 *   canary:   {requests: ..., errors: {label: code, matches: '5..'}}
 * queries:                       # histogram: one query a side by (le), cumulative buckets as Prometheus keeps them
 *   baseline: sum by (le) (increase(http_duration_seconds_bucket{track="stable"}[${step}]))
 *   canary:   sum by (le) (increase(http_duration_seconds_bucket{track="canary"}[${step}]))
 * queries:                       # rate, two queries; an empty errors answer is nodata unless
 *   emptyErrors: zero            #   the metric says none means none
 *   baseline: {errors: 'sum(increase(http_requests_total{track="stable",code=~"5.."}[${step}]))',
 *              requests: 'sum(increase(http_requests_total{track="stable"}[${step}]))'}
 *   canary:   {errors: ..., requests: ...}
 *   minCoverage: 0.9             # share of the window's steps each side must report (default: the configuration's)
 * </pre>
 *
 * <p>With the {@code by (code)} form a mistyped metric or label empties the requests answer too,
 * which is {@code nodata}; a code that did not occur is simply a series that is not there, which is
 * zero errors the judge can vouch for because the requests were counted by the same query.
 *
 * @param type the metric's type
 * @param baseline the baseline side's queries
 * @param canary the canary side's queries
 * @param minCoverage the share of the window's steps each side must report, or null for the
 *     configuration's
 * @param emptyErrorsAreZero whether an errors query that returns no series counts as zero errors
 * @param bounds a histogram metric's bucket bounds, which its answers' {@code le} labels must match;
 *     empty for other metrics
 */
public record MetricQueries(MetricType type, Side baseline, Side canary, Double minCoverage, boolean emptyErrorsAreZero,
                            double[] bounds) {

    /** @return these queries for a histogram with the given bucket bounds */
    MetricQueries withBounds(double[] histogramBounds) {
        return new MetricQueries(type, baseline, canary, minCoverage, emptyErrorsAreZero, histogramBounds.clone());
    }

    /**
     * One side's queries: {@code values} for a continuous metric; {@code requests} and either
     * {@code errors} or {@code errorSeries} for a rate (the others null).
     */
    public record Side(QueryTemplate values, QueryTemplate errors, QueryTemplate requests, ErrorSeries errorSeries) {

        /** @return the side's queries, in a fixed order */
        public List<QueryTemplate> all() {
            return Stream.of(values, errors, requests).filter(q -> q != null).toList();
        }
    }

    /**
     * Errors taken from the requests query's own series: those whose label fully matches the
     * pattern, as PromQL's {@code =~} does.
     *
     * @param label the label that tells errors apart, such as {@code code}
     * @param matches the pattern of its error values, such as {@code 5..}
     */
    public record ErrorSeries(String label, Pattern matches) {

        /** @return whether the series with these labels counts errors */
        public boolean counts(Map<String, String> labels) {
            String value = labels.get(label);
            return value != null && matches.matcher(value).matches();
        }
    }

    private static final Set<String> RATE_FIELDS = Set.of("errors", "requests");
    private static final Set<String> ERROR_SERIES_FIELDS = Set.of("label", "matches");
    private static final Set<String> FIELDS = Set.of("baseline", "canary", "minCoverage", "emptyErrors");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

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
        JsonFields f = new JsonFields(node, pointer, violations, FIELDS);
        Side baseline = side(f, "baseline", type, violations);
        Side canary = side(f, "canary", type, violations);
        Double minCoverage = coverage(f, "minCoverage");
        boolean emptyErrorsAreZero = false;
        String emptyErrors = f.string("emptyErrors");
        if (emptyErrors != null) {
            if (type != MetricType.RATE) {
                f.fail("emptyErrors", "only a rate metric has errors");
            } else if (Stream.of(baseline, canary).anyMatch(s -> s != null && s.errorSeries() != null)) {
                f.fail("emptyErrors", "errors taken from the requests query's series are vouched for already");
            } else if (emptyErrors.equals("zero")) {
                emptyErrorsAreZero = true;
            } else if (!emptyErrors.equals("nodata")) {
                f.fail("emptyErrors", "must be \"nodata\" (the default) or \"zero\", got \"" + emptyErrors + "\"");
            }
        }
        return violations.size() > before ? null
            : new MetricQueries(type, baseline, canary, minCoverage, emptyErrorsAreZero, new double[0]);
    }

    /**
     * @return the share in (0, 1] at the field, or null when absent or invalid (with a violation)
     */
    static Double coverage(JsonFields f, String field) {
        Double share = f.number(field);
        if (share != null && !(share > 0 && share <= 1)) {
            f.fail(field, "must be a share of the window's steps, above 0 and at most 1 (0.8 is 80 %), got " + share);
            return null;
        }
        return share;
    }

    private static Side side(JsonFields queries, String side, MetricType type, List<Violation> violations) {
        if (!queries.has(side)) {
            queries.fail(side, type == MetricType.RATE
                ? "is required: {errors: <PromQL>, requests: <PromQL>}" : "is required: a PromQL query");
            return null;
        }
        JsonNode node = queries.node(side);
        if (type != MetricType.RATE) {
            return node.isTextual() ? new Side(template(queries, side), null, null, null) : wrongShape(queries, side,
                "a continuous metric's query is one PromQL string per side");
        }
        if (!node.isObject()) {
            return wrongShape(queries, side, "a rate metric needs {errors: <PromQL>, requests: <PromQL>} per side");
        }
        JsonFields f = new JsonFields(node, queries.at(side), violations, RATE_FIELDS);
        QueryTemplate requests = f.has("requests") ? template(f, "requests") : missing(f, "requests");
        if (f.has("errors") && f.node("errors").isObject()) {
            return new Side(null, null, requests, errorSeries(f.node("errors"), f.at("errors"), violations));
        }
        QueryTemplate errors = f.has("errors") ? template(f, "errors") : missing(f, "errors");
        return new Side(null, errors, requests, null);
    }

    private static ErrorSeries errorSeries(JsonNode node, String pointer, List<Violation> violations) {
        JsonFields f = new JsonFields(node, pointer, violations, ERROR_SERIES_FIELDS);
        String label = f.requiredString("label");
        String matches = f.requiredString("matches");
        if (label != null && !LABEL.matcher(label).matches()) {
            f.fail("label", "must be a Prometheus label name, such as code");
            return null;
        }
        if (label == null || matches == null) {
            return null;
        }
        try {
            return new ErrorSeries(label, Pattern.compile(matches));
        } catch (PatternSyntaxException e) {
            f.fail("matches", "is not a regular expression: " + e.getDescription());
            return null;
        }
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
        f.fail(field, field.equals("errors")
            ? "is required: a PromQL query that gives errors per step, or {label: code, matches: '5..'} to take them"
                + " from the requests query's series"
            : "is required: a PromQL query that gives requests per step");
        return null;
    }

    private static Side wrongShape(JsonFields f, String side, String message) {
        f.fail(side, message);
        return null;
    }
}
