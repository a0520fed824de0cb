package org.canaryjudge.server.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.canaryjudge.server.source.LiveConfiguration;

/**
 * Everything {@code canary-judge serve} runs with, after the command line, the environment and the
 * configuration file have been combined.
 *
 * @param host the address to listen on
 * @param port the port to listen on; 0 picks a free one
 * @param maxBodyBytes the largest request body accepted (larger: 413)
 * @param token the bearer token a {@code POST /judge} must carry, or null for no authentication
 * @param accessLog whether to write one access-log line per request
 * @param shutdownTimeout how long in-flight requests may take to finish once shutdown begins
 * @param configurations named configurations a request may refer to with {@code "config"}
 * @param liveConfigurations the live-data part of the configurations that fetch from a source
 */
public record ServerConfig(String host, int port, long maxBodyBytes, String token, boolean accessLog,
                           Duration shutdownTimeout, Map<String, ObjectNode> configurations,
                           Map<String, LiveConfiguration> liveConfigurations) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    /** 16 MiB, the contract's default body limit. */
    public static final long DEFAULT_MAX_BODY_BYTES = 16L * 1024 * 1024;
    /** The largest body limit that may be configured: bodies are held in memory. */
    public static final long MAX_MAX_BODY_BYTES = 1L << 30;
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be from 0 to 65535, got " + port);
        }
        if (maxBodyBytes < 1 || maxBodyBytes > MAX_MAX_BODY_BYTES) {
            throw new IllegalArgumentException("maxBodyBytes must be from 1 to " + MAX_MAX_BODY_BYTES + ", got " + maxBodyBytes);
        }
        if (token != null && token.isEmpty()) {
            throw new IllegalArgumentException("an empty token would let anyone in; leave it unset instead");
        }
        if (token != null && !token.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
            throw new IllegalArgumentException("the token must be printable ASCII without spaces (RFC 6750)");
        }
        configurations = Collections.unmodifiableMap(new LinkedHashMap<>(configurations));
        liveConfigurations = Collections.unmodifiableMap(new LinkedHashMap<>(liveConfigurations));
        if (!configurations.keySet().containsAll(liveConfigurations.keySet())) {
            throw new IllegalArgumentException("every live configuration needs its specification in configurations");
        }
    }

    /** A configuration without live data sources. */
    public ServerConfig(String host, int port, long maxBodyBytes, String token, boolean accessLog,
                        Duration shutdownTimeout, Map<String, ObjectNode> configurations) {
        this(host, port, maxBodyBytes, token, accessLog, shutdownTimeout, configurations, Map.of());
    }

    /** @return the defaults: 127.0.0.1:8080, 16 MiB, no token, access log on, no configurations */
    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES, null, true,
            DEFAULT_SHUTDOWN_TIMEOUT, Map.of(), Map.of());
    }

    public ServerConfig withHost(String host) {
        return new ServerConfig(host, port, maxBodyBytes, token, accessLog, shutdownTimeout, configurations, liveConfigurations);
    }

    public ServerConfig withPort(int port) {
        return new ServerConfig(host, port, maxBodyBytes, token, accessLog, shutdownTimeout, configurations, liveConfigurations);
    }

    public ServerConfig withMaxBodyBytes(long maxBodyBytes) {
        return new ServerConfig(host, port, maxBodyBytes, token, accessLog, shutdownTimeout, configurations, liveConfigurations);
    }

    public ServerConfig withToken(String token) {
        return new ServerConfig(host, port, maxBodyBytes, token, accessLog, shutdownTimeout, configurations, liveConfigurations);
    }

    public ServerConfig withAccessLog(boolean accessLog) {
        return new ServerConfig(host, port, maxBodyBytes, token, accessLog, shutdownTimeout, configurations, liveConfigurations);
    }

    public ServerConfig withShutdownTimeout(Duration shutdownTimeout) {
        return new ServerConfig(host, port, maxBodyBytes, token, accessLog, shutdownTimeout, configurations, liveConfigurations);
    }

    /** @return this with the configurations of a configuration file (live ones included) */
    public ServerConfig withConfigurations(Map<String, ObjectNode> configurations, Map<String, LiveConfiguration> live) {
        return new ServerConfig(host, port, maxBodyBytes, token, accessLog, shutdownTimeout, configurations, live);
    }

    public ServerConfig withConfigurations(Map<String, ObjectNode> configurations) {
        return withConfigurations(configurations, Map.of());
    }

    /** @return a description for logs: never the token itself */
    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", maxBodyBytes=" + maxBodyBytes
            + ", token=" + (token == null ? "none" : "set") + ", accessLog=" + accessLog
            + ", shutdownTimeout=" + shutdownTimeout + ", configurations=" + configurations.keySet() + ", live=" + liveConfigurations.keySet() + "]";
    }
}
