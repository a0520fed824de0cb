package org.canaryjudge.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
        byte[] body;
        try {
            body = read();
        } catch (NoSuchFileException e) {
            err.println("canary-judge judge: no such file: " + file);
            return INVALID;
        } catch (IOException e) {
            err.println("canary-judge judge: cannot read " + (file == null ? "standard input" : file) + ": " + e.getMessage());
            return INVALID;
        }
        Judgement judgement;
        try {
            judgement = new JsonJudge().judge(body);
        } catch (InvalidInputException e) {
            err.println("canary-judge judge: invalid request" + (file == null ? "" : " in " + file) + ":");
            e.violations().forEach(v -> err.println("  " + (v.path().isEmpty() ? "(whole request)" : v.path()) + ": " + v.message()));
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

    private byte[] read() throws IOException {
        if (file == null || file.toString().equals("-")) {
            InputStream in = System.in;
            return in.readAllBytes();
        }
        return Files.readAllBytes(file);
    }
}
