package org.canaryjudge.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.canaryjudge.model.Violation;
import org.canaryjudge.server.json.RequestReader;
import org.canaryjudge.server.source.LiveConfiguration;
import org.canaryjudge.server.source.SourceSettings;

/**
 * The YAML file given to {@code canary-judge serve --config FILE}:
 *
 * <pre>
 * server:                      # optional; the command line overrides each of these
 *   host: 127.0.0.1
 *   port: 8080
 *   maxBodyBytes: 16777216
 *   tokenFile: token.txt       # relative to this file's folder
 *   accessLog: true
 *   shutdownTimeoutSeconds: 20
 * sources:                     # optional; Prometheus servers that configurations fetch from
 *   prom: {url: http://prometheus.monitoring:9090}
 * configs:                     # optional; named configurations for "config" in a request
 *   checkout-latency:
 *     mode: sequential
 *     metrics:
 *       - {name: latency_p95_ms, hold: {relative: 0.10}}
 *   checkout-live:             # one whose data come from a source (see LiveConfiguration)
 *     source: prom
 *     metrics:
 *       - {name: latency_p95_ms, hold: {relative: 0.10}, queries: {baseline: ..., canary: ...}}
 * </pre>
 *
 * Every value is checked when the file is loaded; every problem is reported at once, each at the
 * JSON Pointer of the offending value (for example {@code /configs/checkout/metrics/0/hold}).
 *
 * @param server the {@code server:} block's settings, each null when not given
 * @param configurations the named configurations, in file order, without their live-data fields
 * @param liveConfigurations the live-data part of the configurations that name a source
 */
public record ConfigFile(Server server, Map<String, ObjectNode> configurations,
                         Map<String, LiveConfiguration> liveConfigurations) {

    /**
     * The {@code server:} block; every field is null when the file does not set it.
     *
     * @param tokenFile resolved against the configuration file's folder
     */
    public record Server(String host, Integer port, Long maxBodyBytes, Path tokenFile, Boolean accessLog,
                         Duration shutdownTimeout) {

        static final Server EMPTY = new Server(null, null, null, null, null, null);
    }

    private static final String UNKNOWN_FIELD = "unknown field; expected one of ";
    private static final Set<String> TOP_FIELDS = Set.of("server", "sources", "configs");
    private static final List<String> SERVER_FIELDS = List.of("host", "port", "maxBodyBytes", "tokenFile", "accessLog",
        "shutdownTimeoutSeconds");

    /**
     * Reads and checks a configuration file.
     *
     * @throws ConfigException naming the file and every problem in it
     */
    public static ConfigFile load(Path file) {
        JsonNode root;
        byte[] bytes;
        try {
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            bytes = Files.readAllBytes(file);
            root = yaml.readTree(bytes);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, "no such file");
        } catch (JsonProcessingException e) {
            throw new ConfigException(file, "not valid YAML" + where(e.getLocation()) + ": " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ConfigException(file, "cannot read it: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ConfigException(file, "the file is empty; expected a mapping with \"configs\", \"sources\" and/or \"server\"");
        }
        if (!root.isObject()) {
            throw new ConfigException(file, "the file must be a mapping with \"configs\", \"sources\" and/or \"server\"");
        }
        List<Violation> violations = new ArrayList<>();
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!TOP_FIELDS.contains(name)) {
                violations.add(new Violation("/" + escape(name), "unknown field; expected \"server\", \"sources\" or \"configs\""));
            }
        }
        Server server = server(root.get("server"), file, violations);
        Map<String, SourceSettings> sources = SourceSettings.parseAll(root.get("sources"), file.toAbsolutePath().getParent(),
            violations);
        Map<String, ObjectNode> configurations = new LinkedHashMap<>();
        Map<String, LiveConfiguration> live = new LinkedHashMap<>();
        configurations(root.get("configs"), sources, configurations, live, violations);
        if (!violations.isEmpty()) {
            throw new ConfigException(file, violations, YamlLines.of(bytes));
        }
        return new ConfigFile(server, Collections.unmodifiableMap(configurations), Collections.unmodifiableMap(live));
    }

    private static void configurations(JsonNode configs, Map<String, SourceSettings> sources, Map<String, ObjectNode> result,
                                       Map<String, LiveConfiguration> live, List<Violation> violations) {
        if (configs == null || configs.isNull()) {
            return;
        }
        if (!configs.isObject()) {
            violations.add(new Violation("/configs", "must be a mapping from configuration names to configurations"));
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = configs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> c = it.next();
            String pointer = "/configs/" + escape(c.getKey());
            if (c.getKey().isBlank()) {
                violations.add(new Violation(pointer, "a configuration needs a non-blank name"));
                continue;
            }
            List<Violation> found = new ArrayList<>();
            LiveConfiguration liveData = null;
            JsonNode spec = c.getValue();
            if (spec.isObject()) {
                spec = spec.deepCopy();
                liveData = LiveConfiguration.extract(c.getKey(), (ObjectNode) spec, sources, found);
            }
            RequestReader.checkConfiguration(spec).stream().map(ConfigFile::configurationFields).forEach(found::add);
            found.forEach(v -> violations.add(new Violation(pointer + v.path(), v.message())));
            if (found.isEmpty()) {
                result.put(c.getKey(), (ObjectNode) spec);
                if (liveData != null) {
                    live.put(c.getKey(), liveData);
                }
            }
        }
    }

    private static Server server(JsonNode node, Path file, List<Violation> violations) {
        if (node == null || node.isNull()) {
            return Server.EMPTY;
        }
        if (!node.isObject()) {
            violations.add(new Violation("/server", "must be a mapping of server settings: " + String.join(", ", SERVER_FIELDS)));
            return Server.EMPTY;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!SERVER_FIELDS.contains(name)) {
                violations.add(new Violation("/server/" + escape(name), UNKNOWN_FIELD + String.join(", ", SERVER_FIELDS)));
            }
        }
        String host = null;
        if (node.has("host")) {
            if (node.get("host").isTextual() && !node.get("host").textValue().isBlank()) {
                host = node.get("host").textValue();
            } else {
                violations.add(new Violation("/server/host", "must be a host name or address, e.g. 127.0.0.1 or 0.0.0.0"));
            }
        }
        Long port = whole(node, "port", 0, 65535, violations);
        Long maxBodyBytes = whole(node, "maxBodyBytes", 1, ServerConfig.MAX_MAX_BODY_BYTES, violations);
        Long shutdownSeconds = whole(node, "shutdownTimeoutSeconds", 0, 3600, violations);
        Path tokenFile = null;
        if (node.has("tokenFile")) {
            if (node.get("tokenFile").isTextual() && !node.get("tokenFile").textValue().isBlank()) {
                Path folder = file.toAbsolutePath().getParent();
                tokenFile = folder.resolve(node.get("tokenFile").textValue());
            } else {
                violations.add(new Violation("/server/tokenFile", "must be the path of a file holding the bearer token"));
            }
        }
        Boolean accessLog = null;
        if (node.has("accessLog")) {
            if (node.get("accessLog").isBoolean()) {
                accessLog = node.get("accessLog").booleanValue();
            } else {
                violations.add(new Violation("/server/accessLog", "must be true or false"));
            }
        }
        return new Server(host, port == null ? null : port.intValue(), maxBodyBytes, tokenFile, accessLog,
            shutdownSeconds == null ? null : Duration.ofSeconds(shutdownSeconds));
    }

    private static Long whole(JsonNode server, String field, long min, long max, List<Violation> violations) {
        if (!server.has(field)) {
            return null;
        }
        JsonNode v = server.get(field);
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            violations.add(new Violation("/server/" + field, "must be a whole number from " + min + " to " + max + ", got " + v));
            return null;
        }
        return v.longValue();
    }

    /**
     * A metric of a configuration takes the request's specification fields without its data
     * ({@code baseline}, {@code canary}) and with {@code queries}, which {@link LiveConfiguration}
     * reads: the request reader's list of the fields it knows is rewritten to say so.
     */
    private static Violation configurationFields(Violation v) {
        if (!v.path().matches("/metrics/\\d+/[^/]+") || !v.message().startsWith(UNKNOWN_FIELD)) {
            return v;
        }
        List<String> known = new ArrayList<>(List.of(v.message().substring(UNKNOWN_FIELD.length()).split(", ")));
        known.removeAll(List.of("baseline", "canary"));
        known.add("queries");
        return new Violation(v.path(), UNKNOWN_FIELD + String.join(", ", known));
    }

    static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }
}
