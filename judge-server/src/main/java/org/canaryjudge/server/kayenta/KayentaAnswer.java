package org.canaryjudge.server.kayenta;

import java.util.Objects;
import org.canaryjudge.model.Judgement;

/**
 * What {@code POST /kayenta/judge} answers.
 *
 * @param judgement judge-core's judgement, which the server counts in its own metrics as it counts
 *     {@code POST /judge}'s
 * @param json the {@code CanaryJudgeResult} response body
 */
public record KayentaAnswer(Judgement judgement, String json) {

    public KayentaAnswer {
        Objects.requireNonNull(judgement, "judgement");
        Objects.requireNonNull(json, "json");
    }
}
