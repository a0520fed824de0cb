package org.canaryjudge.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code canary-judge} command line: one runnable jar, one subcommand per task. */
@Command(name = "canary-judge",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Statistical canary analysis: promote, hold or roll back a progressive rollout.",
    subcommands = {JudgeCommand.class, PlanCommand.class, ServeCommand.class, ReplayCommand.class, SimulateCommand.class,
        CommandLine.HelpCommand.class})
public final class CanaryJudgeCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /** @return a command line configured like the shipped jar's */
    public static CommandLine commandLine() {
        return new CommandLine(new CanaryJudgeCommand());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
