package org.canaryjudge.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve --store} and {@code --store-retention}: bad values stop the server with a plain message. */
class ServeStoreOptionsTest {

    @TempDir
    Path dir;

    static void assertPlain(JudgeCommandTest.Run run) {
        assertFalse(run.err().contains("\tat ") || run.err().contains("Exception"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void anUnknownStoreOrRetentionIsAnInvalidSetting() {
        JudgeCommandTest.Run run = JudgeCommandTest.run("serve", "--port", "0", "--store", "jdbc:mysql://db/judge");
        assertEquals(ServeCommand.INVALID, run.status());
        assertTrue(run.err().contains("--store must be jdbc:sqlite:PATH, jdbc:postgresql://HOST:PORT/DB or none"), run.err());
        assertPlain(run);
        run = JudgeCommandTest.run("serve", "--port", "0", "--store", "none", "--store-retention", "forever");
        assertEquals(ServeCommand.INVALID, run.status());
        assertTrue(run.err().startsWith("canary-judge serve: --store-retention: "), run.err());
        assertPlain(run);
    }

    @Test
    void aStoreThatCannotBeOpenedStopsTheServerWithStatusOne() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        JudgeCommandTest.Run run = JudgeCommandTest.run("serve", "--port", "0", "--store", "jdbc:sqlite:" + file.resolve("r.db"));
        assertEquals(ServeCommand.CANNOT_START, run.status());
        assertTrue(run.err().contains("cannot create the folder of the rollout store"), run.err());
        assertPlain(run);
        run = JudgeCommandTest.run("serve", "--port", "0", "--store", "jdbc:postgresql://127.0.0.1:1/judge?connectTimeout=2");
        assertEquals(ServeCommand.CANNOT_START, run.status());
        assertTrue(run.err().contains("cannot open the rollout store jdbc:postgresql://127.0.0.1:1/judge"), run.err());
        assertPlain(run);
    }

    @Test
    void theHelpNamesTheStoreOptions() {
        String help = JudgeCommandTest.run("serve", "--help").out();
        for (String s : new String[] {"--store=URL", "--store-retention", "sqlite", "postgresql", "none", "CANARY_JUDGE_STORE_PASSWORD"}) {
            assertTrue(help.contains(s), help);
        }
    }
}
