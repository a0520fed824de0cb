package org.canaryjudge.server.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.canaryjudge.model.Violation;
import org.canaryjudge.server.json.JsonFields;

/**
 * One named Prometheus server from the {@code sources:} block of the configuration file:
 *
 * <pre>
 * sources:
 *   prom:
 *     type: prometheus                   # the only type so far; may be left out
 *     url: http://prometheus.monitoring:9090
 *     timeoutSeconds: 10                 # per query; default 10
 *     bearerTokenFile: prom-token.txt    # or basicAuth: {username: judge, passwordFile: prom-password.txt}
 *     headers: {X-Scope-OrgID: team-a}   # sent with every query
 *     maxAnswerBytes: 8388608            # per answer; default 8 MiB, larger answers are an error
 *     maxSamples: 100000                 # per answer; default 100,000, more are an error
 * </pre>
 *
 * Requests refer to a source only through a configuration that names it, never by address, so the
 * judge cannot be made to fetch from anywhere else. Secret files are read once, when the
 * configuration is loaded, relative to the configuration file's folder.
 *
 * @param name the source's name in the configuration file
 * @param url the server's base URL; queries go to {@code url + /api/v1/query_range}
 * @param timeout how long one query may take
 * @param authorization the {@code Authorization} header value, or null for none; never printed
 * @param headers extra headers sent with every query
 * @param maxAnswerBytes the most one answer may hold; a larger one is a failed query
 * @param maxSamples the most samples one answer may hold, over all its series; more is a failed query
 */
public record SourceSettings(String name, URI url, Duration timeout, String authorization, Map<String, String> headers,
                             int maxAnswerBytes, int maxSamples) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /**
     * A one-hour window at one-minute steps is about 3 KB a series; 8 MiB hold the largest range
     * Prometheus evaluates (11,000 steps) for some 25 series, and bound what one query can cost.
     */
    public static final int DEFAULT_MAX_ANSWER_BYTES = 8 << 20;
    /** 100,000 samples are 1.6 MB as numbers: nine series of the longest range Prometheus evaluates. */
    public static final int DEFAULT_MAX_SAMPLES = 100_000;

    private static final Set<String> FIELDS = Set.of("type", "url", "timeoutSeconds", "bearerTokenFile", "basicAuth", "headers",
        "maxAnswerBytes", "maxSamples");
    private static final Set<String> BASIC_AUTH_FIELDS = Set.of("username", "passwordFile");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}");
    /** Headers the HTTP client sets itself, or that would replace the configured authentication. */
    private static final Set<String> RESERVED_HEADERS = Set.of("authorization", "connection", "content-length", "expect",
        "host", "upgrade");

    public SourceSettings {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** @return a description for logs: never the credentials */
    @Override
    public String toString() {
        return "SourceSettings[name=" + name + ", url=" + url + ", timeout=" + timeout
            + ", authorization=" + (authorization == null ? "none" : "set") + ", headers=" + headers.keySet() + "]";
    }

    /**
     * Reads the {@code sources:} block.
     *
     * @param sources the block (may be null: no sources)
     * @param folder the configuration file's folder, for secret files
     * @param violations where every problem goes, at JSON Pointers under {@code /sources}
     * @return the valid sources by name
     */
    public static Map<String, SourceSettings> parseAll(JsonNode sources, Path folder, List<Violation> violations) {
        Map<String, SourceSettings> result = new LinkedHashMap<>();
        if (sources == null || sources.isNull()) {
            return result;
        }
        if (!sources.isObject()) {
            violations.add(new Violation("/sources", "must be a mapping from source names to Prometheus settings"));
            return result;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = sources.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String pointer = "/sources/" + e.getKey().replace("~", "~0").replace("/", "~1");
            if (!QueryTemplate.NAME.matcher(e.getKey()).matches()) {
                violations.add(new Violation(pointer, "a source's name must be a letter or '_' followed by letters, digits or '_'"));
                continue;
            }
            int before = violations.size();
            SourceSettings s = parse(e.getKey(), e.getValue(), pointer, folder, violations);
            if (violations.size() == before) {
                result.put(e.getKey(), s);
            }
        }
        return result;
    }

    private static SourceSettings parse(String name, JsonNode node, String pointer, Path folder, List<Violation> violations) {
        if (!node.isObject()) {
            violations.add(new Violation(pointer, "must be a mapping with at least \"url\""));
            return null;
        }
        JsonFields f = new JsonFields(node, pointer, violations, FIELDS);
        String type = f.string("type");
        if (type != null && !type.equals("prometheus")) {
            f.fail("type", "the only source type is \"prometheus\", got \"" + type + "\"");
        }
        URI url = url(f);
        Integer timeoutSeconds = f.integer("timeoutSeconds");
        if (timeoutSeconds != null && (timeoutSeconds < 1 || timeoutSeconds > 300)) {
            f.fail("timeoutSeconds", "must be from 1 to 300, got " + timeoutSeconds);
        }
        String authorization = null;
        String tokenFile = f.string("bearerTokenFile");
        if (tokenFile != null) {
            String token = secret(folder, tokenFile, f, "bearerTokenFile");
            authorization = token == null ? null : "Bearer " + token;
        }
        if (f.has("basicAuth")) {
            if (tokenFile != null) {
                f.fail("basicAuth", "give either bearerTokenFile or basicAuth, not both");
            }
            authorization = basicAuth(f.node("basicAuth"), f.at("basicAuth"), folder, violations);
        }
        Map<String, String> headers = headers(f, violations);
        int maxAnswerBytes = limit(f, "maxAnswerBytes", DEFAULT_MAX_ANSWER_BYTES, 1 << 10, 256 << 20);
        int maxSamples = limit(f, "maxSamples", DEFAULT_MAX_SAMPLES, 100, 10_000_000);
        return new SourceSettings(name, url, timeoutSeconds == null ? DEFAULT_TIMEOUT : Duration.ofSeconds(timeoutSeconds),
            authorization, headers, maxAnswerBytes, maxSamples);
    }

    private static int limit(JsonFields f, String field, int fallback, int min, int max) {
        Integer value = f.integer(field);
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            f.fail(field, "must be from " + min + " to " + max + ", got " + value);
        }
        return value;
    }

    private static URI url(JsonFields f) {
        String text = f.requiredString("url");
        if (text == null) {
            return null;
        }
        try {
            URI url = new URI(text);
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null
                || url.getRawQuery() != null || url.getRawFragment() != null || url.getRawUserInfo() != null) {
                f.fail("url", "must be an http:// or https:// address with a host and no query, fragment or user,"
                    + " e.g. http://prometheus.monitoring:9090, got \"" + text + "\"");
                return null;
            }
            return url;
        } catch (URISyntaxException e) {
            f.fail("url", "is not a valid address: " + e.getMessage());
            return null;
        }
    }

    private static String basicAuth(JsonNode node, String pointer, Path folder, List<Violation> violations) {
        if (!node.isObject()) {
            violations.add(new Violation(pointer, "must be a mapping {username: ..., passwordFile: ...}"));
            return null;
        }
        JsonFields f = new JsonFields(node, pointer, violations, BASIC_AUTH_FIELDS);
        String user = f.requiredString("username");
        String passwordFile = f.requiredString("passwordFile");
        if (user != null && user.contains(":")) {
            f.fail("username", "must not contain ':'");
            return null;
        }
        String password = passwordFile == null ? null : secret(folder, passwordFile, f, "passwordFile");
        if (user == null || password == null) {
            return null;
        }
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The file's content without surrounding white space; a violation when unreadable or empty. */
    private static String secret(Path folder, String file, JsonFields f, String field) {
        Path path = folder.resolve(file);
        try {
            String s = Files.readString(path, StandardCharsets.UTF_8).strip();
            if (s.isEmpty() || !s.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
                f.fail(field, "the file " + path + " must hold one line of printable ASCII without spaces");
                return null;
            }
            return s;
        } catch (IOException e) {
            f.fail(field, "cannot read " + path + ": " + e.getClass().getSimpleName());
            return null;
        }
    }

    private static Map<String, String> headers(JsonFields f, List<Violation> violations) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (!f.has("headers")) {
            return headers;
        }
        JsonNode node = f.node("headers");
        if (!node.isObject()) {
            f.fail("headers", "must be a mapping from header names to values");
            return headers;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            String pointer = f.at("headers") + "/" + h.getKey().replace("~", "~0").replace("/", "~1");
            String value = h.getValue().isValueNode() && !h.getValue().isNull() ? h.getValue().asText() : null;
            if (!HEADER_NAME.matcher(h.getKey()).matches() || RESERVED_HEADERS.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                violations.add(new Violation(pointer, "is not a header that may be configured here (a token name other than "
                    + String.join(", ", RESERVED_HEADERS) + ")"));
            } else if (value == null || !value.chars().allMatch(c -> c >= ' ' && c < 0x7f)) {
                violations.add(new Violation(pointer, "must be a single-line printable ASCII value"));
            } else {
                headers.put(h.getKey(), value);
            }
        }
        return headers;
    }
}
