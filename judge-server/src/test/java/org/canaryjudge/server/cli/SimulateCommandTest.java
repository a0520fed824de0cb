package org.canaryjudge.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code canary-judge simulate}, on a small run: the table and the legend that explains it. */
class SimulateCommandTest {

    @Test
    void theTableEndsWithALegendForEveryColumn() {
        JudgeCommandTest.Run r = JudgeCommandTest.run("simulate", "--set", "reduced", "--rollouts", "10", "--looks", "2");
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        List<String> columns = Arrays.asList(lines.get(0).trim().split("\\s+"));
        assertEquals(List.of("scenario", "expect", "method", "coverage", "falseRB", "falsePro", "correct", "look"), columns);
        int legend = r.out().indexOf("\nscenario   ");
        assertTrue(legend > 0, "no legend after the table:\n" + r.out());
        String text = r.out().substring(legend);
        for (String column : columns) {
            assertTrue(text.lines().anyMatch(l -> l.startsWith(column + " ")), "the legend leaves out " + column + ":\n" + text);
        }
        assertTrue(text.contains("kayenta-like"), "the legend names the methods");
    }
}
