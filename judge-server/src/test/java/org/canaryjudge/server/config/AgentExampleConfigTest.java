package org.canaryjudge.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.model.Verdict;
import org.canaryjudge.server.judging.JsonJudge;
import org.canaryjudge.server.json.RequestReader;
import org.junit.jupiter.api.Test;

/**
 * judge-server/examples/agent.yaml, the agent example of docs/integrations.md: the file loads, and
 * its bands are the standing instruction's, hold beyond +0.5 points of error rate and roll back
 * beyond +2 points, judged through the named configuration as an agent's judge call sends it.
 */
class AgentExampleConfigTest {

    static final Path EXAMPLE = Path.of("examples", "agent.yaml");

    @Test
    void theFileLoadsWithAnInlineAndALiveConfiguration() {
        ConfigFile file = ConfigFile.load(EXAMPLE);
        assertEquals(List.of("checkout-staged", "checkout-staged-live"), List.copyOf(file.configurations().keySet()));
        assertEquals(List.of("checkout-staged-live"), List.copyOf(file.liveConfigurations().keySet()));
        assertEquals(0.005, file.configurations().get("checkout-staged").at("/metrics/0/hold/absolute").doubleValue());
        assertEquals(0.02, file.configurations().get("checkout-staged").at("/metrics/0/rollback/absolute").doubleValue());
    }

    /** Fifteen one-minute looks' counts at a 5 % stage: 1 % errors on the stable fleet. */
    @Test
    void theStandingInstructionsBandsHoldAndRollBack() {
        JsonJudge judge = new JsonJudge(new RequestReader(ConfigFile.load(EXAMPLE).configurations()));
        assertEquals(Verdict.PROMOTE, judge(judge, 100).verdict(), "the stable fleet's 1 %: advance");
        Judgement drift = judge(judge, 170);
        assertEquals(Verdict.HOLD, drift.verdict(), "+0.7 points is beyond the 0.5-point hold band: " + drift.reason());
        Judgement broken = judge(judge, 350);
        assertEquals(Verdict.ROLLBACK, broken.verdict(), "+2.5 points is beyond the 2-point rollback band: " + broken.reason());
    }

    /** @param canaryErrors the canary's errors per minute out of 10,000 requests (the baseline's: 1,900 of 190,000) */
    private static Judgement judge(JsonJudge judge, int canaryErrors) {
        String baseline = perMinute(1900) + "], \"requests\": [" + perMinute(190000);
        String canary = perMinute(canaryErrors) + "], \"requests\": [" + perMinute(10000);
        String request = "{\"config\": \"checkout-staged\", \"metrics\": [{\"name\": \"error_rate\","
            + " \"baseline\": {\"errors\": [" + baseline + "]}, \"canary\": {\"errors\": [" + canary + "]}}]}";
        return judge.judge(request.getBytes(StandardCharsets.UTF_8));
    }

    /** @return the count for each of the stage's fifteen minutes */
    private static String perMinute(int n) {
        return String.join(", ", java.util.Collections.nCopies(15, Integer.toString(n)));
    }
}
