package org.canaryjudge.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.server.McpSyncServer;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import org.canaryjudge.server.config.ConfigException;
import org.canaryjudge.server.config.ConfigFile;
import org.canaryjudge.server.judging.JsonJudge;
import org.canaryjudge.server.json.JudgementWriter;
import org.canaryjudge.server.json.RequestReader;
import org.canaryjudge.server.mcp.AgentResources;
import org.canaryjudge.server.mcp.AgentServers;
import org.canaryjudge.server.mcp.AgentTools;
import org.canaryjudge.server.review.Reviewers;
import org.canaryjudge.server.source.LiveConfiguration;
import org.canaryjudge.server.source.LiveData;
import org.canaryjudge.server.store.Ledger;
import org.canaryjudge.server.store.RolloutStore;
import org.canaryjudge.server.store.StoreException;
import org.canaryjudge.server.store.Stores;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code canary-judge mcp}: a Model Context Protocol server for one agent over standard input and
 * output (docs/api.md, "Agents (MCP)"), until the client closes standard input. Standard output
 * carries only the protocol's messages; logs go to standard error.
 */
@Command(name = "mcp",
    description = {"Serves the Model Context Protocol to an agent over stdio.",
        "It runs until the client closes standard input (docs/api.md, \"Agents (MCP)\").",
        "Tools: judge, plan_stage, list_rollouts, get_rollout;",
        "record_decision too for a reviewer (--reviewers and --reviewer-token-file).",
        "Resources: the named configurations and the fixtures.",
        "Exit status: 0 when the client closed the session,",
        "2 for an invalid configuration or reviewer token,",
        "1 when the rollout store cannot be opened."},
    mixinStandardHelpOptions = true)
final class McpCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "YAML file with named configurations (configs:), as serve reads it")
    private Path configFile;

    @Option(names = "--store", paramLabel = "URL",
        description = "where rollouts are remembered, as for serve: jdbc:sqlite:PATH, jdbc:postgresql://HOST:PORT/DB, or none"
            + " (default: $" + ServeCommand.STORE_ENV + ", else jdbc:sqlite:~/.local/state/canary-judge/rollouts.db)")
    private String store;

    @Option(names = "--fixtures", paramLabel = "DIR", defaultValue = "fixtures",
        description = "folder of recorded fixtures offered as resources, when it exists (default: fixtures)")
    private Path fixtures;

    @Option(names = "--reviewers", paramLabel = "FILE",
        description = "the reviewers file, as serve reads it (name:token lines); with the reviewer's token, the session"
            + " is bound to that reviewer and gets record_decision")
    private Path reviewersFile;

    @Option(names = "--reviewer-token-file", paramLabel = "FILE",
        description = "file holding the token of the reviewer the session speaks for (else $" + REVIEWER_TOKEN_ENV
            + "); the name is the one --reviewers gives that token")
    private Path reviewerTokenFile;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    static final String REVIEWER_TOKEN_ENV = "CANARY_JUDGE_REVIEWER_TOKEN";

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        Map<String, ObjectNode> configurations = Map.of();
        Map<String, LiveConfiguration> live = Map.of();
        RequestReader reader;
        AgentTools.Caller caller;
        try {
            caller = caller();
            if (configFile != null) {
                ConfigFile file = ConfigFile.load(configFile);
                configurations = file.configurations();
                live = file.liveConfigurations();
            }
            reader = new RequestReader(configurations);
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("canary-judge mcp: " + e.getMessage());
            err.flush();
            return ServeCommand.INVALID;
        }
        RolloutStore rollouts;
        try {
            rollouts = Stores.open(ServeCommand.storeUrl(store));
        } catch (IllegalArgumentException e) {
            err.println("canary-judge mcp: " + e.getMessage());
            err.flush();
            return ServeCommand.INVALID;
        } catch (StoreException e) {
            err.println("canary-judge mcp: " + e.getMessage());
            err.flush();
            return ServeCommand.CANNOT_START;
        }
        JsonJudge judge = new JsonJudge(reader, live.isEmpty() ? null : new LiveData(live, Clock.systemUTC(), (source, result) -> { }));
        AgentTools tools = new AgentTools(new Ledger(judge, new JudgementWriter(false), rollouts, Clock.systemUTC()), rollouts,
            (result, nanos) -> { }, Clock.systemUTC(), new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors() - 1)),
            Duration.ofSeconds(2));
        CountDownLatch closed = new CountDownLatch(1);
        if (caller.reviewer() != null) {
            LoggerFactory.getLogger(McpCommand.class).info("the session is bound to the reviewer {}", caller.reviewer());
        }
        McpSyncServer server = AgentServers.stdio(tools, new AgentResources(configurations, fixtures), caller,
            new EndOfInput(System.in, closed), System.out);
        closed.await();
        server.closeGracefully();
        if (rollouts != null) {
            rollouts.close();
        }
        return 0;
    }

    /**
     * @return the local client, bound to the reviewer whose token it was given: a name alone would let
     *     whoever writes the agent's configuration decide as anyone, so the session proves who it speaks
     *     for with the same token POST /rollouts/{id}/decisions asks for
     */
    private AgentTools.Caller caller() {
        String env = System.getenv(REVIEWER_TOKEN_ENV);
        String token = reviewerTokenFile != null ? ServeCommand.readToken(reviewerTokenFile)
            : env != null && !env.isBlank() ? env.strip() : null;
        if (reviewersFile == null) {
            if (token != null) {
                throw new IllegalArgumentException("a reviewer's token needs --reviewers FILE, which names whose it is");
            }
            return AgentTools.Caller.LOCAL;
        }
        if (token == null) {
            throw new IllegalArgumentException("--reviewers needs the reviewer's token: --reviewer-token-file FILE or $"
                + REVIEWER_TOKEN_ENV);
        }
        String name = Reviewers.read(reviewersFile).identify(token).orElseThrow(() -> new IllegalArgumentException(
            "the reviewer's token is none of the tokens in " + reviewersFile));
        return new AgentTools.Caller(name, true);
    }

    /** Standard input that says when the client has closed it, which ends the session. */
    private static final class EndOfInput extends FilterInputStream {

        private final CountDownLatch closed;

        EndOfInput(InputStream in, CountDownLatch closed) {
            super(in);
            this.closed = closed;
        }

        @Override
        public int read() throws IOException {
            return ended(super.read());
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return ended(super.read(b, off, len));
        }

        private int ended(int n) {
            if (n < 0) {
                closed.countDown();
            }
            return n;
        }
    }
}
