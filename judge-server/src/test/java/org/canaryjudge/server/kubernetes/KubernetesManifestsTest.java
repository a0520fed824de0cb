package org.canaryjudge.server.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.canaryjudge.server.config.ConfigFile;
import org.canaryjudge.server.config.ServerConfig;
import org.canaryjudge.server.http.JudgeServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The Kubernetes manifests in {@code deploy/kubernetes/} against the server they deploy. A manifest
 * that drifts from the code passes {@code kubectl apply} and then fails in the cluster (probes on a
 * wrong path restart the pod forever; a config file that does not load crash-loops it), so each
 * check here compares a manifest with the real thing: the server's default port constant, a server
 * started on the manifest's configuration and asked the manifest's probe paths, the config file
 * loaded by {@link ConfigFile#load}, and the image settings in judge-server/pom.xml.
 */
class KubernetesManifestsTest {

    /** Surefire runs in judge-server/, so the repository root is its parent. */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path DIR = ROOT.resolve("deploy/kubernetes");
    static final Path EXAMPLE_CONFIG = ROOT.resolve("judge-server/examples/judge.yaml");
    static final Path POM = ROOT.resolve("judge-server/pom.xml");
    static final Path BASE_SCRIPT = ROOT.resolve("deploy/image/build-base.sh");

    /** The same strictness the server's own loader uses: a key given twice is an error, not a silent override. */
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /**
     * Not among the resources kustomize applies: the ServiceMonitor needs the Prometheus Operator's
     * CRD, and the Secret's committed value is a placeholder that every apply would otherwise write
     * over the real token.
     */
    static final Set<String> NOT_APPLIED = Set.of("servicemonitor.yaml", "secret.yaml");

    static Map<String, JsonNode> manifests;

    @BeforeAll
    static void parseEveryManifest() throws IOException {
        assertTrue(Files.isDirectory(DIR), "no " + DIR);
        manifests = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList()) {
                List<JsonNode> documents = new ArrayList<>();
                try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
                    it.forEachRemaining(documents::add);
                }
                documents.removeIf(d -> d == null || d.isNull() || d.isMissingNode());
                assertEquals(1, documents.size(), file.getFileName() + ": one object per file, so that each can be applied or left out alone");
                manifests.put(file.getFileName().toString(), documents.get(0));
            }
        }
    }

    // --- lookups --------------------------------------------------------------------------------

    static JsonNode ofKind(String kind) {
        List<JsonNode> found = manifests.values().stream().filter(m -> kind.equals(m.path("kind").asText())).toList();
        assertEquals(1, found.size(), "exactly one " + kind + " in " + DIR + ", got " + found.size());
        return found.get(0);
    }

    static JsonNode podSpec() {
        return ofKind("Deployment").at("/spec/template/spec");
    }

    static JsonNode container() {
        JsonNode containers = podSpec().get("containers");
        assertNotNull(containers, "the Deployment has no containers");
        assertEquals(1, containers.size(), "one container: the judge");
        return containers.get(0);
    }

    static List<String> args() {
        List<String> args = new ArrayList<>();
        container().path("args").forEach(a -> args.add(a.asText()));
        assertFalse(container().has("command"), "the image's entrypoint runs the command line; the manifest only passes arguments");
        return args;
    }

    static String option(List<String> args, String name) {
        int i = args.indexOf(name);
        if (i < 0) {
            return null;
        }
        assertTrue(i + 1 < args.size(), name + " needs a value in " + args);
        return args.get(i + 1);
    }

    static int containerPort() {
        JsonNode ports = container().get("ports");
        assertNotNull(ports, "the container declares no port");
        assertEquals(1, ports.size(), "one port: HTTP");
        assertEquals("http", ports.get(0).path("name").asText(), "the port is named http (probes, Service and ServiceMonitor use the name)");
        return ports.get(0).path("containerPort").asInt();
    }

    /** A probe's or the Service's port: the container port's name, or its number. */
    static int resolvePort(JsonNode port) {
        if (port.isTextual()) {
            assertEquals("http", port.asText(), "no container port named " + port.asText());
            return containerPort();
        }
        return port.asInt();
    }

    static JsonNode mountAt(String mountPath) {
        for (JsonNode m : container().path("volumeMounts")) {
            if (mountPath.equals(m.path("mountPath").asText())) {
                return m;
            }
        }
        return fail("nothing is mounted at " + mountPath + " in " + container().path("volumeMounts"));
    }

    static JsonNode volume(String name) {
        for (JsonNode v : podSpec().path("volumes")) {
            if (name.equals(v.path("name").asText())) {
                return v;
            }
        }
        return fail("no volume named " + name);
    }

    /** The file a key of a ConfigMap or Secret volume becomes, honouring an {@code items} remapping. */
    static String fileOfKey(JsonNode source, String key) {
        if (!source.has("items")) {
            return key;
        }
        for (JsonNode item : source.get("items")) {
            if (key.equals(item.path("key").asText())) {
                return item.path("path").asText();
            }
        }
        return null;
    }

    static String judgeYaml() {
        JsonNode data = ofKind("ConfigMap").path("data");
        assertTrue(data.path("judge.yaml").isTextual(), "the ConfigMap holds judge.yaml");
        return data.get("judge.yaml").asText();
    }

    static ConfigFile loadJudgeYaml(Path dir) throws IOException {
        Path file = dir.resolve("judge.yaml");
        Files.writeString(file, judgeYaml(), StandardCharsets.UTF_8);
        return ConfigFile.load(file); // throws ConfigException listing every violation
    }

    static String secretValue(JsonNode secret, String key) {
        if (secret.path("stringData").has(key)) {
            return secret.at("/stringData").get(key).asText();
        }
        if (secret.path("data").has(key)) {
            return new String(Base64.getDecoder().decode(secret.at("/data").get(key).asText()), StandardCharsets.UTF_8);
        }
        return null;
    }

    // --- the manifests as a set -----------------------------------------------------------------

    @Test
    void everyManifestIsAnObjectAndTheKustomizationAppliesAllButTheServiceMonitorAndTheSecret() {
        Set<String> objects = new TreeSet<>();
        for (Map.Entry<String, JsonNode> m : manifests.entrySet()) {
            JsonNode doc = m.getValue();
            assertTrue(doc.path("apiVersion").isTextual() && doc.path("kind").isTextual(), m.getKey() + ": apiVersion and kind");
            if (!"Kustomization".equals(doc.get("kind").asText())) {
                assertFalse(doc.at("/metadata/name").asText().isBlank(), m.getKey() + ": metadata.name");
                objects.add(m.getKey());
            }
        }
        assertEquals(Set.of("Deployment", "Service", "ConfigMap", "Secret", "PodDisruptionBudget", "ServiceMonitor"),
            Set.copyOf(manifests.values().stream().map(m -> m.get("kind").asText()).filter(k -> !k.equals("Kustomization")).toList()));
        assertEquals("ServiceMonitor", manifests.get("servicemonitor.yaml").path("kind").asText());
        assertEquals("Secret", manifests.get("secret.yaml").path("kind").asText());

        Set<String> listed = new TreeSet<>();
        ofKind("Kustomization").path("resources").forEach(r -> listed.add(r.asText()));
        Set<String> expected = new TreeSet<>(objects);
        expected.removeAll(NOT_APPLIED);
        assertEquals(expected, listed, "kustomization.yaml lists every manifest except " + NOT_APPLIED);
    }

    @Test
    void selectorsMatchThePodsAndTheServiceReachesTheNamedPort() {
        JsonNode deployment = ofKind("Deployment");
        JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
        assertMatches(deployment.at("/spec/selector/matchLabels"), podLabels, "Deployment selector");
        assertMatches(ofKind("Service").at("/spec/selector"), podLabels, "Service selector");
        assertMatches(ofKind("PodDisruptionBudget").at("/spec/selector/matchLabels"), podLabels, "PodDisruptionBudget selector");
        assertMatches(ofKind("ServiceMonitor").at("/spec/selector/matchLabels"), ofKind("Service").at("/metadata/labels"),
            "ServiceMonitor selector (it selects Services)");
        assertTrue(deployment.at("/spec/replicas").asInt() >= 2, "stateless: more than one replica, so a node loss does not stop rollouts");
        assertEquals(1, ofKind("PodDisruptionBudget").at("/spec/maxUnavailable").asInt(),
            "a drain takes one replica at a time, so one keeps answering");
        JsonNode spread = podSpec().at("/topologySpreadConstraints/0");
        assertEquals("kubernetes.io/hostname", spread.path("topologyKey").asText(), "the replicas spread over nodes");
        assertMatches(spread.at("/labelSelector/matchLabels"), podLabels, "topologySpreadConstraints selector");

        JsonNode servicePorts = ofKind("Service").at("/spec/ports");
        assertEquals(1, servicePorts.size());
        assertEquals(containerPort(), resolvePort(servicePorts.get(0).get("targetPort")), "the Service forwards to the container port");
        assertEquals(servicePorts.get(0).path("name").asText(), ofKind("ServiceMonitor").at("/spec/endpoints/0/port").asText(),
            "the ServiceMonitor scrapes the Service's port by name");
    }

    private static void assertMatches(JsonNode selector, JsonNode labels, String what) {
        assertTrue(selector.isObject() && selector.size() > 0, what + " is empty");
        selector.fields().forEachRemaining(e ->
            assertEquals(e.getValue().asText(), labels.path(e.getKey()).asText(null), what + ": " + e.getKey()));
    }

    // --- the port and the listen address ----------------------------------------------------------

    @Test
    void theContainerPortIsTheServersDefaultPortAndTheServerListensOnIt(@TempDir Path dir) throws IOException {
        assertEquals(ServerConfig.DEFAULT_PORT, containerPort(), "the container port is the server's default port");
        ConfigFile file = loadJudgeYaml(dir);
        // The way serve combines them: --port, else server.port, else the default.
        String portOption = option(args(), "--port");
        int listens = portOption != null ? Integer.parseInt(portOption)
            : file.server().port() != null ? file.server().port() : ServerConfig.DEFAULT_PORT;
        assertEquals(containerPort(), listens, "the server listens on the container port");
        String host = option(args(), "--host") != null ? option(args(), "--host")
            : file.server().host() != null ? file.server().host() : ServerConfig.DEFAULT_HOST;
        assertEquals("0.0.0.0", host, "probes and the Service reach the pod's IP, so the server must listen on every interface, not "
            + ServerConfig.DEFAULT_HOST);
    }

    // --- the config file ------------------------------------------------------------------------

    @Test
    void theConfigMapsJudgeYamlIsMountedWhereTheArgsPointAndLoads(@TempDir Path dir) throws IOException {
        List<String> args = args();
        assertEquals("serve", args.get(0), "the container runs canary-judge serve");
        String config = option(args, "--config");
        assertNotNull(config, "serve --config FILE");
        Path configPath = Path.of(config);
        assertTrue(configPath.isAbsolute(), config);

        JsonNode mount = mountAt(configPath.getParent().toString());
        assertTrue(mount.path("readOnly").asBoolean(), "the config mount is read-only");
        JsonNode source = volume(mount.get("name").asText()).path("configMap");
        assertEquals(ofKind("ConfigMap").at("/metadata/name").asText(), source.path("name").asText(), "the mounted ConfigMap is ours");
        assertEquals(configPath.getFileName().toString(), fileOfKey(source, "judge.yaml"), "the ConfigMap key becomes the file --config names");

        ConfigFile file = loadJudgeYaml(dir);
        JsonNode example = YAML.readTree(EXAMPLE_CONFIG.toFile()).get("configs");
        assertEquals(example, YAML.readTree(judgeYaml()).get("configs"),
            "the ConfigMap carries the example policies of judge-server/examples/judge.yaml");
        assertEquals(List.of("checkout-errors", "checkout-latency", "checkout-live", "checkout-flagger"),
            List.copyOf(file.configurations().keySet()));
    }

    @Test
    void theTokenSecretIsMountedWhereServerTokenFilePoints(@TempDir Path dir) throws IOException {
        Path tokenFile = loadJudgeYaml(dir).server().tokenFile();
        assertNotNull(tokenFile, "judge.yaml sets server.tokenFile");
        assertTrue(tokenFile.isAbsolute() && tokenFile.startsWith("/"),
            "an absolute path, so it does not depend on where the ConfigMap is mounted: " + tokenFile);

        JsonNode mount = mountAt(tokenFile.getParent().toString());
        assertTrue(mount.path("readOnly").asBoolean(), "the token mount is read-only");
        JsonNode source = volume(mount.get("name").asText()).path("secret");
        JsonNode secret = ofKind("Secret");
        assertEquals(secret.at("/metadata/name").asText(), source.path("secretName").asText(), "the mounted Secret is ours");
        String key = "token";
        assertEquals(tokenFile.getFileName().toString(), fileOfKey(source, key), "the Secret's key becomes the file tokenFile names");
        String placeholder = secretValue(secret, key);
        assertNotNull(placeholder, "the Secret has the key " + key);
        // Fail closed: the committed value is public, so the server must refuse it rather than run with it.
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> ServerConfig.defaults().withToken(placeholder.strip()), "the placeholder token must be refused by the server");
        assertTrue(refused.getMessage().contains("token"), refused.getMessage());
        // Secret volumes default to 0644; the Deployment narrows it to owner and group (fsGroup).
        assertEquals(0440, source.path("defaultMode").asInt(), "the token file is readable by owner and group only");
        assertEquals(podSpec().at("/securityContext/runAsGroup").asInt(), podSpec().at("/securityContext/fsGroup").asInt(),
            "the group that may read the token is the process's group");
    }

    // --- the probes, on a real server -----------------------------------------------------------

    @Test
    void theProbesAndTheScrapePathAnswer200OnARealServerRunWithTheManifestsConfig(@TempDir Path dir) throws Exception {
        ConfigFile file = loadJudgeYaml(dir);
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        // The manifest's configuration and a token, as in the pod; on loopback and a free port here.
        ServerConfig config = ServerConfig.defaults().withConfigurations(file.configurations()).withToken(token)
            .withHost("127.0.0.1").withPort(0).withAccessLog(false);
        List<String> probes = new ArrayList<>();
        for (String kind : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            JsonNode probe = container().path(kind);
            if (probe.isMissingNode()) {
                assertFalse(kind.equals("livenessProbe") || kind.equals("readinessProbe"), "the container has no " + kind);
                continue;
            }
            JsonNode get = probe.get("httpGet");
            assertNotNull(get, kind + " is an HTTP GET");
            assertEquals(ServerConfig.DEFAULT_PORT, resolvePort(get.get("port")), kind + " asks the port the server listens on");
            probes.add(get.get("path").asText());
        }
        String scrape = ofKind("ServiceMonitor").at("/spec/endpoints/0/path").asText();

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        try (JudgeServer server = JudgeServer.start(config, line -> { })) {
            URI base = server.uri();
            // The kubelet and Prometheus send no Authorization header: these must stay open with a token set.
            for (String path : probes) {
                assertEquals(200, get(http, base.resolve(path)).statusCode(), "GET " + path + " (a probe) answers 200");
            }
            HttpResponse<String> metrics = get(http, base.resolve(scrape));
            assertEquals(200, metrics.statusCode(), "GET " + scrape + " (the ServiceMonitor's path) answers 200");
            assertTrue(metrics.body().contains("# TYPE"), "Prometheus text format");

            // The configuration from the ConfigMap is the one served, and POST /judge needs the token.
            String request = "{\"config\": \"checkout-errors\", \"metrics\": [{\"name\": \"error_rate\","
                + " \"baseline\": {\"errors\": [10000], \"requests\": [1000000]}, \"canary\": {\"errors\": [1700], \"requests\": [100000]}}]}";
            assertEquals(401, post(http, base.resolve("/judge"), request, null).statusCode(), "no token: 401");
            HttpResponse<String> judged = post(http, base.resolve("/judge"), request, token);
            assertEquals(200, judged.statusCode(), judged.body());
            assertTrue(judged.body().contains("\"verdict\":\"hold\""), judged.body());
        }
        // Any path that answers 200 passes the above; liveness and readiness mean different things.
        assertEquals("/livez", container().at("/livenessProbe/httpGet/path").asText(), "liveness: the process answers");
        assertEquals("/readyz", container().at("/readinessProbe/httpGet/path").asText(),
            "readiness: /readyz turns 503 while the server drains, which takes the pod out of the Service");
    }

    private static HttpResponse<String> get(HttpClient http, URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(HttpClient http, URI uri, String body, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    // --- hardening and resources ----------------------------------------------------------------

    @Test
    void theContainerRunsAsAFixedNonRootUserOnAReadOnlyRootWithoutCapabilities() throws Exception {
        JsonNode pod = podSpec().path("securityContext");
        JsonNode c = container().path("securityContext");
        assertTrue(pod.path("runAsNonRoot").asBoolean() && c.path("runAsNonRoot").asBoolean(), "runAsNonRoot");
        int uid = c.path("runAsUser").asInt();
        assertTrue(uid > 0, "a fixed, non-zero uid");
        assertEquals(uid, pod.path("runAsUser").asInt());
        assertFalse(c.path("allowPrivilegeEscalation").asBoolean(true), "allowPrivilegeEscalation: false");
        assertTrue(c.path("readOnlyRootFilesystem").asBoolean(), "readOnlyRootFilesystem: true");
        List<String> dropped = new ArrayList<>();
        c.path("capabilities").path("drop").forEach(d -> dropped.add(d.asText()));
        assertEquals(List.of("ALL"), dropped, "every capability is dropped");
        assertFalse(c.path("capabilities").has("add"), "none is added back");
        assertEquals("RuntimeDefault", pod.at("/seccompProfile/type").asText());
        assertFalse(podSpec().path("automountServiceAccountToken").asBoolean(true), "the judge does not talk to the API server");

        // The JVM writes to /tmp; with a read-only root that must be a volume.
        JsonNode tmp = mountAt("/tmp");
        assertTrue(volume(tmp.get("name").asText()).has("emptyDir"), "/tmp is an emptyDir");

        // The image runs as the same user: the Jib recipe and the local base image agree with the manifest.
        String imageUser = jibContainer("user");
        assertEquals(uid + ":" + c.path("runAsGroup").asInt(), imageUser, "judge-server/pom.xml's Jib container user");
        Matcher baseUid = Pattern.compile("(?m)^uid=(\\d+)$").matcher(Files.readString(BASE_SCRIPT));
        assertTrue(baseUid.find(), "deploy/image/build-base.sh sets uid=");
        assertEquals(uid, Integer.parseInt(baseUid.group(1)), "the local base image's non-root user");
    }

    @Test
    void theImageIsTheOneTheRecipeBuilds() throws Exception {
        String image = container().path("image").asText();
        String toImage = jibElement("to", "image").replace("${project.version}", projectVersion());
        assertEquals(toImage, image, "the Deployment runs the image judge-server/pom.xml's Jib recipe tags");
        JsonNode ports = container().get("ports");
        assertEquals(jibContainer("ports").strip(), String.valueOf(ports.get(0).path("containerPort").asInt()),
            "the port the image declares");
    }

    @Test
    void theHeapIsBoundedWellInsideTheMemoryLimitAndShutdownFitsTheGracePeriod(@TempDir Path dir) throws IOException {
        String options = null;
        for (JsonNode env : container().path("env")) {
            if (env.path("name").asText().equals("JDK_JAVA_OPTIONS")) {
                options = env.path("value").asText();
            }
        }
        assertNotNull(options, "JDK_JAVA_OPTIONS sets the JVM options (the image's entrypoint is java itself)");
        Matcher xmx = Pattern.compile("(?:^|\\s)-Xmx(\\d+[kKmMgG]?)(?:\\s|$)").matcher(options);
        assertTrue(xmx.find(), "a bounded heap (-Xmx): without one the resident set grows with the node's memory; " + options);
        long heap = jvmBytes(xmx.group(1));
        JsonNode resources = container().path("resources");
        long limit = kubernetesBytes(resources.at("/limits/memory").asText());
        long request = kubernetesBytes(resources.at("/requests/memory").asText());
        // docs/performance.md: RSS 306-357 MiB with -Xmx256m, so about 100 MiB beyond the heap.
        assertTrue(limit - heap >= 128L << 20, "at least 128 MiB beyond the heap for JIT code, metaspace and threads: heap "
            + (heap >> 20) + " MiB, limit " + (limit >> 20) + " MiB");
        assertTrue(request <= limit, "the memory request is within the limit");
        assertTrue(request >= heap, "the memory request covers at least the heap");
        assertFalse(resources.at("/requests/cpu").asText().isBlank(), "a CPU request");
        assertFalse(resources.at("/limits/cpu").asText().isBlank(), "a CPU limit");

        Duration shutdown = loadJudgeYaml(dir).server().shutdownTimeout();
        long drain = (shutdown == null ? ServerConfig.DEFAULT_SHUTDOWN_TIMEOUT : shutdown).toSeconds();
        long grace = podSpec().path("terminationGracePeriodSeconds").asLong(30);
        assertTrue(grace > drain, "the kubelet waits " + grace + " s before SIGKILL; requests in flight get " + drain + " s");
    }

    /** A Kubernetes memory quantity: bytes, or a decimal (k, M, G) or binary (Ki, Mi, Gi) suffix. */
    static long kubernetesBytes(String quantity) {
        Matcher m = Pattern.compile("^(\\d+)(Ki|Mi|Gi|k|M|G)?$").matcher(quantity.strip());
        assertTrue(m.matches(), "a memory quantity: " + quantity);
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "" : m.group(2)) {
            case "Ki" -> n << 10;
            case "Mi" -> n << 20;
            case "Gi" -> n << 30;
            case "k" -> n * 1_000L;
            case "M" -> n * 1_000_000L;
            case "G" -> n * 1_000_000_000L;
            default -> n;
        };
    }

    /** A JVM size such as -Xmx takes: bytes, or k, m, g (either case), all binary. */
    static long jvmBytes(String size) {
        Matcher m = Pattern.compile("^(\\d+)([kKmMgG])?$").matcher(size);
        assertTrue(m.matches(), "a JVM size: " + size);
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "" : m.group(2).toLowerCase(java.util.Locale.ROOT)) {
            case "k" -> n << 10;
            case "m" -> n << 20;
            case "g" -> n << 30;
            default -> n;
        };
    }

    // --- judge-server/pom.xml -------------------------------------------------------------------

    static Element jibConfiguration() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(POM.toFile());
        NodeList plugins = pom.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            if ("jib-maven-plugin".equals(text(plugin, "artifactId"))) {
                NodeList configuration = plugin.getElementsByTagName("configuration");
                if (configuration.getLength() > 0) {
                    return (Element) configuration.item(0);
                }
            }
        }
        return fail("no jib-maven-plugin configuration in " + POM);
    }

    static String jibContainer(String field) throws Exception {
        return jibElement("container", field);
    }

    static String jibElement(String parent, String field) throws Exception {
        Element p = (Element) jibConfiguration().getElementsByTagName(parent).item(0);
        assertNotNull(p, "Jib configuration has no <" + parent + ">");
        return text(p, field);
    }

    static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().strip();
    }

    static String projectVersion() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(POM.toFile());
        Element parent = (Element) pom.getDocumentElement().getElementsByTagName("parent").item(0);
        return text(parent, "version");
    }
}
