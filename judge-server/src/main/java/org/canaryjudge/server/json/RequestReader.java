package org.canaryjudge.server.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.canaryjudge.model.Band;
import org.canaryjudge.model.Confidence;
import org.canaryjudge.model.Counts;
import org.canaryjudge.model.Correlation;
import org.canaryjudge.model.Direction;
import org.canaryjudge.model.Histogram;
import org.canaryjudge.model.InvalidInputException;
import org.canaryjudge.model.JudgeRequest;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.MetricData;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.MetricType;
import org.canaryjudge.model.Mode;
import org.canaryjudge.model.Series;
import org.canaryjudge.model.Stage;
import org.canaryjudge.model.StageStart;
import org.canaryjudge.model.TrafficSplit;
import org.canaryjudge.model.Violation;

/**
 * Maps a {@code POST /judge} body (CONTRACT.md, "Request") to a {@link JudgeRequest}.
 *
 * <p>Every problem is collected, each at the JSON Pointer of the offending value, and thrown
 * together as one {@link InvalidInputException}; a request with any problem never reaches the
 * judge.
 */
public final class RequestReader {

    private static final Set<String> REQUEST_FIELDS = fields("id", "mode", "confidence", "config", "metrics", "stage",
        "traffic");
    private static final Set<String> METRIC_FIELDS = fields("name", "type", "direction", "hold", "rollback",
        "critical", "weight", "minSamples", "minRequests", "horizon", "confidence", "correlation", "baseline", "canary", "stageStart",
        "quantile", "bounds");
    private static final Set<String> HISTOGRAM_SIDE_FIELDS = fields("counts");
    private static final Set<String> STAGE_FIELDS = fields("name", "startIndex");
    private static final Set<String> STAGE_START_FIELDS = fields("baseline", "canary");
    private static final Set<String> COUNTS_FIELDS = fields("errors", "requests");
    private static final Set<String> BAND_FIELDS = fields("absolute", "relative", "ratio");

    private static final Set<String> CONFIGURATION_FIELDS = fields("mode", "confidence", "traffic", "metrics");
    private static final Set<String> TRAFFIC_FIELDS = fields("canaryShare", "metric");

    /** Points per series; a month of one-minute points is 43,200. */
    static final int MAX_SERIES_LENGTH = 1_000_000;

    // A request is a few levels deep; hostile nesting or giant numerals are refused while parsing.
    private final ObjectMapper mapper = JsonBody.mapper(32, false);
    private final Map<String, ObjectNode> configurations;

    /** A reader for requests that name no configuration. */
    public RequestReader() {
        this(Map.of());
    }

    /**
     * @param configurations named configurations a request may refer to with {@code "config"}; each
     *     is checked with {@link #checkConfiguration} first
     * @throws InvalidInputException when a configuration is invalid, its violations' paths being
     *     JSON Pointers into that configuration
     */
    public RequestReader(Map<String, ObjectNode> configurations) {
        for (Map.Entry<String, ObjectNode> c : configurations.entrySet()) {
            List<Violation> violations = checkConfiguration(c.getValue());
            if (!violations.isEmpty()) {
                throw new InvalidInputException(violations.stream()
                    .map(v -> new Violation("/" + c.getKey() + v.path(), v.message())).toList());
            }
        }
        this.configurations = Map.copyOf(configurations);
    }

    /**
     * Checks a named configuration: optional {@code mode} and {@code confidence}, and
     * {@code metrics}, a list of metric specifications without {@code baseline} or {@code canary}.
     *
     * @return every problem, at JSON Pointers into the configuration; empty when it is valid
     */
    public static List<Violation> checkConfiguration(JsonNode configuration) {
        List<Violation> violations = new ArrayList<>();
        if (!configuration.isObject()) {
            violations.add(new Violation("", "a configuration must be an object, got " + JsonFields.describe(configuration)));
            return violations;
        }
        JsonFields f = new JsonFields(configuration, "", violations, CONFIGURATION_FIELDS);
        f.choice("mode", Mode.class);
        traffic(f, violations);
        Double confidence = f.number("confidence");
        if (confidence != null && !Confidence.isValid(confidence)) {
            f.fail("confidence", "must be a number above 0.5 and below 1, got " + confidence);
        }
        JsonNode metrics = f.node("metrics");
        if (metrics == null || !metrics.isArray() || metrics.isEmpty()) {
            f.fail("metrics", "must be a non-empty array of metric specifications");
            return violations;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < metrics.size(); i++) {
            JsonNode m = metrics.get(i);
            String pointer = "/metrics/" + i;
            for (String dataField : List.of("baseline", "canary")) {
                if (m.has(dataField)) {
                    violations.add(new Violation(pointer + "/" + dataField, "a configuration holds no data; the request sends it"));
                }
            }
            if (m.isObject() && m.path("name").isTextual() && !names.add(m.get("name").textValue())) {
                violations.add(new Violation(pointer + "/name", "repeats an earlier metric's name"));
            }
            metric(m, pointer, violations, false, Map.of());
        }
        return violations;
    }

    /**
     * @param body the request's bytes (UTF-8 JSON)
     * @return the request, ready to judge
     * @throws InvalidInputException listing every problem, each with a JSON Pointer as its path
     */
    public JudgeRequest read(byte[] body) {
        return read(parse(body), Map.of());
    }

    /**
     * Parses a request body into a JSON object, within the limits on nesting, numbers and strings.
     *
     * @throws InvalidInputException when the body is not one JSON object
     */
    public ObjectNode parse(byte[] body) {
        return JsonBody.object(mapper, body);
    }

    /**
     * @param root the parsed request
     * @param supplied data the caller fetched itself, by metric name (a data source's); such a
     *     metric need not be in the request, and must not carry data there
     * @return the request, ready to judge
     * @throws InvalidInputException listing every problem, each with a JSON Pointer as its path
     */
    public JudgeRequest read(ObjectNode root, Map<String, MetricData> supplied) {
        List<Violation> violations = new ArrayList<>();
        root = withConfiguration(root, supplied.keySet(), violations);
        JsonFields request = new JsonFields(root, "", violations, REQUEST_FIELDS);
        String id = request.string("id");
        Mode mode = request.choice("mode", Mode.class);
        Double confidence = request.number("confidence");
        if (confidence != null && !Confidence.isValid(confidence)) {
            // Checked here, not only when the request is built, so that it is reported with every other problem.
            request.fail("confidence", "must be a number above 0.5 and below 1, got " + confidence);
        }
        Stage stage = stage(request, violations);
        TrafficSplit traffic = traffic(request, violations);
        List<Metric> metrics = new ArrayList<>();
        if (!request.has("metrics")) {
            request.fail("metrics", "is required: a list of metrics to judge");
        } else if (!request.node("metrics").isArray()) {
            request.fail("metrics", "must be an array of metrics, got " + JsonFields.describe(request.node("metrics")));
        } else {
            JsonNode list = request.node("metrics");
            for (int i = 0; i < list.size(); i++) {
                Metric metric = metric(list.get(i), "/metrics/" + i, violations, true, supplied);
                if (metric != null) {
                    metrics.add(metric);
                }
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        try {
            return new JudgeRequest(id, mode == null ? Mode.SEQUENTIAL : mode,
                confidence == null ? Confidence.DEFAULT : confidence, metrics, stage, traffic);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(e.violations().stream().map(v -> v.under("")).toList());
        }
    }

    /**
     * Reads one metric specification without data, for adapters that take the data from elsewhere
     * (recorded fixtures, data sources).
     *
     * @param node the metric's JSON object
     * @param pointer the JSON Pointer of {@code node}, for messages
     * @param extraFields fields the adapter reads itself (for example {@code column}); they are
     *     allowed and ignored here
     * @return the specification
     * @throws InvalidInputException with every problem, at JSON Pointers under {@code pointer}
     */
    public static MetricSpec specification(JsonNode node, String pointer, Set<String> extraFields) {
        ObjectNode spec = node.isObject() ? ((ObjectNode) node).deepCopy() : null;
        if (spec != null) {
            spec.remove(extraFields);
        }
        List<Violation> violations = new ArrayList<>();
        for (String data : List.of("baseline", "canary")) {
            if (node.has(data)) {
                violations.add(new Violation(pointer + "/" + data, "a specification here carries no data: they come from elsewhere (a recording, a data source, or none for a plan)"));
            }
        }
        Metric metric = metric(spec == null ? node : spec, pointer, violations, false, Map.of());
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return metric.spec();
    }

    /**
     * Fills in what a request that names a configuration leaves out: the request's mode and
     * confidence, and each metric's specification fields from the configuration's metric of the same
     * name. Every metric of the configuration must be in the request, with its data, unless the
     * caller supplies its data.
     */
    private ObjectNode withConfiguration(ObjectNode root, Set<String> supplied, List<Violation> violations) {
        JsonNode name = root.get("config");
        if (name == null || name.isNull()) {
            return root;
        }
        if (!name.isTextual()) {
            violations.add(new Violation("/config", "must be a string, got " + JsonFields.describe(name)));
            return root;
        }
        ObjectNode config = configurations.get(name.textValue());
        if (config == null) {
            violations.add(new Violation("/config", "unknown configuration \"" + name.textValue() + "\"; "
                + (configurations.isEmpty() ? "no named configurations are loaded"
                : "known: " + String.join(", ", new TreeSet<>(configurations.keySet())))));
            return root;
        }
        ObjectNode merged = root.deepCopy();
        for (String field : List.of("mode", "confidence", "traffic")) {
            if (!merged.has(field) && config.has(field)) {
                merged.set(field, config.get(field));
            }
        }
        if (!merged.has("metrics") && !supplied.isEmpty()) {
            merged.putArray("metrics");
        }
        if (!merged.path("metrics").isArray()) {
            return merged;
        }
        ArrayNode metrics = (ArrayNode) merged.get("metrics");
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < metrics.size(); i++) {
            JsonNode metric = metrics.get(i);
            if (!metric.isObject() || !metric.path("name").isTextual()) {
                continue;
            }
            sent.add(metric.get("name").textValue());
            for (JsonNode spec : config.get("metrics")) {
                if (spec.get("name").equals(metric.get("name"))) {
                    ObjectNode filled = spec.deepCopy();
                    filled.setAll((ObjectNode) metric);
                    metrics.set(i, filled);
                }
            }
        }
        for (JsonNode spec : config.get("metrics")) {
            if (!sent.contains(spec.get("name").textValue()) && supplied.contains(spec.get("name").textValue())) {
                metrics.add(spec.deepCopy());
            } else if (!sent.contains(spec.get("name").textValue())) {
                violations.add(new Violation("/metrics", "configuration \"" + name.textValue() + "\" judges the metric \""
                    + spec.get("name").textValue() + "\", but the request sends no data for it"));
            }
        }
        return merged;
    }

    /** The request's {@code traffic}: {@code {"canaryShare", "metric"}}, or null when absent. */
    private static TrafficSplit traffic(JsonFields request, List<Violation> violations) {
        if (!request.has("traffic")) {
            return null;
        }
        if (!request.node("traffic").isObject()) {
            request.fail("traffic", "must be an object with canaryShare and metric, got "
                + JsonFields.describe(request.node("traffic")));
            return null;
        }
        JsonFields f = new JsonFields(request.node("traffic"), "/traffic", violations, TRAFFIC_FIELDS);
        Double share = f.number("canaryShare");
        if (share == null && !f.has("canaryShare")) {
            f.fail("canaryShare", "is required: the share of requests meant for the canary, such as 0.05");
        }
        String metric = f.requiredString("metric");
        if (share == null || metric == null) {
            return null;
        }
        try {
            return new TrafficSplit(share, metric);
        } catch (InvalidInputException e) {
            violations.addAll(e.violations().stream().map(v -> new Violation("/" + v.path(), v.message())).toList());
            return null;
        }
    }

    /** The request's {@code stage}: {@code {"name", "startIndex"}}, or null when absent. */
    private static Stage stage(JsonFields request, List<Violation> violations) {
        if (!request.has("stage")) {
            return null;
        }
        if (!request.node("stage").isObject()) {
            request.fail("stage", "must be an object with name and startIndex, got " + JsonFields.describe(request.node("stage")));
            return null;
        }
        JsonFields f = new JsonFields(request.node("stage"), "/stage", violations, STAGE_FIELDS);
        String name = f.requiredString("name");
        Integer start = f.integer("startIndex");
        if (start == null && !f.has("startIndex")) {
            f.fail("startIndex", "is required: the index at which the stage's data begin");
        }
        if (name == null || start == null) {
            return null;
        }
        try {
            return new Stage(name, start);
        } catch (InvalidInputException e) {
            violations.addAll(e.violations().stream().map(v -> new Violation("/" + v.path(), v.message())).toList());
            return null;
        }
    }

    /** A metric's {@code stageStart}: {@code {"baseline": i, "canary": j}}, or null when absent. */
    private static StageStart stageStart(JsonFields metric, String pointer, List<Violation> violations) {
        if (!metric.has("stageStart")) {
            return null;
        }
        if (!metric.node("stageStart").isObject()) {
            metric.fail("stageStart", "must be an object with baseline and canary, got "
                + JsonFields.describe(metric.node("stageStart")));
            return null;
        }
        JsonFields f = new JsonFields(metric.node("stageStart"), pointer + "/stageStart", violations, STAGE_START_FIELDS);
        Integer baseline = f.integer("baseline");
        Integer canary = f.integer("canary");
        for (String side : List.of("baseline", "canary")) {
            if (!f.has(side)) {
                f.fail(side, "is required: the index at which this side's stage data begin");
            }
        }
        if (baseline == null || canary == null) {
            return null;
        }
        try {
            return new StageStart(baseline, canary);
        } catch (InvalidInputException e) {
            violations.addAll(e.violations().stream().map(v -> new Violation(pointer + "/" + v.path(), v.message())).toList());
            return null;
        }
    }

    private static Metric metric(JsonNode node, String pointer, List<Violation> violations, boolean withData,
                                 Map<String, MetricData> supplied) {
        if (!node.isObject()) {
            violations.add(new Violation(pointer, "a metric must be an object, got " + JsonFields.describe(node)));
            return null;
        }
        int before = violations.size();
        JsonFields f = new JsonFields(node, pointer, violations, METRIC_FIELDS);
        String name = f.requiredString("name");
        MetricType type = f.choice("type", MetricType.class);
        MetricSpec.Builder spec = MetricSpec.builder(name).type(type == null ? MetricType.CONTINUOUS : type);
        Direction direction = f.choice("direction", Direction.class);
        if (direction != null) {
            spec.direction(direction);
        }
        spec.hold(band(f, "hold", violations)).rollback(band(f, "rollback", violations));
        Boolean critical = f.bool("critical");
        if (critical != null) {
            spec.critical(critical);
        }
        Double weight = f.number("weight");
        if (weight != null) {
            spec.weight(weight);
        }
        Integer minSamples = f.integer("minSamples");
        if (minSamples != null) {
            spec.minSamples(minSamples);
        }
        spec.minRequests(f.integer("minRequests")).horizon(f.integer("horizon"));
        spec.confidence(f.number("confidence"));
        Correlation correlation = f.choice("correlation", Correlation.class);
        if (correlation != null) {
            spec.correlation(correlation);
        }
        spec.quantile(f.number("quantile")).bounds(bounds(f, violations));
        StageStart stageStart = stageStart(f, pointer, violations);
        MetricData data = null;
        if (withData && name != null && supplied.containsKey(name)) {
            data = supplied.get(name);
            for (String side : List.of("baseline", "canary")) {
                if (f.has(side)) {
                    f.fail(side, "this metric's data come from the configuration's data source; the request must not send them");
                }
            }
        } else if (withData) {
            data = type == MetricType.RATE ? rateData(f, violations)
                : type == MetricType.HISTOGRAM ? histogramData(f, violations)
                : continuousData(f, violations);
        }
        if (violations.size() > before) {
            return null;
        }
        try {
            MetricSpec built = spec.build();
            // A configuration's specs carry no data.
            return new Metric(built, withData ? data : MetricData.empty(built.type()), stageStart);
        } catch (InvalidInputException e) {
            e.violations().forEach(v -> violations.add(v.under(pointer)));
            return null;
        }
    }

    private static Band band(JsonFields metric, String field, List<Violation> violations) {
        if (!metric.has(field)) {
            return null;
        }
        JsonNode node = metric.node(field);
        String pointer = metric.at(field);
        if (!node.isObject() || node.size() != 1) {
            violations.add(new Violation(pointer,
                "a band must be an object with exactly one of \"absolute\", \"relative\", \"ratio\", e.g. {\"relative\": 0.10}"));
            return null;
        }
        JsonFields f = new JsonFields(node, pointer, violations, BAND_FIELDS);
        String kind = node.fieldNames().next();
        if (!BAND_FIELDS.contains(kind)) {
            return null;
        }
        Double amount = f.number(kind);
        if (amount == null) {
            if (!f.has(kind)) {
                f.fail(kind, "must be a number");
            }
            return null;
        }
        try {
            return new Band(Band.Kind.valueOf(kind.toUpperCase(Locale.ROOT)), amount);
        } catch (IllegalArgumentException e) {
            f.fail(kind, e.getMessage());
            return null;
        }
    }

    private static MetricData continuousData(JsonFields metric, List<Violation> violations) {
        Series baseline = series(metric, "baseline", violations);
        Series canary = series(metric, "canary", violations);
        return baseline == null || canary == null ? null : new MetricData.Continuous(baseline, canary);
    }

    /** A histogram's bucket bounds, or null when absent or not an array of numbers (with a violation). */
    private static double[] bounds(JsonFields metric, List<Violation> violations) {
        if (!metric.has("bounds")) {
            return null;
        }
        JsonNode node = metric.node("bounds");
        if (!node.isArray()) {
            metric.fail("bounds", "must be an array of bucket upper bounds, got " + JsonFields.describe(node));
            return null;
        }
        return JsonFields.numbers(node, metric.at("bounds"), v -> false, Double.NaN, "a number", violations);
    }

    /** Histogram data: each side {@code {"counts": [[c0, ..., ck], ...]}}, per interval the count of each bucket. */
    private static MetricData histogramData(JsonFields metric, List<Violation> violations) {
        Histogram baseline = histogram(metric, "baseline", violations);
        Histogram canary = histogram(metric, "canary", violations);
        return baseline == null || canary == null ? null : new MetricData.Histograms(baseline, canary);
    }

    private static Histogram histogram(JsonFields metric, String field, List<Violation> violations) {
        String example = "an object {\"counts\": [[...], ...]}: per interval, the count of each bucket";
        if (!metric.has(field) || !metric.node(field).isObject()) {
            metric.fail(field, "a histogram metric's data must be " + example
                + (metric.has(field) ? ", got " + JsonFields.describe(metric.node(field)) : ""));
            return null;
        }
        JsonFields side = new JsonFields(metric.node(field), metric.at(field), violations, HISTOGRAM_SIDE_FIELDS);
        JsonNode counts = side.has("counts") ? side.node("counts") : null;
        if (counts == null || !counts.isArray()) {
            side.fail("counts", "is required: " + example);
            return null;
        }
        if (counts.size() > MAX_SERIES_LENGTH) {
            side.fail("counts", "has " + counts.size() + " intervals; at most " + MAX_SERIES_LENGTH + " are accepted");
            return null;
        }
        long[][] perInterval = new long[counts.size()][];
        int width = 0;
        boolean ok = true;
        for (int i = 0; i < perInterval.length; i++) {
            JsonNode interval = counts.get(i);
            String at = side.at("counts") + "/" + i;
            if (!interval.isArray()) {
                violations.add(new Violation(at, "must be an array of bucket counts, got " + JsonFields.describe(interval)));
                ok = false;
                continue;
            }
            long[] row = new long[interval.size()];
            for (int j = 0; j < row.length; j++) {
                JsonNode v = interval.get(j);
                if (v.isIntegralNumber() && v.canConvertToLong() && v.longValue() >= 0 && v.longValue() <= MAX_COUNT) {
                    row[j] = v.longValue();
                } else {
                    violations.add(new Violation(at + "/" + j, "must be a whole number from 0 to " + MAX_COUNT_TEXT
                        + ", got " + JsonFields.describe(v)));
                    ok = false;
                }
            }
            width = i == 0 ? row.length : width;
            perInterval[i] = row;
        }
        int buckets = metric.has("bounds") && metric.node("bounds").isArray() ? metric.node("bounds").size() + 1 : width;
        for (int i = 0; i < perInterval.length; i++) {
            if (perInterval[i] != null && perInterval[i].length != buckets) {
                violations.add(new Violation(side.at("counts") + "/" + i, "has " + perInterval[i].length
                    + " counts; the bounds make " + buckets + " buckets (the last above the last bound)"));
                ok = false;
            }
        }
        if (!ok) {
            return null;
        }
        try {
            return Histogram.of(perInterval, buckets);
        } catch (InvalidInputException e) {
            e.violations().forEach(v -> violations.add(v.under(side.at("counts"))));
            return null;
        }
    }

    private static MetricData rateData(JsonFields metric, List<Violation> violations) {
        Counts baseline = counts(metric, "baseline", violations);
        Counts canary = counts(metric, "canary", violations);
        return baseline == null || canary == null ? null : new MetricData.Rate(baseline, canary);
    }

    /** A rate side: {@code {"errors": [...], "requests": [...]}}, non-negative whole numbers. */
    private static Counts counts(JsonFields metric, String field, List<Violation> violations) {
        String example = "an object {\"errors\": [...], \"requests\": [...]} of whole numbers";
        if (!metric.has(field)) {
            metric.fail(field, "is required: " + example);
            return null;
        }
        JsonNode node = metric.node(field);
        if (!node.isObject()) {
            metric.fail(field, "a rate metric's data must be " + example + ", got " + JsonFields.describe(node));
            return null;
        }
        int before = violations.size();
        JsonFields f = new JsonFields(node, metric.at(field), violations, COUNTS_FIELDS);
        long[] errors = wholeNumbers(f, "errors", violations);
        long[] requests = wholeNumbers(f, "requests", violations);
        if (violations.size() > before || errors == null || requests == null) {
            return null;
        }
        try {
            return Counts.of(errors, requests);
        } catch (InvalidInputException e) {
            e.violations().forEach(v -> violations.add(v.under(metric.at(field))));
            return null;
        }
    }

    /** The field's array, or null with a violation when it is missing, not an array or too long. */
    private static JsonNode array(JsonFields parent, String field, String what) {
        if (!parent.has(field)) {
            parent.fail(field, "is required: " + what);
            return null;
        }
        JsonNode node = parent.node(field);
        if (!JsonFields.isArray(node)) {
            parent.fail(field, "must be " + what + ", got " + JsonFields.describe(node));
            return null;
        }
        int size = JsonFields.size(node);
        if (size > MAX_SERIES_LENGTH) {
            parent.fail(field, "has " + size + " elements; at most " + MAX_SERIES_LENGTH + " are accepted");
            return null;
        }
        return node;
    }

    /**
     * The most one interval may count: a trillion requests, far beyond any service, and small enough
     * that the longest series ({@link #MAX_SERIES_LENGTH} intervals) cannot overflow a {@code long} sum.
     */
    static final long MAX_COUNT = 1_000_000_000_000L;
    private static final String MAX_COUNT_TEXT = "1,000,000,000,000 (10^12)";

    private static long[] wholeNumbers(JsonFields side, String field, List<Violation> violations) {
        JsonNode node = array(side, field, "an array of whole numbers, one per interval");
        if (node == null) {
            return null;
        }
        NumberArray compact = NumberArray.of(node);
        if (compact != null) {
            return wholeNumbers(compact, side.at(field), violations);
        }
        long[] values = new long[node.size()];
        boolean ok = true;
        for (int i = 0; i < values.length; i++) {
            JsonNode v = node.get(i);
            if (v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue()) && Math.abs(v.doubleValue()) <= MAX_COUNT) {
                values[i] = v.isIntegralNumber() ? v.longValue() : (long) v.doubleValue();
            } else {
                violations.add(new Violation(side.at(field) + "/" + i, "must be a whole number of at most "
                    + MAX_COUNT_TEXT + ", got " + JsonFields.describe(v)));
                ok = false;
            }
        }
        return ok ? values : null;
    }

    private static long[] wholeNumbers(NumberArray array, String pointer, List<Violation> violations) {
        long[] values = new long[array.size()];
        boolean ok = true;
        for (int i = 0; i < values.length; i++) {
            double v = array.value(i);
            if (!array.isNull(i) && v == Math.rint(v) && Math.abs(v) <= MAX_COUNT) {
                values[i] = (long) v;
            } else {
                violations.add(new Violation(pointer + "/" + i, "must be a whole number of at most " + MAX_COUNT_TEXT
                    + ", got " + array.describe(i)));
                ok = false;
            }
        }
        return ok ? values : null;
    }

    private static Series series(JsonFields metric, String field, List<Violation> violations) {
        JsonNode node = array(metric, field, "an array of numbers (null for a missing observation)");
        if (node == null) {
            return null;
        }
        double[] values = JsonFields.numbers(node, metric.at(field), JsonNode::isNull, Double.NaN,
            "a number or null (missing)", violations);
        return values == null ? null : Series.of(values);
    }

    private static Set<String> fields(String... names) {
        return new LinkedHashSet<>(List.of(names));
    }
}
