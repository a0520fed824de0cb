package org.canaryjudge.server.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs range queries against Prometheus's HTTP API ({@code POST /api/v1/query_range}, form-encoded,
 * so that long queries do not meet URL length limits). Answers are read up to a size limit and
 * every failure — unreachable, timeout, an HTTP error, a Prometheus error, an unreadable answer —
 * becomes a {@link SourceException} whose message names the source. Thread-safe; one instance
 * serves every request.
 */
public final class PrometheusClient {

    /** The most an answer may hold: 11,000 points of a few series are well under 1 MiB. */
    static final int MAX_ANSWER_BYTES = 16 << 20;

    private final HttpClient http = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    private final ObjectMapper mapper = new ObjectMapper();

    /**
     * @param source where to send the query
     * @param query the PromQL query, variables already filled in
     * @param window the range and step
     * @return the answer's series; completes exceptionally with a {@link SourceException}
     */
    public CompletableFuture<List<RangeSeries>> queryRange(SourceSettings source, String query, TimeWindow window) {
        String form = "query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
            + "&start=" + window.start().getEpochSecond()
            + "&end=" + window.end().getEpochSecond()
            + "&step=" + window.step().getSeconds();
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint(source.url()))
            .timeout(source.timeout())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(form));
        if (source.authorization() != null) {
            request.header("Authorization", source.authorization());
        }
        source.headers().forEach(request::header);
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream())
            .handle((response, failure) -> {
                if (failure != null) {
                    throw new CompletionException(unreachable(source, failure));
                }
                return series(source, response);
            });
    }

    private static URI endpoint(URI base) {
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        return base.resolve((path.endsWith("/") ? path : path + "/") + "api/v1/query_range");
    }

    private static SourceException unreachable(SourceSettings source, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        String why;
        if (cause instanceof HttpTimeoutException) {
            why = "did not answer within " + source.timeout().getSeconds() + " s";
        } else if (cause instanceof ConnectException) {
            why = "could not be reached at " + source.url() + " (connection refused)";
        } else {
            why = "could not be reached at " + source.url() + " (" + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + clip(cause.getMessage())) + ")";
        }
        return new SourceException(name(source) + " " + why);
    }

    private List<RangeSeries> series(SourceSettings source, HttpResponse<InputStream> response) {
        JsonNode body;
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(MAX_ANSWER_BYTES + 1);
            if (bytes.length > MAX_ANSWER_BYTES) {
                throw new SourceException(name(source) + " sent an answer larger than " + (MAX_ANSWER_BYTES >> 20)
                    + " MiB; aggregate the query to fewer series");
            }
            body = bytes.length == 0 ? null : mapper.readTree(bytes);
        } catch (IOException e) {
            body = null;
        }
        String error = body == null ? null : body.path("error").asText(null);
        if (response.statusCode() != 200) {
            throw new SourceException(name(source) + " answered HTTP " + response.statusCode()
                + (error == null ? "" : " (" + clip(error) + ")"));
        }
        if (body == null || !"success".equals(body.path("status").asText())) {
            throw new SourceException(name(source) + " did not answer with a query result"
                + (error == null ? "" : " (" + clip(error) + ")"));
        }
        JsonNode data = body.path("data");
        if (!"matrix".equals(data.path("resultType").asText())) {
            throw new SourceException(name(source) + " answered with a " + data.path("resultType").asText("malformed result")
                + ", not a range of values");
        }
        List<RangeSeries> result = new ArrayList<>();
        for (JsonNode s : data.path("result")) {
            result.add(rangeSeries(source, s));
        }
        return result;
    }

    private static RangeSeries rangeSeries(SourceSettings source, JsonNode node) {
        Map<String, String> labels = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("metric").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> l = it.next();
            labels.put(l.getKey(), l.getValue().asText());
        }
        JsonNode values = node.path("values");
        double[] times = new double[values.size()];
        double[] v = new double[values.size()];
        for (int i = 0; i < values.size(); i++) {
            JsonNode sample = values.get(i);
            if (!sample.isArray() || sample.size() != 2 || !sample.get(0).isNumber() || !sample.get(1).isTextual()) {
                throw new SourceException(name(source) + " sent a sample that is not [time, \"value\"]");
            }
            times[i] = sample.get(0).doubleValue();
            try {
                v[i] = Double.parseDouble(sample.get(1).textValue());
            } catch (NumberFormatException e) {
                throw new SourceException(name(source) + " sent the value \"" + clip(sample.get(1).textValue()) + "\"");
            }
        }
        return new RangeSeries(labels, times, v);
    }

    private static String name(SourceSettings source) {
        return "Prometheus source \"" + source.name() + "\"";
    }

    private static String clip(String s) {
        String line = s.replaceAll("[\\r\\n]+", " ");
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
