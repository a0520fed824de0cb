package org.canaryjudge.server.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.HttpResponseException;
import io.javalin.router.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.function.Function;
import org.canaryjudge.decision.StagePlanner;
import org.canaryjudge.model.InvalidInputException;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.model.Violation;
import org.canaryjudge.server.config.ServerConfig;
import org.canaryjudge.server.flagger.FlaggerWebhook;
import org.canaryjudge.server.judging.JsonJudge;
import org.canaryjudge.server.json.JudgementWriter;
import org.canaryjudge.server.json.PlanJson;
import org.canaryjudge.server.json.RequestReader;
import org.canaryjudge.server.source.LiveData;
import org.canaryjudge.server.kayenta.KayentaAnswer;
import org.canaryjudge.server.kayenta.KayentaJudge;
import org.canaryjudge.server.mcp.AgentResources;
import org.canaryjudge.server.mcp.AgentServers;
import org.canaryjudge.server.mcp.AgentTools;
import org.canaryjudge.server.review.DecisionRequest;
import org.canaryjudge.server.review.Reviewers;
import org.canaryjudge.server.store.Ledger;
import org.canaryjudge.server.store.RolloutField;
import org.canaryjudge.server.store.RolloutJson;
import org.canaryjudge.server.store.RolloutStore;
import org.canaryjudge.server.store.StoreException;
import org.canaryjudge.server.ui.ReviewPages;
import org.canaryjudge.server.ui.Sessions;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP service: {@code POST /judge}, {@code POST /kayenta/judge}, {@code GET /livez},
 * {@code /readyz}, {@code /metrics} and {@code /openapi.json} (CONTRACT.md; docs/api.md). The
 * handlers are thin: read the body, call {@link JsonJudge} (or {@link KayentaJudge} for Kayenta's
 * remote-judge shape), write the answer. Both judging endpoints share the token, media-type and size
 * checks, the problem bodies and the server's metrics. Every error is a problem body
 * ({@link Problem}); no stack trace ever leaves the server. The review page under {@code /ui/},
 * which answers in HTML, is {@link ReviewRoutes}'.
 */
public final class JudgeServer implements AutoCloseable {

    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    static final String FLAGGER_GATE = "/flagger/gate/{config}";
    static final String FLAGGER_ROLLBACK = "/flagger/rollback/{config}";
    /** A rollout's id may hold slashes, sent raw or percent-encoded. */
    static final String ROLLOUT = "/rollouts/{id}";
    static final String DECISIONS = "/rollouts/{id}/decisions";
    static final String FLAGGER_CONFIRM = "/flagger/confirm";
    /** How many rollouts GET /rollouts lists at most, most recently updated first. */
    static final int MAX_LISTED_ROLLOUTS = 1000;
    /** The review page's rollout, its id as in {@link #ROLLOUT}. */
    static final String UI_ROLLOUT = "/ui/rollouts/{id}";
    static final String UI_DECISIONS = "/ui/rollouts/{id}/decisions";
    static final String UI_SIGN_IN = "/ui/sign-in";
    static final String UI_SIGN_OUT = "/ui/sign-out";
    /** How long a sign-in to the review page lasts. */
    static final Duration SIGN_IN_LIFETIME = Duration.ofHours(12);
    /** The endpoints and the methods each allows (HEAD is answered wherever GET is). */
    static final Map<String, String> ENDPOINTS = Map.ofEntries(
        Map.entry("/judge", "POST"),
        Map.entry("/plan", "POST"),
        Map.entry(FLAGGER_GATE, "POST"),
        Map.entry(FLAGGER_ROLLBACK, "POST"),
        Map.entry("/kayenta/judge", "POST"),
        Map.entry("/livez", "GET, HEAD"),
        Map.entry("/readyz", "GET, HEAD"),
        Map.entry("/metrics", "GET, HEAD"),
        Map.entry("/openapi.json", "GET, HEAD"),
        Map.entry("/rollouts", "GET, HEAD"),
        Map.entry(ROLLOUT, "GET, HEAD"),
        Map.entry(DECISIONS, "POST"),
        Map.entry(FLAGGER_CONFIRM, "POST"),
        Map.entry("/", "GET, HEAD"),
        Map.entry("/ui", "GET, HEAD"),
        Map.entry(UI_ROLLOUT, "GET, HEAD"),
        Map.entry(UI_DECISIONS, "POST"),
        Map.entry(UI_SIGN_IN, "GET, HEAD, POST"),
        Map.entry(UI_SIGN_OUT, "POST"),
        Map.entry("/mcp", "POST"));

    /** The endpoints as the 404 problem lists them: "POST /judge, GET /livez, …", in the order of their paths. */
    static final String ENDPOINT_LIST = ENDPOINTS.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> e.getValue().replace(", HEAD", "").replace(", ", "/") + " " + e.getKey()).collect(Collectors.joining(", "));

    private static final Logger LOG = LoggerFactory.getLogger(JudgeServer.class);

    private static final String RID = "canary-judge.rid";
    private static final String VERDICT = "canary-judge.verdict";
    private static final String PROBLEM = "canary-judge.problem";
    private static final String JSON = "application/json";

    private final ServerConfig config;
    private final JsonJudge judge;
    private final RolloutStore store;
    private final Ledger ledger;
    private final ReviewRoutes review;
    private final JudgementWriter writer = new JudgementWriter(false);
    private final KayentaJudge kayenta = new KayentaJudge();
    private final PlanJson planJson = new PlanJson();
    private final ServerMetrics metrics = new ServerMetrics();
    private final Consumer<String> accessLog;
    private final Access access;
    private final byte[] openApi;
    private final String readyBody;
    /** The fixtures agents may read as resources: the fixtures/ folder of the working directory, when there is one. */
    static final java.nio.file.Path AGENT_FIXTURES = java.nio.file.Path.of("fixtures");
    /** Below this upload rate a request's body is cut off (a 12 MiB body at this rate takes 3 hours). */
    static final long MIN_UPLOAD_BYTES_PER_SECOND = 1024;
    /**
     * How long a connection may stay silent, while its headers or body arrive or between requests:
     * longer than a request may wait for memory, during which its body is not read.
     */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(40);
    /** Flagger's payloads are a few KiB; the cap keeps its unauthenticated-until-read paths cheap. */
    static final long FLAGGER_MAX_BODY_BYTES = 64 << 10;
    /** Said of a body that broke off or came too slowly; the cause's own words would be a library's. */
    static final String UNREADABLE_BODY = "the request body could not be read: it broke off, or arrived slower than "
        + MIN_UPLOAD_BYTES_PER_SECOND + " bytes a second";
    /** How long a request with a large body may wait for memory before it is told to retry. */
    static final Duration MAX_ADMISSION_WAIT = Duration.ofSeconds(30);

    /**
     * A plan can keep a core busy for a second or two; at most one fewer than the cores run at once,
     * so that plans, however many arrive, leave a core to judging.
     */
    private final Semaphore planners = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
    /** How long a plan may wait for a planner before it is told to retry. */
    static final Duration MAX_PLAN_WAIT = Duration.ofSeconds(2);

    private final Javalin app;
    private final AgentServers.Http agents;
    /** Counts the requests in flight, which a stop lets finish. */
    private final GracefulHandler graceful = new GracefulHandler();
    private volatile boolean ready;

    private JudgeServer(ServerConfig config, Consumer<String> accessLog, RolloutStore store, Reviewers reviewers) {
        this.config = config;
        this.judge = new JsonJudge(new RequestReader(config.configurations()), config.liveConfigurations().isEmpty() ? null
            : new LiveData(config.liveConfigurations(), Clock.systemUTC(), metrics::sourceQuery));
        this.store = store;
        this.access = new Access(config.token(), reviewers);
        this.ledger = new Ledger(judge, writer, store, Clock.systemUTC());
        try {
            this.review = new ReviewRoutes(store, reviewers, ReviewPages.fromClassPath(Clock.systemUTC()),
                new Sessions(Clock.systemUTC(), SIGN_IN_LIFETIME), access::mayRead, this::recordDecision);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        metrics.rollouts(store);
        this.accessLog = accessLog;
        this.openApi = openApiDocument();
        this.readyBody = readyBody(config);
        this.agents = AgentServers.http(new AgentTools(ledger, store, (result, nanos) -> {
            metrics.look(result);
            metrics.judged(result.judgement(), nanos);
        }, Clock.systemUTC(), planners, MAX_PLAN_WAIT), new AgentResources(config.configurations(), AGENT_FIXTURES), config.maxBodyBytes());
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.startup.startupWatcherEnabled = false;
            cfg.http.prefer405over404 = true;
            cfg.http.maxRequestSize = config.maxBodyBytes();
            cfg.http.compressionStrategy = CompressionStrategy.NONE;
            cfg.jetty.host = config.host();
            cfg.jetty.port = config.port();
            cfg.jetty.modifyServer(server -> {
                // Outermost last: graceful stop, then admission by memory, then a minimum upload rate, then
                // the whole body read without holding a thread, so that slow or large clients cannot
                // starve the others of threads or heap.
                server.insertHandler(new EagerContentHandler(
                    new EagerContentHandler.RetainedContentLoaderFactory(config.maxBodyBytes() + 1, -1, false)));
                server.insertHandler(new StatisticsHandler.MinimumDataRateHandler(MIN_UPLOAD_BYTES_PER_SECOND, 0));
                server.insertHandler(new MemoryBudgetHandler(memoryBudget(), config.maxBodyBytes(),
                    Math.min(config.maxBodyBytes(), FLAGGER_MAX_BODY_BYTES), MAX_ADMISSION_WAIT));
                // In-flight requests finish on stop; new ones are refused while the server drains.
                server.insertHandler(graceful);
                server.setStopTimeout(config.shutdownTimeout().toMillis());
                server.setErrorHandler(new ProblemErrorHandler());
            });
            cfg.jetty.modifyHttpConfiguration(http -> {
                http.setSendServerVersion(false);
                http.setSendXPoweredBy(false);
                http.setIdleTimeout(IDLE_TIMEOUT.toMillis());
            });
            cfg.router.javaLangErrorHandler((res, error) -> {
                LOG.error("fatal error while answering a request", error);
                res.setStatus(500);
                res.setContentType(Problem.CONTENT_TYPE);
                try {
                    String rid = String.valueOf(res.getHeader(REQUEST_ID_HEADER));
                    res.getOutputStream().write(Problem.internalError(rid).toJson().getBytes(StandardCharsets.UTF_8));
                } catch (IOException | RuntimeException e) {
                    LOG.error("could not send the problem for a fatal error", e);
                }
            });

            cfg.routes.before(this::before);
            cfg.routes.post("/judge", this::judge);
            cfg.routes.post("/plan", this::plan);
            cfg.routes.post(FLAGGER_GATE, ctx -> flagger(ctx, FlaggerWebhook.Hook.GATE));
            cfg.routes.post(FLAGGER_ROLLBACK, ctx -> flagger(ctx, FlaggerWebhook.Hook.ROLLBACK));
            cfg.routes.post("/kayenta/judge", this::kayentaJudge);
            cfg.routes.get("/livez", ctx -> ctx.contentType(JSON).result("{\"status\":\"alive\"}"));
            cfg.routes.get("/readyz", this::readyz);
            cfg.routes.get("/metrics", this::metrics);
            cfg.routes.get("/openapi.json", ctx -> ctx.contentType(JSON).result(openApi));
            cfg.routes.get("/rollouts", this::rollouts);
            cfg.routes.get("/rollouts/<id>", this::rollout);
            cfg.routes.get("/", ctx -> ctx.redirect("/ui/", HttpStatus.FOUND));
            cfg.routes.get("/ui", review::list);
            cfg.routes.get(UI_SIGN_IN, review::signInForm);
            cfg.routes.post(UI_SIGN_IN, review::signIn);
            cfg.routes.post(UI_SIGN_OUT, review::signOut);
            cfg.routes.post("/ui/rollouts/<id>/decisions", review::decide);
            cfg.routes.get("/ui/rollouts/<id>", review::rollout);
            cfg.routes.post("/rollouts/<id>/decisions", this::decide);
            cfg.routes.post(FLAGGER_CONFIRM, this::flaggerConfirm);
            cfg.routes.post("/mcp", this::mcp);

            cfg.routes.exception(ProblemException.class, (e, ctx) -> problem(ctx, e.problem(), e.headers()));
            cfg.routes.exception(HttpResponseException.class, this::httpError);
            cfg.routes.exception(StoreException.class, this::storeFailure);
            cfg.routes.exception(Exception.class, this::unexpected);
            cfg.requestLogger.http(this::log);
        });
    }

    /**
     * @return the heap that requests in flight may take together: 60 % of the most the JVM may use,
     *     the rest left to the server itself and to garbage collection's headroom
     */
    static long memoryBudget() {
        return (long) (0.6 * Runtime.getRuntime().maxMemory());
    }

    /**
     * Starts a server and returns once it accepts requests; the access log goes to standard output.
     *
     * @throws org.canaryjudge.model.InvalidInputException when a named configuration is invalid
     */
    public static JudgeServer start(ServerConfig config) {
        return start(config, System.out::println);
    }

    /**
     * @param accessLog receives one access-log line per request when the configuration asks for an
     *     access log
     */
    public static JudgeServer start(ServerConfig config, Consumer<String> accessLog) {
        return start(config, accessLog, null);
    }

    /**
     * @param store where the looks of rollouts are recorded (the caller closes it after
     *     {@link #stop()}), or null to keep nothing
     */
    public static JudgeServer start(ServerConfig config, Consumer<String> accessLog, RolloutStore store) {
        return start(config, accessLog, store, Reviewers.none());
    }

    /**
     * @param reviewers the people who may decide on rollouts ({@code --reviewers})
     * @throws IllegalArgumentException when the machine token is also a reviewer's
     */
    public static JudgeServer start(ServerConfig config, Consumer<String> accessLog, RolloutStore store, Reviewers reviewers) {
        if (config.token() != null && reviewers.holds(config.token())) {
            throw new IllegalArgumentException("the machine token is also a reviewer's token; a reviewer token must identify one person");
        }
        JudgeServer server = new JudgeServer(config, config.accessLog() ? accessLog : null, store, reviewers);
        server.app.start();
        server.ready = true;
        LOG.info("serving on {} ({} configuration(s){}; bearer token {}; body limit {} bytes)", server.uri(),
            config.configurations().size(), config.configurations().isEmpty() ? "" : ": " + String.join(", ", config.configurations().keySet()),
            config.token() == null ? "not required" : "required on POST /judge and /kayenta/judge", config.maxBodyBytes());
        return server;
    }

    /** @return the port the server listens on (the one picked when configured with port 0) */
    public int port() {
        return app.port();
    }

    /** @return the server's base URL, such as {@code http://127.0.0.1:8080} */
    public URI uri() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return URI.create("http://" + host + ":" + port());
    }

    /**
     * Stops gracefully: {@code /readyz} turns 503, new connections are refused, and requests in flight
     * get up to the configured shutdown timeout to finish.
     */
    public void stop() {
        stop(Duration.ZERO);
    }

    /**
     * Stops gracefully after a drain: {@code /readyz} answers 503 at once, while the server goes on
     * accepting and answering requests for {@code drain}, so that a load balancer polling readiness
     * stops sending traffic before connections are refused; then as {@link #stop()}.
     */
    public void stop(Duration drain) {
        ready = false;
        if (!drain.isZero()) {
            LOG.info("draining: /readyz answers 503, requests are still served for {} s", drain.toSeconds());
            try {
                Thread.sleep(drain.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("stopping: {} request(s) in flight get up to {} s to finish", requestsInFlight(), config.shutdownTimeout().toSeconds());
        try {
            app.stop();
        } catch (RuntimeException e) {
            if (!(e.getCause() instanceof TimeoutException)) {
                throw e;
            }
            // The shutdown timeout is a promise to clients, not a failure of the stop: Jetty has stopped,
            // cutting off whatever was still open.
            LOG.warn("stopped after {} s with requests still open; they were cut off", config.shutdownTimeout().toSeconds());
            return;
        } finally {
            agents.close();
        }
        LOG.info("stopped");
    }

    @Override
    public void close() {
        stop();
    }

    /** @return how many requests have arrived and not yet been answered, their bodies perhaps still coming */
    int requestsInFlight() {
        return (int) graceful.getCurrentRequestCount();
    }

    // --- handlers -------------------------------------------------------------------------------

    private void before(Context ctx) {
        String rid = RequestIds.of(ctx.header(REQUEST_ID_HEADER));
        ctx.attribute(RID, rid);
        ctx.header(REQUEST_ID_HEADER, rid);
    }

    /**
     * @return the endpoint a request reached, as its path template ({@code /rollouts/{id}}), so that
     *     path parameters stay out of the metrics' labels: the route Javalin matched, else (a method
     *     the path does not answer) the path when it has no parameters, else null
     */
    private static String endpoint(Context ctx) {
        Endpoint matched = ctx.endpoints().lastHttpEndpoint();
        if (matched != null) {
            return matched.path.replace("<", "{").replace(">", "}");
        }
        String path = stripSlash(ctx.path());
        return ENDPOINTS.containsKey(path) ? path : null;
    }

    private void judge(Context ctx) {
        answer(ctx, body -> {
            Ledger.Result result = ledger.judge(body);
            metrics.look(result);
            return new Answer(result.judgement(), 200, JSON, result.body());
        });
    }

    /** The stage planner: no judgement, so nothing for the verdict counters; bad input is a 400 like /judge's. */
    private void plan(Context ctx) {
        access.machine(ctx);
        requireJson(ctx);
        byte[] body = readBody(ctx, config.maxBodyBytes());
        boolean admitted;
        try {
            admitted = planners.tryAcquire(MAX_PLAN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admitted = false;
        }
        if (!admitted) {
            throw new ProblemException(Problem.unavailable("the server is busy with other plans; send this one again in a few"
                + " seconds"), Map.of("Retry-After", "5"));
        }
        String plan;
        try {
            plan = planJson.write(StagePlanner.plan(planJson.read(body)));
        } catch (InvalidInputException e) {
            throw new ProblemException(Problem.invalidRequest(e.violations()));
        } finally {
            planners.release();
        }
        ctx.contentType(JSON).result(plan);
    }

    private void rollouts(Context ctx) {
        access.reader(ctx);
        ctx.contentType(JSON).result(RolloutJson.list(store == null ? List.of() : store.rollouts(MAX_LISTED_ROLLOUTS)));
    }

    private void rollout(Context ctx) {
        access.reader(ctx);
        String id = ctx.pathParam("id");
        RolloutStore.History history = store == null || !RolloutField.ID.matcher(id).matches() ? null
            : store.rollout(id).orElse(null);
        if (history == null) {
            throw noSuchRollout(id);
        }
        ctx.contentType(JSON).result(RolloutJson.history(history));
    }

    /**
     * Agents (MCP over Streamable HTTP), then the SDK's servlet answers: a reviewer's token binds the
     * request to that reviewer (record_decision; judging only where POST /judge needs no token), any
     * other request needs the machine token as POST /judge does.
     */
    private void mcp(Context ctx) throws Exception {
        String reviewer = access.reviewerOf(ctx).orElse(null);
        if (reviewer == null) {
            access.machine(ctx);
        }
        agents.service(ctx.req(), ctx.res(), new AgentTools.Caller(reviewer, reviewer == null || !access.hasToken()));
    }

    private ProblemException noSuchRollout(String id) {
        return new ProblemException(Problem.noSuchRollout(store == null ? "this server keeps no rollouts (--store none)"
            : "no rollout \"" + clip(id) + "\" is remembered"));
    }

    /** {@code POST /rollouts/{id}/decisions}: a reviewer's decision, 201 once it is in the store. */
    private void decide(Context ctx) {
        String by = access.reviewer(ctx);
        requireJson(ctx);
        byte[] body = readBody(ctx, Math.min(config.maxBodyBytes(), FLAGGER_MAX_BODY_BYTES));
        DecisionRequest request;
        try {
            request = DecisionRequest.read(judge.parse(body));
        } catch (InvalidInputException e) {
            throw new ProblemException(Problem.invalidRequest(e.violations()));
        }
        String id = ctx.pathParam("id");
        RolloutStore.Decision decision = recordDecision(id, request, by);
        ctx.status(201).contentType(JSON).result(RolloutJson.decision(decision).put("rollout", id).toString());
    }

    /**
     * Records a reviewer's decision, for the API and the review page's form alike.
     *
     * @throws ProblemException 404 when the rollout is not remembered
     */
    private RolloutStore.Decision recordDecision(String id, DecisionRequest request, String by) {
        RolloutStore.Decision decision = store == null || !RolloutField.ID.matcher(id).matches() ? null
            : store.decide(id, request.decision(), by, request.comment(), Instant.now()).orElse(null);
        if (decision == null) {
            throw noSuchRollout(id);
        }
        LOG.info("{} decided {} on rollout {} in stage {}", by, decision.decision(), id, decision.stage());
        return decision;
    }

    /**
     * Flagger's {@code confirm-promotion} gate: 200 once a person has decided {@code promote} in the
     * current stage of the rollout the payload names and the last look is not a rollback, else 403;
     * the body says which, as Flagger shows it in its events.
     */
    private void flaggerConfirm(Context ctx) {
        ObjectNode payload = flaggerPayload(ctx);
        String id = FlaggerWebhook.rolloutId(payload);
        if (id == null) {
            throw new ProblemException(Problem.invalidRequest(List.of(new Violation("/checksum",
                "is required, with name and namespace: they name the rollout ({namespace}/{name}/{checksum})"))));
        }
        RolloutStore.Standing standing = store == null ? null : store.standing(id).orElse(null);
        RolloutStore.Decision d = standing == null ? null : standing.decision();
        String text;
        int status = 403;
        if (standing == null) {
            text = "waiting: the rollout " + id + " has no looks yet" + (store == null ? " (this server keeps no rollouts)" : "");
        } else if (d == null) {
            text = "waiting for a person: nobody has decided on " + id + " in stage " + standing.stage() + " (last verdict "
                + standing.verdict() + "); a reviewer approves at /ui/rollouts/" + id;
        } else if (!d.decision().equals("promote")) {
            text = d.by() + " decided " + d.decision() + " at " + d.at() + (d.comment() == null ? "" : " (\"" + d.comment() + "\")");
        } else if ("rollback".equals(standing.verdict())) {
            text = d.by() + " approved at " + d.at() + ", but the last look is a rollback, which no decision can approve past";
        } else {
            status = 200;
            text = "approved by " + d.by() + " at " + d.at() + (d.comment() == null ? "" : " (\"" + d.comment() + "\")");
        }
        ctx.status(status).contentType("text/plain; charset=utf-8").result(text);
    }

    private void storeFailure(StoreException e, Context ctx) {
        LOG.error("rollout store failure (request id {})", String.valueOf(ctx.attribute(RID)), e);
        problem(ctx, Problem.unavailable("the rollout store cannot be reached, so this request was not answered;"
            + " send it again (request id " + ctx.attribute(RID) + ")"), Map.of("Retry-After", "5"));
    }

    private void kayentaJudge(Context ctx) {
        answer(ctx, body -> {
            KayentaAnswer answer = kayenta.judge(body);
            return new Answer(answer.judgement(), 200, JSON, answer.json());
        });
    }

    /**
     * What a judging endpoint answers.
     *
     * @param judgement judge-core's judgement, counted in the server's metrics
     * @param status the HTTP status
     * @param contentType the response's media type
     * @param body the response body
     */
    private record Answer(Judgement judgement, int status, String contentType, String body) {
    }

    /**
     * The path every judging endpoint takes: token (401), media type (415), size (413), then the
     * body (400 with every violation), then 200 with the answer, counted in the server's metrics.
     *
     * @param judging the body in, the judgement and the response body out
     */
    private void answer(Context ctx, Function<byte[], Answer> judging) {
        access.machine(ctx);
        requireJson(ctx);
        byte[] body = readBody(ctx, config.maxBodyBytes());
        long start = System.nanoTime();
        Answer answer;
        try {
            answer = judging.apply(body);
        } catch (InvalidInputException e) {
            throw new ProblemException(Problem.invalidRequest(e.violations()));
        }
        respond(ctx, answer, start);
    }

    /** Counts the judgement, notes its verdict for the access log, and sends the answer. */
    private void respond(Context ctx, Answer answer, long start) {
        metrics.judged(answer.judgement(), System.nanoTime() - start);
        ctx.attribute(VERDICT, answer.judgement().verdict().name().toLowerCase(Locale.ROOT));
        ctx.status(answer.status()).contentType(answer.contentType()).result(answer.body());
    }

    /**
     * Flagger's webhooks: the payload names the canary, the path the configuration (which fetches its
     * data). Flagger cannot send headers, so with a token configured the payload may carry it as
     * {@code metadata.token} instead of the {@code Authorization} header.
     */
    private void flagger(Context ctx, FlaggerWebhook.Hook hook) {
        ObjectNode payload = flaggerPayload(ctx);
        String name = ctx.pathParam("config");
        if (!config.liveConfigurations().containsKey(name)) {
            throw new ProblemException(Problem.notFound("there is no configuration \"" + clip(name) + "\" with a data source;"
                + " Flagger's webhooks need one (" + (config.liveConfigurations().isEmpty() ? "none is configured"
                : "configured: " + String.join(", ", config.liveConfigurations().keySet())) + ")"));
        }
        long start = System.nanoTime();
        Judgement judgement;
        try {
            Ledger.Result result = ledger.judge(FlaggerWebhook.request(name, payload));
            metrics.look(result);
            judgement = result.judgement();
        } catch (InvalidInputException e) {
            throw new ProblemException(Problem.invalidRequest(FlaggerWebhook.inPayload(e.violations())));
        }
        respond(ctx, new Answer(judgement, hook.status(judgement), "text/plain; charset=utf-8", FlaggerWebhook.body(judgement)), start);
    }

    /**
     * Flagger's payload, its token checked: Flagger cannot send headers, so with a token configured
     * the payload may carry it as {@code metadata.token} instead of the {@code Authorization} header.
     */
    private ObjectNode flaggerPayload(Context ctx) {
        boolean inPayload = access.tokenInPayload(ctx);
        if (!inPayload) {
            access.machine(ctx);
        }
        requireJson(ctx);
        byte[] body = readBody(ctx, Math.min(config.maxBodyBytes(), FLAGGER_MAX_BODY_BYTES));
        ObjectNode payload;
        try {
            payload = judge.parse(body);
        } catch (InvalidInputException e) {
            if (inPayload) {
                throw Access.unauthorizedPayload("the webhook's payload is not JSON, so it carries no metadata.token");
            }
            throw new ProblemException(Problem.invalidRequest(e.violations()));
        }
        if (inPayload) {
            access.payloadToken(payload);
        }
        return payload;
    }

    private void readyz(Context ctx) {
        if (!ready) {
            throw new ProblemException(Problem.unavailable("the server is shutting down"));
        }
        ctx.contentType(JSON).result(readyBody);
    }

    private void metrics(Context ctx) {
        ctx.contentType(metrics.contentType()).result(metrics.scrape());
    }

    // --- checks of the judging endpoints ---------------------------------------------------------

    /** 415 unless the body is declared {@code application/json} (UTF-8, not content-encoded). */
    private static void requireJson(Context ctx) {
        String type = ctx.header("Content-Type");
        if (type == null || type.isBlank()) {
            throw new ProblemException(Problem.unsupportedMediaType("the request has no Content-Type; send \"Content-Type: application/json\""));
        }
        String[] parts = type.split(";");
        if (!parts[0].strip().equalsIgnoreCase(JSON)) {
            throw new ProblemException(Problem.unsupportedMediaType("the Content-Type is \"" + clip(type)
                + "\"; send \"Content-Type: application/json\""));
        }
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].split("=", 2);
            if (param[0].strip().equalsIgnoreCase("charset")) {
                String charset = param.length < 2 ? "" : param[1].strip().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
                    throw new ProblemException(Problem.unsupportedMediaType("the charset is \"" + clip(charset)
                        + "\"; JSON must be UTF-8"));
                }
            }
        }
        String encoding = ctx.header("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.strip().equalsIgnoreCase("identity")) {
            throw new ProblemException(Problem.unsupportedMediaType("the Content-Encoding \"" + clip(encoding)
                + "\" is not supported; send the JSON uncompressed"));
        }
    }

    /**
     * 415 for a body in UTF-16 or UTF-32, which JSON parsers would otherwise detect and read: JSON
     * between systems is UTF-8 (RFC 8259 §8.1). JSON text begins with an ASCII character, so in
     * those encodings a zero byte or a byte-order mark is among its first four bytes.
     */
    private static void requireUtf8(byte[] body) {
        int n = Math.min(body.length, 4);
        boolean bom = n >= 2 && ((body[0] & 0xff) == 0xfe && (body[1] & 0xff) == 0xff
            || (body[0] & 0xff) == 0xff && (body[1] & 0xff) == 0xfe);
        boolean zero = false;
        for (int i = 0; i < n; i++) {
            zero |= body[i] == 0;
        }
        if (bom || zero) {
            throw new ProblemException(Problem.unsupportedMediaType("the body is UTF-16 or UTF-32; JSON must be UTF-8"));
        }
    }

    /**
     * Reads the body, refusing (413) one larger than the limit before reading it when it declares its
     * length, and as soon as it passes the limit when it is chunked.
     */
    private byte[] readBody(Context ctx, long limit) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw new ProblemException(Problem.bodyTooLarge(limit), Map.of("Connection", "close"));
        }
        try {
            InputStream in = ctx.req().getInputStream();
            byte[] body = in.readNBytes((int) (declared >= 0 ? declared : limit + 1));
            if (body.length > limit) {
                throw new ProblemException(Problem.bodyTooLarge(limit), Map.of("Connection", "close"));
            }
            requireUtf8(body);
            return body;
        } catch (IOException e) {
            throw new ProblemException(Problem.invalidRequest(List.of(new Violation("", UNREADABLE_BODY))),
                Map.of("Connection", "close"));
        } catch (RuntimeException e) {
            if (e instanceof HttpException h) {
                throw new ProblemException(h.getCode() == 413 ? Problem.bodyTooLarge(limit)
                    : Problem.invalidRequest(List.of(new Violation("", UNREADABLE_BODY))), Map.of("Connection", "close"));
            }
            throw e;
        }
    }

    // --- errors and logging ---------------------------------------------------------------------

    private void httpError(HttpResponseException e, Context ctx) {
        String path = clip(ctx.path());
        String method = ctx.method().name();
        switch (e.getStatus()) {
            case 404 -> problem(ctx, Problem.notFound("there is no endpoint " + path
                + "; the endpoints are " + ENDPOINT_LIST), Map.of());
            case 405 -> {
                // Javalin names the methods the path answers; it answers HEAD wherever it answers GET.
                String methods = e.getDetails().getOrDefault("availableMethods", "GET");
                String allowed = methods.contains("GET") && !methods.contains("HEAD") ? methods.replace("GET", "GET, HEAD") : methods;
                problem(ctx, Problem.methodNotAllowed(path + " does not answer " + clip(method) + "; it answers " + allowed),
                    Map.of("Allow", allowed));
            }
            case 413 -> problem(ctx, Problem.bodyTooLarge(config.maxBodyBytes()), Map.of());
            default -> problem(ctx, Problem.http(e.getStatus(), e.getMessage()), Map.of());
        }
    }

    private void unexpected(Exception e, Context ctx) {
        String rid = String.valueOf(ctx.attribute(RID));
        LOG.error("unexpected failure answering {} {} (request id {})", ctx.method().name(), clip(ctx.path()), rid, e);
        problem(ctx, Problem.internalError(rid), Map.of());
    }

    private static void problem(Context ctx, Problem problem, Map<String, String> headers) {
        headers.forEach(ctx::header);
        ctx.attribute(PROBLEM, problem.slug());
        ctx.status(problem.status()).contentType(Problem.CONTENT_TYPE).result(problem.toJson());
    }

    private void log(Context ctx, Float ms) {
        String endpoint = endpoint(ctx);
        String method = ctx.method().name();
        int status = ctx.statusCode();
        metrics.request(endpoint == null ? "unmatched" : endpoint, method, status);
        if (accessLog != null) {
            String rid = ctx.attribute(RID);
            accessLog.accept(AccessLog.line(Instant.now().truncatedTo(ChronoUnit.MILLIS), rid, method, ctx.path(), status, ms == null ? 0 : ms,
                ctx.attribute(VERDICT), ctx.attribute(PROBLEM)));
        }
    }

    private static String readyBody(ServerConfig config) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("status", "ready");
        config.configurations().keySet().forEach(body.putArray("configs")::add);
        return body.toString();
    }

    private static String stripSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static String clip(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    private static byte[] openApiDocument() {
        try (InputStream in = JudgeServer.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
