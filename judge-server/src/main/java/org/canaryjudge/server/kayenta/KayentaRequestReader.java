package org.canaryjudge.server.kayenta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.canaryjudge.model.InvalidInputException;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.Series;
import org.canaryjudge.model.Violation;
import org.canaryjudge.server.json.JsonBody;
import org.canaryjudge.server.json.JsonFields;

/**
 * Reads the body Kayenta's {@code RemoteJudge} posts — a {@code RemoteJudgeRequest}:
 * {@code canaryConfig}, {@code scoreThresholds} and {@code metricSetPairList} — and maps it to a
 * {@link KayentaRequest}.
 *
 * <p>Kayenta's objects carry many fields a judge does not use (queries, scopes, attributes,
 * templates, time stamps), and new Kayenta versions add more, so unknown fields of those objects
 * are ignored. The objects that only configure the judge — {@code analysisConfigurations.canary},
 * its {@code effectSize}, {@code analysisConfigurations.canaryJudge},
 * {@code judge.judgeConfigurations} and {@code scoreThresholds} — are read strictly, so that a typo
 * such as {@code "criticalIncrese"} is an error rather than a silently missing band. Every problem is
 * collected, each at its JSON Pointer into the body.
 *
 * <p>A pair's values are numbers, with {@code null}, {@code NaN} or the string {@code "NaN"}
 * (Jackson's default for a Java {@code Double.NaN}) for a missing point. Pairs are matched to their
 * metric configuration by name, as Kayenta's own judge does; a query may return several pairs of the
 * same name with different tags, and each is judged.
 */
final class KayentaRequestReader {

    /** Kayenta's configurations nest queries and templates a few levels deeper than a /judge request. */
    private static final int MAX_NESTING_DEPTH = 64;

    private final ObjectMapper mapper = JsonBody.mapper(MAX_NESTING_DEPTH, true);

    /**
     * @param body the request's bytes (UTF-8 JSON)
     * @return the mapped request
     * @throws InvalidInputException listing every problem, each with a JSON Pointer as its path
     */
    KayentaRequest read(byte[] body) {
        ObjectNode root = JsonBody.object(mapper, body);
        List<Violation> violations = new ArrayList<>();
        JsonFields request = JsonFields.lenient(root, "", violations);

        JsonFields canaryConfig = KayentaJson.field(request, "canaryConfig", true, null, violations);
        JudgeSettings settings = JudgeSettings.DEFAULT;
        JsonFields classifier = null;
        Map<String, KayentaMetricConfig> configs = new LinkedHashMap<>();
        Set<String> configNames = new HashSet<>();
        if (canaryConfig != null) {
            JsonFields judge = KayentaJson.field(canaryConfig, "judge", false, null, violations);
            if (judge != null) {
                settings = JudgeSettings.read(judge.node("judgeConfigurations"), judge.at("judgeConfigurations"), violations);
            }
            classifier = KayentaJson.field(canaryConfig, "classifier", false, null, violations);
            configs = metricConfigs(canaryConfig, settings, violations, configNames);
        }
        ScoreThresholds thresholds = thresholds(request, classifier, violations);
        Map<String, Double> weights = classifier == null ? Map.of() : givenWeights(classifier);

        List<PairRead> pairs = new ArrayList<>();
        JsonNode list = request.node("metricSetPairList");
        if (!request.has("metricSetPairList") || !list.isArray() || list.isEmpty()) {
            request.fail("metricSetPairList", "must be a non-empty array of metric set pairs, got "
                + (request.has("metricSetPairList") ? JsonFields.describe(list) : "nothing"));
        } else {
            for (int i = 0; i < list.size(); i++) {
                PairRead pair = pair(list.get(i), "/metricSetPairList/" + i, configs, configNames, violations);
                if (pair != null) {
                    pairs.add(pair);
                }
            }
            Set<String> paired = new HashSet<>();
            list.forEach(p -> paired.add(p.path("name").asText()));
            configs.keySet().stream().filter(name -> !paired.contains(name))
                .forEach(name -> request.fail("metricSetPairList", "has no pair for the metric \"" + name
                    + "\" of canaryConfig.metrics, so it would not be judged"));
        }
        List<KayentaRequest.Pair> echoed = pairs.stream().map(PairRead::pair).toList();
        // As in Kayenta's scorer, a muted metric's groups get no share of the weights.
        Map<String, Double> groupWeights = groupWeights(weights, echoed.stream().filter(p -> !p.muted()).toList(),
            classifier, violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }

        List<String> names = coreNames(echoed);
        List<Metric> metrics = new ArrayList<>();
        List<KayentaRequest.Pair> noted = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            PairRead p = pairs.get(i);
            KayentaMetricConfig.PairSpec spec = p.config().specFor(names.get(i), p.control(), p.experiment());
            metrics.add(new Metric(spec.spec(), p.control(), p.experiment()));
            KayentaRequest.Pair pair = p.pair();
            noted.add(new KayentaRequest.Pair(pair.name(), pair.id(), pair.tags(), pair.groups(), pair.critical(),
                pair.mustHaveData(), pair.muted(), spec.note()));
        }
        return new KayentaRequest(noted, metrics, settings.mode(), settings.confidence(), thresholds, groupWeights);
    }

    /**
     * {@code canaryConfig.metrics}, by name; each name once.
     *
     * @param names receives every name in the list, including those of invalid configurations
     */
    private static Map<String, KayentaMetricConfig> metricConfigs(JsonFields canaryConfig, JudgeSettings settings,
                                                                  List<Violation> violations, Set<String> names) {
        Map<String, KayentaMetricConfig> configs = new LinkedHashMap<>();
        JsonNode metrics = canaryConfig.node("metrics");
        if (!canaryConfig.has("metrics") || !metrics.isArray() || metrics.isEmpty()) {
            canaryConfig.fail("metrics", "must be a non-empty array of metric configurations");
            return configs;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < metrics.size(); i++) {
            String pointer = canaryConfig.at("metrics") + "/" + i;
            if (metrics.get(i).path("name").isTextual()) {
                names.add(metrics.get(i).get("name").textValue());
            }
            KayentaMetricConfig config = KayentaMetricConfig.read(metrics.get(i), pointer, settings, violations);
            if (config == null) {
                continue;
            }
            Integer earlier = seen.putIfAbsent(config.name(), i);
            if (earlier != null) {
                violations.add(new Violation(pointer + "/name", "repeats the name of canaryConfig.metrics/" + earlier
                    + "; a metric set pair could not tell which configuration is its own"));
            } else {
                configs.put(config.name(), config);
            }
        }
        return configs;
    }

    /** The request's {@code scoreThresholds}; else the classifier's, which Kayenta's configurations may carry. */
    private static ScoreThresholds thresholds(JsonFields request, JsonFields classifier, List<Violation> violations) {
        if (request.has("scoreThresholds")) {
            return ScoreThresholds.read(request.node("scoreThresholds"), request.at("scoreThresholds"), violations);
        }
        if (classifier != null && classifier.has("scoreThresholds")) {
            return ScoreThresholds.read(classifier.node("scoreThresholds"), classifier.at("scoreThresholds"), violations);
        }
        request.fail("scoreThresholds", "is required: {\"pass\": 95, \"marginal\": 75}");
        return null;
    }

    /** {@code classifier.groupWeights} as given; problems are reported by {@link #groupWeights}. */
    private static Map<String, Double> givenWeights(JsonFields classifier) {
        Map<String, Double> weights = new LinkedHashMap<>();
        JsonNode node = classifier.node("groupWeights");
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> weights.put(e.getKey(), e.getValue().isNumber() ? e.getValue().doubleValue() : Double.NaN));
        }
        return weights;
    }

    /**
     * The weight of every group the pairs' metrics belong to. A group without a weight shares what
     * the given weights leave of 100 with the other such groups, as in Kayenta; the score then
     * divides by the total, so the weights need not add up to 100.
     */
    private static Map<String, Double> groupWeights(Map<String, Double> given, List<KayentaRequest.Pair> pairs,
                                                    JsonFields classifier, List<Violation> violations) {
        String pointer = classifier == null ? "/canaryConfig/classifier" : classifier.at("groupWeights");
        if (classifier != null && classifier.has("groupWeights") && !classifier.node("groupWeights").isObject()) {
            classifier.fail("groupWeights", "must be an object of group names and weights, got "
                + JsonFields.describe(classifier.node("groupWeights")));
            return Map.of();
        }
        boolean valid = true;
        for (Map.Entry<String, Double> w : given.entrySet()) {
            if (!(Double.isFinite(w.getValue()) && w.getValue() >= 0)) {
                JsonFields.lenient(classifier.node("groupWeights"), pointer, violations)
                    .fail(w.getKey(), "a group's weight must be a number of at least 0");
                valid = false;
            }
        }
        Map<String, Double> weights = new LinkedHashMap<>();
        pairs.forEach(p -> p.groups().forEach(g -> weights.put(g, given.get(g))));
        if (!valid || weights.isEmpty()) {
            return weights;
        }
        List<String> unweighted = weights.entrySet().stream().filter(e -> e.getValue() == null).map(Map.Entry::getKey).toList();
        double rest = 100 - given.values().stream().mapToDouble(Double::doubleValue).sum();
        if (!unweighted.isEmpty() && rest <= 0) {
            violations.add(new Violation(pointer, "the group" + (unweighted.size() == 1 ? " " : "s ") + String.join(", ", unweighted)
                + " of the metrics " + (unweighted.size() == 1 ? "has" : "have") + " no weight, and the weights given already total "
                + given.values().stream().mapToDouble(Double::doubleValue).sum() + "; give "
                + (unweighted.size() == 1 ? "it a weight" : "them weights") + " or lower the others"));
            return weights;
        }
        unweighted.forEach(g -> weights.put(g, rest / unweighted.size()));
        if (weights.values().stream().mapToDouble(Double::doubleValue).sum() <= 0) {
            violations.add(new Violation(pointer, "every group of the metrics has weight 0; at least one needs a weight above 0"));
        }
        return weights;
    }

    /**
     * One metric set pair as read, with its metric configuration and data.
     *
     * @param pair what the result echoes and how it is scored
     * @param config its metric configuration
     * @param control the baseline's points
     * @param experiment the canary's points
     */
    private record PairRead(KayentaRequest.Pair pair, KayentaMetricConfig config, Series control, Series experiment) {
    }

    /**
     * @param configs the valid metric configurations, by name
     * @param configNames every name in {@code canaryConfig.metrics}, valid or not
     * @return the pair, or null when it is invalid (with violations) or its configuration is
     */
    private static PairRead pair(JsonNode node, String pointer, Map<String, KayentaMetricConfig> configs, Set<String> configNames,
                                 List<Violation> violations) {
        int before = violations.size();
        JsonFields pair = KayentaJson.object(node, pointer, "a metric set pair", violations);
        if (pair == null) {
            return null;
        }
        String name = pair.requiredString("name");
        KayentaMetricConfig config = name == null ? null : configs.get(name);
        if (name != null && !configNames.isEmpty() && !configNames.contains(name)) {
            pair.fail("name", "no metric of canaryConfig.metrics is named \"" + name + "\"; they are "
                + configNames.stream().sorted().map(n -> "\"" + n + "\"").collect(Collectors.joining(", ")));
        }
        String id = pair.string("id");
        Map<String, String> tags = tags(pair, violations);
        NanStrategy nan = config == null ? NanStrategy.REMOVE : config.nanStrategy();
        JsonFields values = KayentaJson.field(pair, "values", true, null, violations);
        Series control = values == null ? null : series(values, "control", nan, violations);
        Series experiment = values == null ? null : series(values, "experiment", nan, violations);
        if (violations.size() > before || config == null) {
            return null;
        }
        return new PairRead(new KayentaRequest.Pair(name, id, tags, config.groups(), config.critical(), config.mustHaveData(),
            config.muted(), null), config, control, experiment);
    }

    /** A pair's {@code tags}: an object of strings (other scalars are taken as their text). */
    private static Map<String, String> tags(JsonFields pair, List<Violation> violations) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (!pair.has("tags")) {
            return tags;
        }
        JsonNode node = pair.node("tags");
        if (!node.isObject()) {
            pair.fail("tags", "must be an object of tag names and values, got " + JsonFields.describe(node));
            return tags;
        }
        JsonFields fields = JsonFields.lenient(node, pair.at("tags"), violations);
        node.fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                tags.put(e.getKey(), e.getValue().asText());
            } else if (!e.getValue().isNull()) {
                fields.fail(e.getKey(), "a tag's value must be a string, got " + JsonFields.describe(e.getValue()));
            }
        });
        return tags;
    }

    /**
     * {@code values.control} or {@code values.experiment}: numbers, a missing point being null or NaN.
     * With {@code nanStrategy: replace} a missing point is 0, as in Kayenta's judge, except on a side
     * where every point is missing: that side has no data (Kayenta would judge a series of zeros).
     */
    private static Series series(JsonFields values, String field, NanStrategy nan, List<Violation> violations) {
        JsonNode node = values.node(field);
        if (!values.has(field) || !JsonFields.isArray(node)) {
            values.fail(field, "must be an array of numbers (null or NaN for a missing point), got "
                + (values.has(field) ? JsonFields.describe(node) : "nothing"));
            return null;
        }
        double[] v = JsonFields.numbers(node, values.at(field), KayentaRequestReader::missing, Double.NaN,
            "a number, or null or NaN for a missing point", violations);
        if (v == null) {
            return null;
        }
        Series read = Series.of(v);
        if (nan == NanStrategy.REPLACE && read.observedCount() > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] = Double.isNaN(v[i]) ? 0.0 : v[i];
            }
            return Series.of(v);
        }
        return read;
    }

    /** A missing point, as Kayenta may write one: {@code null}, {@code NaN}, or the string {@code "NaN"}. */
    private static boolean missing(JsonNode e) {
        return e.isNull() || e.isTextual() && "NaN".equals(e.textValue()) || e.isNumber() && Double.isNaN(e.doubleValue());
    }

    /**
     * judge-core needs unique metric names; pairs of one metric differ by their tags. A name is the
     * metric's alone, else with its tags ({@code cpu{region=us-east-1}}), else with its position.
     */
    private static List<String> coreNames(List<KayentaRequest.Pair> pairs) {
        Map<String, Long> byName = pairs.stream().collect(Collectors.groupingBy(KayentaRequest.Pair::name, Collectors.counting()));
        List<String> names = new ArrayList<>();
        for (KayentaRequest.Pair p : pairs) {
            names.add(byName.get(p.name()) == 1 ? p.name() : p.name() + new TreeMap<>(p.tags()).toString());
        }
        Map<String, Long> byFullName = names.stream().collect(Collectors.groupingBy(n -> n, Collectors.counting()));
        for (int i = 0; i < names.size(); i++) {
            if (byFullName.get(names.get(i)) > 1) {
                names.set(i, names.get(i) + " #" + (i + 1));
            }
        }
        return names;
    }
}
