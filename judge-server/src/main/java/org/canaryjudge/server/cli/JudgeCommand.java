package org.canaryjudge.server.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.canaryjudge.model.InvalidInputException;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.server.judging.JsonJudge;
import org.canaryjudge.server.json.JudgementWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code canary-judge judge [FILE]}: one request in, the response JSON out, the verdict as exit status. */
@Command(name = "judge",
    description = {"Judges one request (docs/contract.md) and prints the response JSON.",
        "Exit status: 0 promote, 10 hold, 20 rollback, 2 invalid input."},
    mixinStandardHelpOptions = true)
final class JudgeCommand implements Callable<Integer> {

    static final int PROMOTE = 0;
    static final int HOLD = 10;
    static final int ROLLBACK = 20;
    static final int INVALID = 2;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "the request; standard input when absent or '-'")
    private Path file;

    @CommandLine.Option(names = "--compact", description = "print the response on one line")
    private boolean compact;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RequestInput input = new RequestInput("judge", file);
        byte[] body = input.read(err);
        if (body == null) {
            return INVALID;
        }
        Judgement judgement;
        try {
            judgement = new JsonJudge().judge(body);
        } catch (InvalidInputException e) {
            input.printProblems(e, err);
            return INVALID;
        }
        out.println(new JudgementWriter(!compact).write(judgement));
        out.flush();
        return switch (judgement.verdict()) {
            case PROMOTE -> PROMOTE;
            case HOLD -> HOLD;
            case ROLLBACK -> ROLLBACK;
        };
    }
}
