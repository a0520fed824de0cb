package org.canaryjudge.server.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.canaryjudge.server.config.ConfigException;
import org.canaryjudge.server.config.ConfigFile;
import org.canaryjudge.server.config.ServerConfig;
import org.canaryjudge.server.http.JudgeServer;
import org.canaryjudge.server.source.Durations;
import org.canaryjudge.server.review.Reviewers;
import org.canaryjudge.server.store.RolloutStore;
import org.canaryjudge.server.store.StoreException;
import org.canaryjudge.server.store.Stores;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code canary-judge serve}: runs the HTTP service until SIGTERM or SIGINT, then stops gracefully
 * (requests in flight finish) and exits with status 0.
 */
@Command(name = "serve",
    description = {"Runs the HTTP service until SIGTERM or SIGINT (docs/api.md).",
        "Endpoints: POST /judge; POST /plan (the stage planner);",
        "POST /kayenta/judge (Spinnaker Kayenta's judge);",
        "POST /flagger/gate/{config}, POST /flagger/rollback/{config},",
        "POST /flagger/confirm (Flagger's webhooks and manual gate);",
        "GET /rollouts, GET /rollouts/{id} (the rollouts remembered);",
        "POST /rollouts/{id}/decisions (a person's decision);",
        "GET /ui/ (the review page); POST /mcp (agents: MCP);",
        "GET /livez, /readyz, /metrics and /openapi.json.",
        "Settings: the command line, then the environment (CANARY_JUDGE_TOKEN),",
        "then the --config file's server block.",
        "Exit status: 0 on a clean shutdown (SIGTERM, SIGINT),",
        "2 for an invalid configuration, 1 when it cannot listen."},
    mixinStandardHelpOptions = true)
final class ServeCommand implements Callable<Integer> {

    static final int INVALID = 2;
    static final int CANNOT_START = 1;
    static final String TOKEN_ENV = "CANARY_JUDGE_TOKEN";
    static final String STORE_ENV = "CANARY_JUDGE_STORE";

    @Option(names = "--host", paramLabel = "HOST", description = "address to listen on (default: 127.0.0.1)")
    private String host;

    @Option(names = "--port", paramLabel = "PORT", description = "port to listen on; 0 picks a free one (default: 8080)")
    private Integer port;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML file with named configurations (configs:) and server settings (server:)")
    private Path configFile;

    @Option(names = "--token-file", paramLabel = "FILE",
        description = "file holding the bearer token POST /judge must carry (else $" + TOKEN_ENV + ", else server.tokenFile)")
    private Path tokenFile;

    @Option(names = "--drain-seconds", paramLabel = "SECONDS", defaultValue = "0",
        description = "on SIGTERM, answer /readyz with 503 for this long while still serving, so that a load balancer"
            + " (Kubernetes' readiness probe) stops routing here before connections are refused (default: 0)")
    private int drainSeconds;

    @Option(names = "--store", paramLabel = "URL",
        description = "where rollouts are remembered: jdbc:sqlite:PATH, jdbc:postgresql://HOST:PORT/DB (user and password"
            + " from $" + Stores.USER_ENV + " and $" + Stores.PASSWORD_ENV + ", or in the URL), or none"
            + " (default: $" + STORE_ENV + ", else jdbc:sqlite:~/.local/state/canary-judge/rollouts.db)")
    private String store;

    @Option(names = "--store-retention", paramLabel = "DURATION", defaultValue = "90d",
        description = "forget rollouts with no look for this long, such as 30d or 12h (default: 90d)")
    private String retention;

    @Option(names = "--reviewers", paramLabel = "FILE",
        description = "file of the people who may decide on rollouts, one name:token per line (tokens of at least "
            + Reviewers.MIN_TOKEN_LENGTH + " characters); without it nobody can decide")
    private Path reviewersFile;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ServerConfig config;
        Reviewers reviewers;
        RolloutStore rollouts;
        Duration keep;
        try {
            if (drainSeconds < 0 || drainSeconds > 3600) {
                throw new IllegalArgumentException("--drain-seconds must be from 0 to 3600, got " + drainSeconds);
            }
            config = configure();
            reviewers = reviewersFile == null ? Reviewers.none() : Reviewers.read(reviewersFile);
            if (config.token() != null && reviewers.holds(config.token())) {
                throw new IllegalArgumentException("the machine token is also a reviewer's token in " + reviewersFile
                    + "; a reviewer token must identify one person");
            }
            try {
                keep = Durations.parse(retention);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--store-retention: " + e.getMessage(), e);
            }
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("canary-judge serve: " + e.getMessage());
            err.flush();
            return INVALID;
        }
        String url = storeUrl(store);
        try {
            rollouts = Stores.open(url);
        } catch (IllegalArgumentException e) {
            err.println("canary-judge serve: " + e.getMessage());
            err.flush();
            return INVALID;
        } catch (StoreException e) {
            err.println("canary-judge serve: " + e.getMessage());
            err.flush();
            return CANNOT_START;
        }
        ScheduledExecutorService retentionTimer = rollouts == null ? null : retention(rollouts, keep);
        JudgeServer server;
        try {
            server = JudgeServer.start(config, System.out::println, rollouts, reviewers);
        } catch (RuntimeException e) {
            if (rollouts != null) {
                retentionTimer.shutdownNow();
                rollouts.close();
            }
            err.println("canary-judge serve: cannot listen on " + config.host() + ":" + config.port() + ": "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            err.flush();
            return CANNOT_START;
        }
        LoggerFactory.getLogger(ServeCommand.class).info(rollouts == null ? "no rollout store (--store none)" : "rollouts in {}", rollouts);
        if (reviewers.any()) {
            LoggerFactory.getLogger(ServeCommand.class).info(rollouts == null ? "{} configured, but without a store nobody can decide"
                : "{} may decide on rollouts", reviewers);
        }
        out.println("listening on " + server.uri());
        out.flush();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            int status = 0;
            try {
                server.stop(Duration.ofSeconds(drainSeconds));
                if (rollouts != null) {
                    retentionTimer.shutdownNow();
                    rollouts.close();
                }
            } catch (RuntimeException e) {
                err.println("canary-judge serve: the server did not stop cleanly: " + e.getMessage());
                status = CANNOT_START;
            }
            err.flush();
            stopped.countDown();
            // A signal would make the JVM exit with 128 + its number; a clean shutdown exits with 0.
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(status);
        }, "canary-judge-shutdown"));
        stopped.await();
        return 0;
    }

    /** @return the store's URL: the option's, else $CANARY_JUDGE_STORE, else the default SQLite file */
    static String storeUrl(String option) {
        String env = System.getenv(STORE_ENV);
        return option != null ? option : env != null && !env.isBlank() ? env.strip() : Stores.defaultUrl();
    }

    /** Forgets rollouts older than the retention at start and then every hour. */
    private static ScheduledExecutorService retention(RolloutStore rollouts, Duration keep) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "canary-judge-retention");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> {
            try {
                rollouts.forget(Instant.now().minus(keep));
            } catch (StoreException e) {
                LoggerFactory.getLogger(ServeCommand.class).warn("could not forget old rollouts: {}", e.getMessage());
            }
        }, 0, 1, TimeUnit.HOURS);
        return timer;
    }

    private ServerConfig configure() {
        ServerConfig config = ServerConfig.defaults();
        ConfigFile.Server fromFile = null;
        if (configFile != null) {
            ConfigFile file = ConfigFile.load(configFile);
            fromFile = file.server();
            config = config.withConfigurations(file.configurations(), file.liveConfigurations());
            if (fromFile.host() != null) {
                config = config.withHost(fromFile.host());
            }
            if (fromFile.port() != null) {
                config = config.withPort(fromFile.port());
            }
            if (fromFile.maxBodyBytes() != null) {
                config = config.withMaxBodyBytes(fromFile.maxBodyBytes());
            }
            if (fromFile.accessLog() != null) {
                config = config.withAccessLog(fromFile.accessLog());
            }
            if (fromFile.shutdownTimeout() != null) {
                config = config.withShutdownTimeout(fromFile.shutdownTimeout());
            }
        }
        if (host != null) {
            config = config.withHost(host);
        }
        if (port != null) {
            config = config.withPort(port);
        }
        String env = System.getenv(TOKEN_ENV);
        if (tokenFile != null) {
            config = config.withToken(readToken(tokenFile));
        } else if (env != null && !env.isBlank()) {
            config = config.withToken(env.strip());
        } else if (fromFile != null && fromFile.tokenFile() != null) {
            config = config.withToken(readToken(fromFile.tokenFile()));
        }
        return config;
    }

    static String readToken(Path file) {
        String token;
        try {
            token = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such token file: " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the token file " + file + ": " + e.getMessage());
        }
        if (token.isEmpty()) {
            throw new IllegalArgumentException("the token file " + file + " is empty");
        }
        return token;
    }
}
