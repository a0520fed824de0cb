package org.canaryjudge.server.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * The Model Context Protocol servers of {@code canary-judge mcp} (standard input/output) and
 * {@code POST /mcp} (Streamable HTTP), both built with the official MCP Java SDK from one set of
 * {@link AgentTools} and {@link AgentResources}.
 *
 * <p>Over HTTP the SDK's stateless Streamable HTTP servlet answers each POST with one JSON body, at
 * once, inside the server's own request handler, after the same bearer-token check as
 * {@code POST /judge}; a session is then one request, so the reviewer it is bound to is the one its
 * token names on every request, never one remembered from an earlier request, and the tools it lists
 * ({@code tools/list}) are filtered by that same token.
 */
public final class AgentServers {

    /** The transport context's key for whom a request speaks ({@link AgentTools.Caller}). */
    static final String CALLER = "canary-judge.caller";
    /** The request attribute {@link Http#service} passes the caller in. */
    private static final String CALLER_ATTRIBUTE = "canary-judge.mcp.caller";

    static final String INSTRUCTIONS = "Canary Judge decides whether a canary may advance: call judge with the"
        + " canary's and the baseline's data (or a named configuration that fetches them) at each look of a stage."
        + " promote: advance to the next stage; hold: the evidence is not yet enough either way, keep the stage and"
        + " judge again later; rollback: the canary is worse beyond the configured band, roll back now."
        + " Give every look of one rollout the same rollout.id, so that its history is kept (get_rollout)."
        + " Before a stage, plan_stage tells how long it must last at the canary's traffic to decide.";

    private static final McpJsonMapper MAPPER = new JacksonMcpJsonMapper(new ObjectMapper());

    private AgentServers() {
    }

    /**
     * Starts serving one client over the given streams (the process's standard input and output) until
     * the input ends.
     *
     * @param caller whom the session speaks for: {@link AgentTools.Caller#LOCAL}, or bound to a reviewer
     */
    public static McpSyncServer stdio(AgentTools tools, AgentResources resources, AgentTools.Caller caller, InputStream in,
                                      OutputStream out) {
        var spec = McpServer.sync(new StdioServerTransportProvider(MAPPER, in, out))
            .serverInfo("canary-judge", version()).instructions(INSTRUCTIONS).jsonMapper(MAPPER)
            .jsonSchemaValidator(new OutputSchemaValidator()).validateToolInputs(false)
            .capabilities(McpSchema.ServerCapabilities.builder().tools(false).resources(false, false).build());
        for (AgentTools.AgentTool tool : tools.tools(caller)) {
            spec.tools(new McpServerFeatures.SyncToolSpecification(tool.tool(),
                (exchange, request) -> tools.call(tool, request.arguments(), caller)));
        }
        for (AgentResources.AgentResource resource : resources.resources()) {
            spec.resources(new McpServerFeatures.SyncResourceSpecification(resource.resource(),
                (exchange, request) -> AgentResources.result(resource)));
        }
        return spec.build();
    }

    /** {@code POST /mcp}: the SDK's stateless servlet and its server. */
    public static final class Http {

        private final HttpServletStatelessServerTransport transport;
        private final McpStatelessSyncServer server;

        private Http(HttpServletStatelessServerTransport transport, McpStatelessSyncServer server) {
            this.transport = transport;
            this.server = server;
        }

        /**
         * Answers one MCP message (JSON-RPC) posted to {@code /mcp}; the caller has checked its token.
         *
         * @param caller whom the request's token speaks for
         */
        public void service(HttpServletRequest request, HttpServletResponse response, AgentTools.Caller caller)
            throws ServletException, IOException {
            request.setAttribute(CALLER_ATTRIBUTE, caller);
            transport.service(request, response);
        }

        /** Refuses further messages; those in progress finish. */
        public void close() {
            server.close();
        }
    }

    /**
     * @param maxBodyBytes the largest message accepted, the server's body limit
     * @return {@code POST /mcp}'s handler, its tools filtered per request by the reviewer it is bound to
     */
    public static Http http(AgentTools tools, AgentResources resources, long maxBodyBytes) {
        HttpServletStatelessServerTransport transport = HttpServletStatelessServerTransport.builder().jsonMapper(MAPPER)
            .messageEndpoint("/mcp").maxRequestSize((int) Math.min(Integer.MAX_VALUE, maxBodyBytes))
            .contextExtractor(request -> McpTransportContext.create(Map.of(CALLER, request.getAttribute(CALLER_ATTRIBUTE))))
            .build();
        var spec = McpServer.sync(transport)
            .serverInfo("canary-judge", version()).instructions(INSTRUCTIONS).jsonMapper(MAPPER)
            .jsonSchemaValidator(new OutputSchemaValidator()).validateToolInputs(false)
            .capabilities(McpSchema.ServerCapabilities.builder().tools(false).resources(false, false).build())
            .addToolFilter((context, tool) -> tools.tools().stream()
                .anyMatch(t -> t.tool().name().equals(tool.name()) && t.access().allows(caller(context))));
        for (AgentTools.AgentTool tool : tools.tools()) {
            spec.tools(new McpStatelessServerFeatures.SyncToolSpecification(tool.tool(),
                (context, request) -> tools.call(tool, request.arguments(), caller(context))));
        }
        for (AgentResources.AgentResource resource : resources.resources()) {
            spec.resources(new McpStatelessServerFeatures.SyncResourceSpecification(resource.resource(),
                (context, request) -> AgentResources.result(resource)));
        }
        return new Http(transport, spec.build());
    }

    private static AgentTools.Caller caller(McpTransportContext context) {
        return (AgentTools.Caller) context.get(CALLER);
    }

    private static String version() {
        String version = AgentServers.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }
}
