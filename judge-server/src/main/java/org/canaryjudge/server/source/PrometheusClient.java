package org.canaryjudge.server.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.FilterInputStream;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs range queries against Prometheus's HTTP API ({@code POST /api/v1/query_range}, form-encoded,
 * so that long queries do not meet URL length limits). Answers are read as a stream, bounded in
 * bytes and samples by the source's settings, and every failure — unreachable, timeout, an HTTP error, a Prometheus error, an unreadable answer —
 * becomes a {@link SourceException} whose message names the source. Thread-safe; one instance
 * serves every request.
 */
public final class PrometheusClient {

    private final HttpClient http = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    private final JsonFactory json = new JsonFactory();

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
                return series(source, response, window);
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

    private List<RangeSeries> series(SourceSettings source, HttpResponse<InputStream> response, TimeWindow window) {
        Answer answer = new Answer(source, window);
        try (InputStream in = new BoundedInputStream(response.body(), source.maxAnswerBytes());
             JsonParser parser = json.createParser(in)) {
            answer.read(parser);
        } catch (AnswerTooLarge e) {
            throw new SourceException(name(source) + " sent an answer larger than " + bytes(source.maxAnswerBytes())
                + " (the source's maxAnswerBytes); aggregate the query to fewer series");
        } catch (IOException e) {
            answer.unreadable = true;
        }
        if (response.statusCode() != 200) {
            throw new SourceException(name(source) + " answered HTTP " + response.statusCode()
                + (answer.error == null ? "" : " (" + clip(answer.error) + ")"));
        }
        if (answer.unreadable || !"success".equals(answer.status)) {
            throw new SourceException(name(source) + " did not answer with a query result"
                + (answer.error == null ? "" : " (" + clip(answer.error) + ")"));
        }
        if (!"matrix".equals(answer.resultType)) {
            throw new SourceException(name(source) + " answered with a "
                + (answer.resultType == null ? "malformed result" : clip(answer.resultType)) + ", not a range of values");
        }
        return answer.series;
    }

    private static String bytes(int n) {
        return n % (1 << 20) == 0 ? (n >> 20) + " MiB" : n % (1 << 10) == 0 ? (n >> 10) + " KiB" : n + " bytes";
    }

    /**
     * Reads an answer token by token into primitive arrays, never as a tree, and gives up as soon as
     * it holds more samples than the source allows or a series has more samples than the window has
     * steps: such an answer did not come from evaluating this query, and reading on would only cost
     * memory. A failure of the source's own making is a {@link SourceException}; an answer that is
     * not JSON at all leaves {@link #unreadable} set.
     */
    private static final class Answer {

        private final SourceSettings source;
        private final TimeWindow window;
        private final List<RangeSeries> series = new ArrayList<>();
        private String status;
        private String error;
        private String resultType;
        private boolean unreadable;
        private long samples;

        Answer(SourceSettings source, TimeWindow window) {
            this.source = source;
            this.window = window;
        }

        void read(JsonParser p) throws IOException {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                unreadable = true;
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "status" -> status = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "error" -> error = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "data" -> data(p, value);
                    default -> p.skipChildren();
                }
            }
        }

        private void data(JsonParser p, JsonToken token) throws IOException {
            if (token != JsonToken.START_OBJECT) {
                p.skipChildren();
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("resultType") && value == JsonToken.VALUE_STRING) {
                    resultType = p.getText();
                } else if (field.equals("result") && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        series.add(oneSeries(p));
                    }
                } else {
                    p.skipChildren();
                }
            }
        }

        private RangeSeries oneSeries(JsonParser p) throws IOException {
            Map<String, String> labels = new HashMap<>();
            Samples values = new Samples();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("metric") && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String label = p.currentName();
                        labels.put(label, p.nextToken() == JsonToken.VALUE_STRING ? p.getText() : "");
                        p.skipChildren();
                    }
                } else if (field.equals("values") && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_ARRAY) {
                        sample(p, values);
                    }
                } else {
                    p.skipChildren();
                }
            }
            return new RangeSeries(labels, values.times(), values.values());
        }

        private void sample(JsonParser p, Samples into) throws IOException {
            JsonToken time = p.nextToken();
            boolean isTime = time == JsonToken.VALUE_NUMBER_INT || time == JsonToken.VALUE_NUMBER_FLOAT;
            double t = isTime ? p.getDoubleValue() : Double.NaN;
            JsonToken value = isTime ? p.nextToken() : null;
            String text = value == JsonToken.VALUE_STRING ? p.getText() : null;
            if (!isTime || value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL
                || p.nextToken() != JsonToken.END_ARRAY) {
                throw new SourceException(name(source) + " sent a sample that is not [time, \"value\"]");
            }
            double v = text == null ? Double.NaN : value(text);
            if (++samples > source.maxSamples()) {
                throw new SourceException(name(source) + " sent more than " + source.maxSamples()
                    + " samples (the source's maxSamples); aggregate the query to fewer series");
            }
            if (into.size() == window.points()) {
                throw new SourceException(name(source) + " sent more samples in one series than the window has steps ("
                    + window.points() + "); the answer is not this query's range");
            }
            into.add(t, v);
        }

        /** Prometheus writes non-finite values as NaN, +Inf and -Inf; each is a missing observation. */
        private double value(String text) {
            switch (text) {
                case "NaN", "+Inf", "-Inf", "Inf", "stale" -> {
                    return Double.NaN;
                }
                default -> {
                    try {
                        double v = Double.parseDouble(text);
                        return Double.isFinite(v) ? v : Double.NaN;
                    } catch (NumberFormatException e) {
                        throw new SourceException(name(source) + " sent the value \"" + clip(text) + "\"");
                    }
                }
            }
        }
    }

    /** A growing pair of primitive arrays: a sample costs 16 bytes, not a tree of nodes. */
    private static final class Samples {
        private double[] times = new double[64];
        private double[] values = new double[64];
        private int size;

        int size() {
            return size;
        }

        void add(double t, double v) {
            if (size == times.length) {
                times = Arrays.copyOf(times, 2 * size);
                values = Arrays.copyOf(values, 2 * size);
            }
            times[size] = t;
            values[size++] = v;
        }

        double[] times() {
            return Arrays.copyOf(times, size);
        }

        double[] values() {
            return Arrays.copyOf(values, size);
        }
    }

    /** Thrown by {@link BoundedInputStream} when an answer outgrows its limit. */
    private static final class AnswerTooLarge extends IOException {
        AnswerTooLarge() {
            super("answer too large");
        }
    }

    /** Reads at most {@code limit} bytes, then fails, so that no answer is read past its bound. */
    private static final class BoundedInputStream extends FilterInputStream {
        private long left;

        BoundedInputStream(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && --left < 0) {
                throw new AnswerTooLarge();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0 && (left -= n) < 0) {
                throw new AnswerTooLarge();
            }
            return n;
        }
    }

    private static String name(SourceSettings source) {
        return "Prometheus source \"" + source.name() + "\"";
    }

    private static String clip(String s) {
        String line = s.replaceAll("[\\r\\n]+", " ");
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
