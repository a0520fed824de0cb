package org.canaryjudge.server.cli;

import io.modelcontextprotocol.server.McpSyncServer;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.canaryjudge.server.config.ConfigException;
import org.canaryjudge.server.config.ConfigFile;
import org.canaryjudge.server.judging.JsonJudge;
import org.canaryjudge.server.json.JudgementWriter;
import org.canaryjudge.server.json.RequestReader;
import org.canaryjudge.server.mcp.AgentResources;
import org.canaryjudge.server.mcp.AgentServers;
import org.canaryjudge.server.mcp.AgentTools;
import org.canaryjudge.server.source.LiveConfiguration;
import org.canaryjudge.server.source.LiveData;
import org.canaryjudge.server.store.Ledger;
import org.canaryjudge.server.store.RolloutStore;
import org.canaryjudge.server.store.StoreException;
import org.canaryjudge.server.store.Stores;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code canary-judge mcp}: a Model Context Protocol server for one agent over standard input and
 * output (docs/api.md, "Agents (MCP)"), until the client closes standard input. Standard output
 * carries only the protocol's messages; logs go to standard error.
 */
@Command(name = "mcp",
    description = {"Serves the Model Context Protocol over standard input/output, for an agent (docs/api.md,",
        "\"Agents (MCP)\"): the tools judge, list_rollouts and get_rollout, and the configurations",
        "and fixtures as resources. Runs until standard input closes.",
        "Exit status: 0 when the client closed the session, 2 for an invalid configuration,",
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

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        Map<String, ObjectNode> configurations = Map.of();
        Map<String, LiveConfiguration> live = Map.of();
        RequestReader reader;
        try {
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
            (result, nanos) -> { });
        CountDownLatch closed = new CountDownLatch(1);
        McpSyncServer server = AgentServers.stdio(tools, new AgentResources(configurations, fixtures), null,
            new EndOfInput(System.in, closed), System.out);
        closed.await();
        server.closeGracefully();
        if (rollouts != null) {
            rollouts.close();
        }
        return 0;
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
