package org.canaryjudge.server.kayenta;

import java.util.ArrayList;
import java.util.List;
import org.canaryjudge.decision.Judge;
import org.canaryjudge.model.InvalidInputException;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.model.JudgeRequest;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.MetricOutcome;
import org.canaryjudge.model.Verdict;

/**
 * Kayenta's remote-judge request in, a {@code CanaryJudgeResult} out: reads the body, has
 * judge-core judge one metric per metric set pair, and writes the classifications and scores.
 * Stateless and thread-safe.
 *
 * <p>The metrics that are not muted are judged together: their verdict is the answer's, and in
 * sequential mode they share the analysis's error rate. Muted metrics are judged among themselves, so
 * that they change neither the verdict nor the other metrics' intervals, as Kayenta's judge leaves
 * them out of its score.
 */
public final class KayentaJudge {

    private final KayentaRequestReader reader = new KayentaRequestReader();
    private final Judge judge = new Judge();
    private final KayentaResultWriter writer = new KayentaResultWriter();

    /** A judge for Kayenta's requests; it needs no configuration of the server. */
    public KayentaJudge() {
        // Everything it needs comes with each request.
    }

    /**
     * @param body the request's JSON bytes, a Kayenta {@code RemoteJudgeRequest}
     * @return judge-core's judgement of the metrics that are not muted (a hold when every metric is
     *     muted) and the response body
     * @throws InvalidInputException with every violation's path a JSON Pointer into the body
     */
    public KayentaAnswer judge(byte[] body) {
        KayentaRequest request = reader.read(body);
        Judgement scored = judged(request, false);
        Judgement muted = judged(request, true);
        List<AnalysisResult> results = new ArrayList<>();
        int s = 0;
        int m = 0;
        for (int i = 0; i < request.pairs().size(); i++) {
            KayentaRequest.Pair pair = request.pairs().get(i);
            MetricOutcome outcome = pair.muted() ? muted.metrics().get(m++) : scored.metrics().get(s++);
            results.add(AnalysisResult.of(pair, request.metrics().get(i), outcome));
        }
        KayentaScore score = KayentaScore.of(results, request.groupWeights(), request.thresholds(), request, scored);
        Judgement counted = scored != null ? scored
            : new Judgement(null, Verdict.HOLD, score.reason(), 0, request.mode(), muted.metrics());
        return new KayentaAnswer(counted, writer.write(results, score));
    }

    /** @return the judgement of the muted metrics, or of the others; null when there are none */
    private Judgement judged(KayentaRequest request, boolean muted) {
        List<Metric> metrics = new ArrayList<>();
        for (int i = 0; i < request.pairs().size(); i++) {
            if (request.pairs().get(i).muted() == muted) {
                metrics.add(request.metrics().get(i));
            }
        }
        return metrics.isEmpty() ? null : judge.judge(new JudgeRequest(null, request.mode(), request.confidence(), metrics));
    }
}
