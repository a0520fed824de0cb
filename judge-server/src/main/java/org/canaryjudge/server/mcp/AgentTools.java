package org.canaryjudge.server.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.canaryjudge.decision.StagePlanner;
import org.canaryjudge.model.InvalidInputException;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.model.StagePlan;
import org.canaryjudge.model.Violation;
import org.canaryjudge.server.json.PlanJson;
import org.canaryjudge.server.review.DecisionRequest;
import org.canaryjudge.server.store.Ledger;
import org.canaryjudge.server.store.RolloutField;
import org.canaryjudge.server.store.RolloutJson;
import org.canaryjudge.server.store.RolloutStore;
import org.canaryjudge.server.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tools an agent calls (docs/api.md, "Agents (MCP)"), the same for standard input/output and for
 * {@code POST /mcp}. Each goes the way its HTTP endpoint goes: {@code judge} through the
 * {@link Ledger} as {@code POST /judge} (so a look with a {@code rollout} is recorded),
 * {@code plan_stage} through the {@link StagePlanner} as {@code POST /plan}, the rollout tools through the {@link RolloutStore} and {@link RolloutJson} as {@code GET /rollouts}. Every
 * result carries the endpoint's JSON as structured content and a plain-language sentence as text;
 * invalid arguments give a tool error listing every problem at its JSON Pointer, as the 400 problem
 * does, and no failure ever shows a stack trace. {@code record_decision} records a person's decision
 * as {@code POST /rollouts/{id}/decisions} does, only in a session bound to a reviewer.
 */
public final class AgentTools {

    /** How many rollouts {@code list_rollouts} gives at most, as {@code GET /rollouts}. */
    static final int MAX_LISTED_ROLLOUTS = 1000;
    private static final String ROLLOUT_ID = "the rollout's id, as the judge requests' rollout.id gave it";
    /** How many rollouts the text of {@code list_rollouts} names; the structured content has them all. */
    static final int NAMED_IN_TEXT = 20;

    private static final Logger LOG = LoggerFactory.getLogger(AgentTools.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Who a session speaks for.
     *
     * @param reviewer the reviewer the session is bound to, or null
     * @param mayJudge whether it may judge: over HTTP as {@code POST /judge} allows, with the machine
     *     token or on a server without one (a reviewer's token identifies a person, not a deployment
     *     pipeline); always over standard input/output, whose client started the process
     */
    public record Caller(String reviewer, boolean mayJudge) {

        /** The client of {@code canary-judge mcp} without a reviewer. */
        public static final Caller LOCAL = new Caller(null, true);
    }

    /** Which sessions get a tool. */
    public enum Access {
        /** Reading rollouts: any session that got in. */
        ANYONE,
        /** Judging, which records looks, and planning: what {@code POST /judge} and {@code POST /plan} allow. */
        JUDGE,
        /** Deciding on a rollout, as a person. */
        REVIEWER;

        /** @return whether the tool is listed and may be called in a session for {@code caller} */
        public boolean allows(Caller caller) {
            return switch (this) {
                case ANYONE -> true;
                case JUDGE -> caller.mayJudge();
                case REVIEWER -> caller.reviewer() != null;
            };
        }
    }

    /**
     * One tool.
     *
     * @param tool its name, description, schemas and annotations as {@code tools/list} gives them
     * @param access the sessions it is listed and callable in
     * @param call the arguments and the session's caller in, the result out
     */
    public record AgentTool(Tool tool, Access access, Call call) {
    }

    /** A tool's work. */
    @FunctionalInterface
    public interface Call {
        CallToolResult apply(Map<String, Object> arguments, Caller caller);
    }

    private final Ledger ledger;
    private final RolloutStore store;
    private final BiConsumer<Ledger.Result, Long> judged;
    private final Clock clock;
    private final PlanJson planJson = new PlanJson();
    private final Semaphore planners;
    private final Duration maxPlanWait;
    private final List<AgentTool> tools;

    /**
     * @param ledger the judging path of {@code POST /judge}
     * @param store where rollouts are remembered, or null when none are ({@code --store none})
     * @param judged told of each judged look and the nanoseconds it took (the HTTP server counts them
     *     in its metrics)
     * @param clock when decisions are made
     * @param planners the turns plans take, shared with {@code POST /plan}: a plan can keep a core busy
     *     for a second or two
     * @param maxPlanWait how long a plan may wait for its turn before the agent is told to call again
     */
    public AgentTools(Ledger ledger, RolloutStore store, BiConsumer<Ledger.Result, Long> judged, Clock clock,
                      Semaphore planners, Duration maxPlanWait) {
        this.ledger = ledger;
        this.store = store;
        this.judged = judged;
        this.clock = clock;
        this.planners = planners;
        this.maxPlanWait = maxPlanWait;
        ToolSchemas schemas = ToolSchemas.load();
        List<AgentTool> all = new ArrayList<>();
        all.add(new AgentTool(Tool.builder().name("judge").title("Judge a canary")
            .description("Judges a canary against its baseline and answers promote, hold or roll back, with every"
                + " metric's evidence; the argument is a POST /judge request (docs/contract.md). With a \"rollout\""
                + " object the look is recorded in the rollout's history. The text is the verdict's plain-language reason.")
            .inputSchema(schemas.component("JudgeRequest")).outputSchema(schemas.component("Judgement"))
            .annotations(new ToolAnnotations("Judge a canary", false, false, false, false, null)).build(),
            Access.JUDGE, (arguments, caller) -> judge(arguments)));
        all.add(new AgentTool(Tool.builder().name("plan_stage").title("Plan a stage")
            .description("How long a stage must last for one metric to decide, as POST /plan: for a rate metric from the"
                + " baseline's error rate and each side's requests a minute, for a continuous one from a baseline sample and"
                + " each side's points a minute, the median minutes until a canary as good as the baseline passes and until"
                + " a regression rolls back, and the time at wider canaries. Use it to choose a stage's length and the"
                + " canary's share before the stage starts. The text is the plan's reason.")
            .inputSchema(schemas.component("PlanRequest")).outputSchema(schemas.component("StagePlan"))
            .annotations(new ToolAnnotations("Plan a stage", true, false, true, false, null)).build(),
            Access.JUDGE, (arguments, caller) -> planStage(arguments)));
        all.add(new AgentTool(Tool.builder().name("list_rollouts").title("List rollouts")
            .description("The rollouts this server remembers, most recently updated first (at most "
                + MAX_LISTED_ROLLOUTS + "), each with its latest verdict, stage and number of looks, as GET /rollouts.")
            .inputSchema(Map.of("type", "object", "properties", Map.of(), "additionalProperties", false))
            .outputSchema(schemas.component("RolloutList"))
            .annotations(new ToolAnnotations("List rollouts", true, false, true, false, null)).build(),
            Access.ANYONE, (arguments, caller) -> listRollouts()));
        all.add(new AgentTool(Tool.builder().name("get_rollout").title("Get a rollout")
            .description("One rollout's stages and every look in order, each look with its verdict, reason and"
                + " metrics, as GET /rollouts/{id}.")
            .inputSchema(schemas.operationArguments("/rollouts/{id}", "get", "id", ROLLOUT_ID, null))
            .outputSchema(schemas.component("RolloutHistory"))
            .annotations(new ToolAnnotations("Get a rollout", true, false, true, false, null)).build(),
            Access.ANYONE, (arguments, caller) -> getRollout(arguments)));
        all.add(new AgentTool(Tool.builder().name("record_decision").title("Record a person's decision")
            .description("Records the decision of the reviewer this session is bound to on a rollout, as POST"
                + " /rollouts/{id}/decisions: it counts for the later looks of the rollout's current stage. rollback"
                + " makes their verdict rollback; promote turns a hold into promote; hold makes it at most hold; a"
                + " verdict the data make rollback stays rollback. Only for a session bound to a reviewer; call it"
                + " when the person has decided, not on the agent's own judgement.")
            .inputSchema(schemas.operationArguments("/rollouts/{id}/decisions", "post", "id", ROLLOUT_ID, "DecisionRequest"))
            .outputSchema(schemas.component("RecordedDecision"))
            .annotations(new ToolAnnotations("Record a person's decision", false, true, false, false, null)).build(),
            Access.REVIEWER, this::recordDecision));
        this.tools = List.copyOf(all);
    }

    /** @return every tool, those for reviewers among them */
    public List<AgentTool> tools() {
        return tools;
    }

    /** @return the tools a session for {@code caller} gets */
    public List<AgentTool> tools(Caller caller) {
        return tools.stream().filter(t -> t.access().allows(caller)).toList();
    }

    /**
     * Calls a tool, turning every failure into a tool error an agent can act on: a store that cannot
     * be reached asks for the call again; anything unforeseen is logged and named by its tool only.
     */
    public CallToolResult call(AgentTool tool, Map<String, Object> arguments, Caller caller) {
        if (!tool.access().allows(caller)) {
            return error(tool.access() == Access.REVIEWER
                ? "the tool " + tool.tool().name() + " is only for a session bound to a reviewer (a reviewer's token)"
                : "the tool " + tool.tool().name() + " needs the server's machine token; a reviewer's token identifies a person");
        }
        try {
            return tool.call().apply(arguments == null ? Map.of() : arguments, caller);
        } catch (StoreException e) {
            LOG.error("rollout store failure in the tool {}", tool.tool().name(), e);
            return error("the rollout store cannot be reached, so this call was not answered; call the tool again");
        } catch (RuntimeException e) {
            LOG.error("unexpected failure in the tool {}", tool.tool().name(), e);
            return error("the tool " + tool.tool().name() + " failed unexpectedly; the failure is in the server's log");
        }
    }

    private CallToolResult judge(Map<String, Object> arguments) {
        long start = System.nanoTime();
        Ledger.Result result;
        try {
            result = ledger.judge(JSON.writeValueAsBytes(arguments));
        } catch (InvalidInputException e) {
            return invalid(e.violations());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        judged.accept(result, System.nanoTime() - start);
        Judgement j = result.judgement();
        String text = j.verdict().name().toLowerCase(Locale.ROOT) + ": " + j.reason()
            + (result.position() == null ? "" : " (rollout " + result.position().id()
                + (result.position().stage() == null ? "" : ", stage " + result.position().stage()) + ")");
        return ok(result.body(), text);
    }

    private CallToolResult planStage(Map<String, Object> arguments) {
        boolean admitted;
        try {
            admitted = planners.tryAcquire(maxPlanWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admitted = false;
        }
        if (!admitted) {
            return error("the server is busy with other plans; call plan_stage again in a few seconds");
        }
        StagePlan plan;
        try {
            plan = StagePlanner.plan(planJson.read(JSON.writeValueAsBytes(arguments)));
        } catch (InvalidInputException e) {
            return invalid(e.violations());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        } finally {
            planners.release();
        }
        return ok(planJson.write(plan), plan.reason());
    }

    private CallToolResult listRollouts() {
        List<RolloutStore.Summary> rollouts = store == null ? List.of() : store.rollouts(MAX_LISTED_ROLLOUTS);
        StringBuilder text = new StringBuilder();
        if (store == null) {
            text.append("this server keeps no rollouts (--store none)");
        } else if (rollouts.isEmpty()) {
            text.append("no rollout is remembered yet: a judge call with a \"rollout\" object starts one");
        } else {
            text.append(rollouts.size()).append(rollouts.size() == 1 ? " rollout" : " rollouts")
                .append(", most recently updated first:");
            for (RolloutStore.Summary s : rollouts.subList(0, Math.min(NAMED_IN_TEXT, rollouts.size()))) {
                text.append("\n- ").append(s.id()).append(": ").append(s.verdict())
                    .append(s.stage() == null ? "" : " in stage " + s.stage())
                    .append(" after ").append(s.looks()).append(s.looks() == 1 ? " look" : " looks")
                    .append(", last at ").append(s.updatedAt());
            }
            if (rollouts.size() > NAMED_IN_TEXT) {
                text.append("\n(and ").append(rollouts.size() - NAMED_IN_TEXT).append(" more in the structured content)");
            }
        }
        return ok(RolloutJson.list(rollouts), text.toString());
    }

    private CallToolResult getRollout(Map<String, Object> arguments) {
        List<Violation> problems = new ArrayList<>();
        String rollout = rolloutId(arguments, problems);
        arguments.keySet().stream().filter(k -> !k.equals("id"))
            .forEach(k -> problems.add(new Violation("/" + pointerToken(k), "is not an argument of get_rollout")));
        if (!problems.isEmpty()) {
            return invalid(problems);
        }
        if (store == null) {
            return error("this server keeps no rollouts (--store none)");
        }
        RolloutStore.History history = RolloutField.ID.matcher(rollout).matches() ? store.rollout(rollout).orElse(null) : null;
        if (history == null) {
            return error("no rollout \"" + clip(rollout) + "\" is remembered; list_rollouts names those that are");
        }
        RolloutStore.RecordedLook last = history.looks().get(history.looks().size() - 1);
        RolloutStore.Stage stage = history.stages().get(history.stages().size() - 1);
        String text = "rollout " + history.id() + ": " + history.looks().size() + (history.looks().size() == 1 ? " look" : " looks")
            + " since " + history.startedAt() + (stage.name() == null ? "" : ", now in stage " + stage.name()
                + " (since " + stage.startedAt() + ", " + stage.looks() + (stage.looks() == 1 ? " look" : " looks") + ")")
            + "; the last look (" + last.at() + ") said " + last.verdict() + ": " + last.reason();
        return ok(RolloutJson.history(history), text);
    }

    private CallToolResult recordDecision(Map<String, Object> arguments, Caller caller) {
        List<Violation> problems = new ArrayList<>();
        String rollout = rolloutId(arguments, problems);
        ObjectNode body = JSON.valueToTree(arguments);
        body.remove("id");
        DecisionRequest request = null;
        try {
            request = DecisionRequest.read(body);
        } catch (InvalidInputException e) {
            problems.addAll(e.violations());
        }
        if (!problems.isEmpty()) {
            return invalid(problems);
        }
        RolloutStore.Decision decision = store == null || !RolloutField.ID.matcher(rollout).matches() ? null
            : store.decide(rollout, request.decision(), caller.reviewer(), request.comment(), clock.instant()).orElse(null);
        if (decision == null) {
            return error(store == null ? "this server keeps no rollouts (--store none), so no decision can be recorded"
                : "no rollout \"" + clip(rollout) + "\" is remembered; list_rollouts names those that are");
        }
        LOG.info("{} decided {} on rollout {} in stage {} (MCP)", decision.by(), decision.decision(), rollout, decision.stage());
        String text = "recorded: " + decision.by() + " decided " + decision.decision() + " on rollout " + rollout
            + (decision.stage() == null ? "" : " in stage " + decision.stage()) + " at " + decision.at()
            + "; it counts for the stage's later looks" + (decision.comment() == null ? "" : " (\"" + decision.comment() + "\")");
        return ok(RolloutJson.decision(decision).put("rollout", rollout).toString(), text);
    }

    /** @return the {@code id} argument, or null with its problem noted */
    private static String rolloutId(Map<String, Object> arguments, List<Violation> problems) {
        Object id = arguments.get("id");
        if (id == null) {
            problems.add(new Violation("/id", "is required: the rollout's id"));
        } else if (!(id instanceof String)) {
            problems.add(new Violation("/id", "must be a string"));
        }
        return id instanceof String s ? s : null;
    }

    /** A result: the endpoint's JSON body as structured content, and the sentence as text. */
    static CallToolResult ok(String json, String text) {
        try {
            return CallToolResult.builder().structuredContent(JSON.readValue(json, Map.class))
                .addContent(new McpSchema.TextContent(text)).isError(false).build();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tool error listing every problem at its JSON Pointer into the arguments. */
    static CallToolResult invalid(List<Violation> violations) {
        StringBuilder text = new StringBuilder("the arguments are invalid (").append(violations.size())
            .append(violations.size() == 1 ? " problem" : " problems").append("); each at its JSON Pointer:");
        for (Violation v : violations) {
            text.append("\n").append(v.path().isEmpty() ? "(the arguments)" : v.path()).append(": ").append(v.message());
        }
        return error(text.toString());
    }

    static CallToolResult error(String text) {
        return CallToolResult.builder().addContent(new McpSchema.TextContent(text)).isError(true).build();
    }

    /** @return a JSON Pointer reference token (RFC 6901): {@code ~} and {@code /} escaped */
    static String pointerToken(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static String clip(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
