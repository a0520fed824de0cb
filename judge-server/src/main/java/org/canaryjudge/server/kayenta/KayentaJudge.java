package org.canaryjudge.server.kayenta;

import java.util.ArrayList;
import java.util.List;
import org.canaryjudge.decision.Judge;
import org.canaryjudge.model.InvalidInputException;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.model.JudgeRequest;

/**
 * Kayenta's remote-judge request in, a {@code CanaryJudgeResult} out: reads the body, has
 * judge-core judge one metric per metric set pair, and writes the classifications and scores.
 * Stateless and thread-safe.
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
     * @return judge-core's judgement and the response body
     * @throws InvalidInputException with every violation's path a JSON Pointer into the body
     */
    public KayentaAnswer judge(byte[] body) {
        KayentaRequest request = reader.read(body);
        JudgeRequest core = request.core();
        Judgement judgement = judge.judge(core);
        List<AnalysisResult> results = new ArrayList<>();
        for (int i = 0; i < request.pairs().size(); i++) {
            results.add(AnalysisResult.of(request.pairs().get(i), core.metrics().get(i), judgement.metrics().get(i)));
        }
        KayentaScore score = KayentaScore.of(results, request.groupWeights(), request.thresholds(), core, judgement);
        return new KayentaAnswer(judgement, writer.write(results, score));
    }
}
