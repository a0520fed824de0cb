package org.canaryjudge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.canaryjudge.decision.Judge;
import org.canaryjudge.model.Band;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.model.JudgeRequest;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.Mode;
import org.canaryjudge.model.Series;
import org.canaryjudge.model.Verdict;
import org.junit.jupiter.api.Test;

/** The README's "Using the library" example, kept compiling and true. */
class ReadmeExampleTest {

    @Test
    void readmeExample() {
        double[] baselineP99 = new double[30];
        double[] canaryP99 = new double[30];
        for (int i = 0; i < 30; i++) {
            baselineP99[i] = 120 + (i * 7 % 11);
            canaryP99[i] = 150 + (i * 5 % 13);
        }
        // --- README example starts here ---
        MetricSpec p99 = MetricSpec.builder("latency_p99_ms")
            .hold(Band.relative(0.10))      // more than 10 % higher: do not advance
            .rollback(Band.relative(0.50))  // more than 50 % higher: roll back
            .build();
        JudgeRequest request = new JudgeRequest("checkout-v42", Mode.FIXED, 0.95,
            List.of(new Metric(p99, Series.of(baselineP99), Series.of(canaryP99))));

        Judgement judgement = new Judge().judge(request);
        System.out.println(judgement.verdict() + ": " + judgement.reason());
        // HOLD: latency_p99_ms: canary is 25 % higher than baseline (95 % interval +23 % to +26 %),
        //       beyond the +10 % hold band.
        // --- README example ends here ---
        assertEquals(Verdict.HOLD, judgement.verdict());
    }
}
