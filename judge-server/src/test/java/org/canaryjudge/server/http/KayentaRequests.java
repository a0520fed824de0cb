package org.canaryjudge.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * Kayenta remote-judge request bodies for the tests, from {@code src/test/resources/kayenta/}.
 *
 * <p>The files are shaped exactly like the body Kayenta's {@code RemoteJudge} posts
 * (spinnaker/kayenta, {@code com.netflix.kayenta.judge.RemoteJudge#judge}): a
 * {@code RemoteJudgeRequest} of {@code canaryConfig} (a {@code CanaryConfig} as Kayenta stores it,
 * with Prometheus queries, {@code analysisConfigurations.canary}, {@code classifier.groupWeights} and
 * {@code judge.judgeConfigurations}), {@code scoreThresholds} ({@code CanaryClassifierThresholdsConfig})
 * and {@code metricSetPairList} ({@code MetricSetPair}s with {@code name}, {@code id}, {@code tags},
 * {@code values.control}/{@code values.experiment}, {@code attributes} and {@code scopes}). Missing
 * points appear as Kayenta's Jackson writes a {@code Double.NaN} ({@code "NaN"}) and as
 * {@code null}. The series are synthetic, 60 one-minute points a side, drawn with a fixed seed:
 * <ul>
 *   <li>{@code healthy-canary.json}: checkout's golden signals, the canary like the baseline: p99
 *       latency in two regions (critical, must have data, allowedIncrease 1.1, criticalIncrease 1.5),
 *       5xx errors per second (nanStrategy replace; an absolute band in {@code canaryJudge}), CPU
 *       ({@code either}, ±20 %) and heap (no effectSize: the default band). Default judge settings.</li>
 *   <li>{@code regressing-canary.json}: p99 latency 30 % higher, the success ratio 4 points lower
 *       (allowedDecrease 0.99), CPU unchanged; {@code judgeConfigurations} asks for fixed mode.</li>
 * </ul>
 */
final class KayentaRequests {

    static final String HEALTHY = "healthy-canary.json";
    static final String REGRESSING = "regressing-canary.json";

    private KayentaRequests() {
    }

    /** @return a fresh copy of a request file, to change as a test needs */
    static ObjectNode load(String file) {
        try (InputStream in = KayentaRequests.class.getResourceAsStream("/kayenta/" + file)) {
            if (in == null) {
                throw new IllegalStateException("no test resource kayenta/" + file);
            }
            return (ObjectNode) TestRequests.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Client.Response post(Client client, JsonNode body) {
        return client.post("/kayenta/judge", body.toString().getBytes(StandardCharsets.UTF_8),
            Map.of("Content-Type", "application/json"));
    }

    /** @return the metric configuration of that name in {@code canaryConfig.metrics} */
    static ObjectNode config(ObjectNode request, String name) {
        for (JsonNode m : request.path("canaryConfig").path("metrics")) {
            if (m.path("name").asText().equals(name)) {
                return (ObjectNode) m;
            }
        }
        throw new AssertionError("no metric " + name);
    }

    /** @return {@code analysisConfigurations.canary} of the metric of that name */
    static ObjectNode canary(ObjectNode request, String name) {
        return (ObjectNode) config(request, name).path("analysisConfigurations").path("canary");
    }

    /** @return the metric set pair of that name (and region tag, when given) */
    static ObjectNode pair(ObjectNode request, String name, String region) {
        for (JsonNode p : request.path("metricSetPairList")) {
            if (p.path("name").asText().equals(name) && (region == null || region.equals(p.path("tags").path("region").asText()))) {
                return (ObjectNode) p;
            }
        }
        throw new AssertionError("no pair " + name + " " + region);
    }

    /** @return the result of that name (and region tag, when given) in a response */
    static JsonNode result(JsonNode response, String name, String region) {
        for (JsonNode r : response.path("results")) {
            if (r.path("name").asText().equals(name) && (region == null || region.equals(r.path("tags").path("region").asText()))) {
                return r;
            }
        }
        throw new AssertionError("no result " + name + " " + region + " in " + response);
    }

    /** @return the group score of that name in a response */
    static JsonNode group(JsonNode response, String name) {
        for (JsonNode g : response.path("groupScores")) {
            if (g.path("name").asText().equals(name)) {
                return g;
            }
        }
        throw new AssertionError("no group " + name + " in " + response);
    }

    /** Applies {@code f} to every number of a pair's side ({@code control} or {@code experiment}). */
    static void scale(ObjectNode pair, String side, DoubleUnaryOperator f) {
        ArrayNode values = (ArrayNode) pair.path("values").path(side);
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i).isNumber()) {
                values.set(i, TestRequests.MAPPER.getNodeFactory().numberNode(f.applyAsDouble(values.get(i).doubleValue())));
            }
        }
    }
}
