package org.canaryjudge.server.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.canaryjudge.server.config.ConfigFile;
import org.canaryjudge.server.judging.JsonJudge;
import org.canaryjudge.server.json.JudgementWriter;
import org.canaryjudge.server.json.RequestReader;
import org.canaryjudge.server.store.Ledger;
import org.canaryjudge.server.store.RolloutStore;
import org.canaryjudge.server.store.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent example of docs/integrations.md through the judge tool: examples/agent.yaml's inline
 * configuration, 100,000 requests a minute with 1 % errors on the stable fleet, a look every five
 * minutes with every minute's counts since the start, three looks a stage at 1 %, 5 % and 25 %, the
 * canary 0.7 points worse from the 25 % stage on. Each healthy stage promotes within its fifteen
 * minutes, after its first look holds; the worse canary holds.
 */
class AgentExampleTest {

    @TempDir
    Path dir;

    @Test
    void theExamplesRolloutAdvancesThroughTheHealthyStagesAndHoldsAtTheHarm() {
        List<String> verdicts = new ArrayList<>();
        try (RolloutStore store = Stores.open("jdbc:sqlite:" + dir.resolve("rollouts.db"))) {
            JsonJudge judge = new JsonJudge(new RequestReader(ConfigFile.load(Path.of("examples", "agent.yaml")).configurations()));
            AgentTools tools = new AgentTools(new Ledger(judge, new JudgementWriter(false), store, Clock.systemUTC()), store,
                (result, nanos) -> { }, Clock.systemUTC(),
            new java.util.concurrent.Semaphore(1), java.time.Duration.ofSeconds(2));
            AgentTools.AgentTool tool = tools.tools().get(0);
            List<int[]> minutes = new ArrayList<>();
            Object[][] stages = {{"1%", 1_000, 0.01}, {"5%", 5_000, 0.01}, {"25%", 25_000, 0.017}};
            for (Object[] stage : stages) {
                int canary = (Integer) stage[1];
                for (int look = 0; look < 3; look++) {
                    for (int m = 0; m < 5; m++) {
                        minutes.add(new int[] {(100_000 - canary) / 100, 100_000 - canary,
                            (int) Math.round((Double) stage[2] * canary), canary});
                    }
                    var result = tools.call(tool, Map.of("config", "checkout-staged",
                        "rollout", Map.of("id", "shop/checkout/7f9c6d5b8", "stage", stage[0]),
                        "metrics", List.of(Map.of("name", "error_rate",
                            "baseline", Map.of("errors", column(minutes, 0), "requests", column(minutes, 1)),
                            "canary", Map.of("errors", column(minutes, 2), "requests", column(minutes, 3))))),
                        AgentTools.Caller.LOCAL);
                    assertFalse(result.isError(), result.toString());
                    verdicts.add((String) ((Map<?, ?>) result.structuredContent()).get("verdict"));
                }
            }
        }
        assertEquals(List.of("hold", "promote", "promote", "hold", "promote", "promote", "hold", "hold", "hold"), verdicts);
    }

    private static List<Integer> column(List<int[]> minutes, int i) {
        return minutes.stream().map(m -> m[i]).toList();
    }
}
