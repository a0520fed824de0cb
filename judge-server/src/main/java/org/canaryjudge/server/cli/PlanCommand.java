package org.canaryjudge.server.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.canaryjudge.decision.StagePlanner;
import org.canaryjudge.model.InvalidInputException;
import org.canaryjudge.model.StagePlan;
import org.canaryjudge.server.json.PlanJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code canary-judge plan [FILE]}: a {@code POST /plan} request in, the planner's reason (or its JSON) out. */
@Command(name = "plan",
    description = {"Plans a stage: how long until a healthy canary passes a metric, and until a",
        "regression rolls back, at the traffic given (as POST /plan, docs/api.md).",
        "Prints the reason, or the response JSON with --json.",
        "Exit status: 0 planned, 2 invalid input."},
    mixinStandardHelpOptions = true)
final class PlanCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "the request; standard input when absent or '-'")
    private Path file;

    @CommandLine.Option(names = "--json", description = "print the response JSON rather than the reason")
    private boolean json;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RequestInput input = new RequestInput("plan", file);
        byte[] body = input.read(err);
        if (body == null) {
            return JudgeCommand.INVALID;
        }
        PlanJson planJson = new PlanJson();
        StagePlan plan;
        try {
            plan = StagePlanner.plan(planJson.read(body));
        } catch (InvalidInputException e) {
            input.printProblems(e, err);
            return JudgeCommand.INVALID;
        }
        out.println(json ? planJson.write(plan) : plan.reason());
        out.flush();
        return 0;
    }
}
