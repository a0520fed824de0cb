package org.canaryjudge.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code canary-judge help COMMAND} reads as written: no line is wrapped by the help layout mid-phrase. */
class HelpTextTest {

    private static final int WIDTH = 80;

    @ParameterizedTest
    @ValueSource(strings = {"judge", "serve", "replay", "simulate", "mcp"})
    void everyDescriptionLineFitsAndEndsAPhrase(String command) {
        CommandLine sub = CanaryJudgeCommand.commandLine().getSubcommands().get(command);
        for (String line : sub.getCommandSpec().usageMessage().description()) {
            assertTrue(line.length() <= WIDTH, command + ": longer than the help's " + WIDTH + " columns: " + line);
            assertTrue(line.matches(".*[.,;:)]$"), command + ": a line that breaks a phrase: " + line);
        }
        String help = JudgeCommandTest.run("help", command).out();
        List<String> lines = help.lines().toList();
        for (int i = 0; i + 1 < lines.size(); i++) {
            boolean split = lines.get(i).matches(".*\\w\\.$") && lines.get(i + 1).strip().matches("[a-z].*");
            assertTrue(!split,
                command + ": a word split at its dot: " + lines.get(i) + " / " + lines.get(i + 1));
        }
    }

    @Test
    void theCommandListShowsOneWholeSentencePerCommand() {
        String help = JudgeCommandTest.run("help").out();
        for (String command : List.of("judge", "serve", "replay", "simulate", "mcp")) {
            String line = help.lines().filter(l -> l.startsWith("  " + command + " ")).findFirst().orElseThrow();
            assertTrue(line.endsWith("."), "the summary of " + command + " is cut: " + line);
        }
    }

    @Test
    void serveListsEveryEndpoint() {
        String help = JudgeCommandTest.run("help", "serve").out();
        for (String endpoint : List.of("POST /judge", "POST /kayenta/judge", "POST /flagger/gate/{config}",
            "POST /flagger/rollback/{config}", "POST /flagger/confirm", "POST /plan", "GET /rollouts", "GET /rollouts/{id}",
            "POST /rollouts/{id}/decisions", "GET /ui/", "/livez", "/readyz", "/metrics", "/openapi.json", "POST /mcp")) {
            assertTrue(help.contains(endpoint), "help serve leaves out " + endpoint + ":\n" + help);
        }
        assertEquals(0, JudgeCommandTest.run("help", "serve").status());
    }
}
