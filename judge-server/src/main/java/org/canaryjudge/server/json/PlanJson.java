package org.canaryjudge.server.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.canaryjudge.model.Confidence;
import org.canaryjudge.model.InvalidInputException;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.Mode;
import org.canaryjudge.model.PlanRequest;
import org.canaryjudge.model.StagePlan;
import org.canaryjudge.model.Violation;

/**
 * The JSON of the stage planner ({@code POST /plan}, {@code canary-judge plan}): a metric's
 * specification without data and its traffic in, the median minutes to promote and to roll back out.
 *
 * <p>Two forms, told apart by their fields: a rate metric's {@code baselineRate},
 * {@code baselineRequestsPerMinute}, {@code canaryRequestsPerMinute} (optionally
 * {@code totalRequestsPerMinute}, {@code regressionRate}); a continuous metric's
 * {@code baselineSample}, {@code baselinePointsPerMinute}, {@code canaryPointsPerMinute}. Both take
 * {@code mode}, {@code confidence} and {@code minutesBetweenLooks}.
 */
public final class PlanJson {

    private static final List<String> COMMON = List.of("metric", "mode", "confidence", "minutesBetweenLooks");
    private static final List<String> RATE = List.of("baselineRate", "baselineRequestsPerMinute", "canaryRequestsPerMinute",
        "totalRequestsPerMinute", "regressionRate");
    private static final List<String> POINTS = List.of("baselineSample", "baselinePointsPerMinute", "canaryPointsPerMinute");

    private final ObjectMapper mapper = JsonBody.mapper(32, false);

    /**
     * @param body the request's bytes (UTF-8 JSON)
     * @return the planner's request
     * @throws InvalidInputException listing every problem at its JSON Pointer
     */
    public PlanRequest read(byte[] body) {
        ObjectNode root = JsonBody.object(mapper, body);
        List<Violation> violations = new ArrayList<>();
        boolean points = root.has("baselineSample");
        Set<String> known = new LinkedHashSet<>(COMMON);
        known.addAll(points ? POINTS : RATE);
        JsonFields request = new JsonFields(root, "", violations, known);
        Mode mode = request.choice("mode", Mode.class);
        Double confidence = request.number("confidence");
        Double cadence = request.number("minutesBetweenLooks");
        MetricSpec spec = null;
        if (!request.has("metric")) {
            request.fail("metric", "is required: the metric's specification, without data");
        } else {
            try {
                spec = RequestReader.specification(request.node("metric"), "/metric", Set.of());
            } catch (InvalidInputException e) {
                violations.addAll(e.violations());
            }
        }
        PlanRequest.Traffic traffic = points ? points(request, violations) : rate(request, violations);
        PlanRequest.problems(spec == null ? null : spec.type(), !points, confidence, cadence)
            .forEach(v -> violations.add(v.under("")));
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        try {
            return new PlanRequest(spec, mode == null ? Mode.SEQUENTIAL : mode,
                confidence == null ? Confidence.DEFAULT : confidence, traffic, cadence == null ? 1 : cadence);
        } catch (InvalidInputException e) {
            // What only the metric and its traffic together can show (a relative band on values at or below zero).
            throw new InvalidInputException(e.violations().stream().map(v -> v.under("")).toList());
        }
    }

    /** @return the traffic, or null when a field is bad (each problem is in {@code violations}) */
    private static PlanRequest.Traffic rate(JsonFields request, List<Violation> violations) {
        Double p = required(request, "baselineRate", "the baseline's error rate, such as 0.002");
        Double nb = required(request, "baselineRequestsPerMinute", "the baseline's requests a minute");
        Double nc = required(request, "canaryRequestsPerMinute", "the canary's requests a minute");
        Double total = request.number("totalRequestsPerMinute");
        Double regression = request.number("regressionRate");
        int before = violations.size();
        PlanRequest.RateTraffic.problems(p, nb, nc, total, regression).forEach(v -> violations.add(v.under("")));
        if (p == null || nb == null || nc == null || violations.size() > before) {
            return null;
        }
        return new PlanRequest.RateTraffic(p, nb, nc, total == null ? Double.NaN : total, regression == null ? Double.NaN : regression);
    }

    /** @return the traffic, or null when a field is bad (each problem is in {@code violations}) */
    private static PlanRequest.Traffic points(JsonFields request, List<Violation> violations) {
        JsonNode node = request.node("baselineSample");
        double[] sample = null;
        if (JsonFields.isArray(node)) {
            sample = JsonFields.numbers(node, request.at("baselineSample"), v -> false, Double.NaN, "a number", violations);
        } else {
            request.fail("baselineSample", "must be an array of the baseline's values, got " + JsonFields.describe(node));
        }
        Double nb = required(request, "baselinePointsPerMinute", "the baseline's points a minute");
        Double nc = required(request, "canaryPointsPerMinute", "the canary's points a minute");
        int before = violations.size();
        PlanRequest.PointTraffic.problems(sample, nb, nc).forEach(v -> violations.add(v.under("")));
        if (sample == null || nb == null || nc == null || violations.size() > before) {
            return null;
        }
        return new PlanRequest.PointTraffic(sample, nb, nc);
    }

    private static Double required(JsonFields request, String field, String what) {
        if (!request.has(field)) {
            request.fail(field, "is required: " + what);
            return null;
        }
        return request.number(field);
    }

    /** @return the plan as JSON, minutes to a tenth */
    public String write(StagePlan plan) {
        ObjectNode out = mapper.createObjectNode();
        out.put("metric", plan.metric());
        minutes(out, "minutesToPromote", plan.minutesToPromote());
        minutes(out, "minutesToRollback", plan.minutesToRollback());
        if (plan.regression() == null) {
            out.putNull("regression");
        } else {
            out.put("regression", plan.regression());
        }
        out.put("maxMinutes", plan.maxMinutes());
        ArrayNode wider = out.putArray("alternatives");
        for (StagePlan.Alternative a : plan.alternatives()) {
            ObjectNode o = wider.addObject();
            if (a.canaryShare() == null) {
                o.putNull("canaryShare");
            } else {
                o.put("canaryShare", a.canaryShare());
            }
            o.put("canaryPerMinute", a.canaryPerMinute());
            o.put("baselinePerMinute", a.baselinePerMinute());
            minutes(o, "minutesToPromote", a.minutesToPromote());
        }
        out.put("reason", plan.reason());
        return out.toString();
    }

    private static void minutes(ObjectNode out, String field, Double minutes) {
        if (minutes == null) {
            out.putNull(field);
        } else {
            out.put(field, Math.round(minutes * 10) / 10.0);
        }
    }
}
