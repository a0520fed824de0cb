package org.canaryjudge.replay;

import java.util.Objects;
import org.canaryjudge.model.Judgement;

/**
 * One look of a replay.
 *
 * @param index the look's number, from 1
 * @param time the look's time (epoch seconds); it judged every point recorded before it
 * @param judgement what the judge said
 */
public record Look(int index, long time, Judgement judgement) {

    public Look {
        Objects.requireNonNull(judgement, "judgement");
    }
}
