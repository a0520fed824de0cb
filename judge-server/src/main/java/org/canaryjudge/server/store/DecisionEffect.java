package org.canaryjudge.server.store;

import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.model.Verdict;

/**
 * What a person's decision does to a later look of the stage it was made in (docs/api.md, "A
 * person's decision"): {@code rollback} makes the verdict {@code rollback}; {@code promote} turns
 * a {@code hold} into {@code promote}; {@code hold} makes it at most {@code hold}. A verdict the data
 * make {@code rollback} stays {@code rollback}: nobody can approve past the rollback band. The
 * reason names the person, the time and the comment, and keeps what the evidence alone says.
 */
public final class DecisionEffect {

    private DecisionEffect() {
    }

    /**
     * @param evidence the judgement of the look's data
     * @param decision the decision standing in the look's stage
     * @return the look's judgement with the decision applied
     */
    public static Judgement apply(Judgement evidence, RolloutStore.Decision decision) {
        Verdict data = evidence.verdict();
        Verdict verdict = switch (decision.decision()) {
            case "rollback" -> Verdict.ROLLBACK;
            case "promote" -> data == Verdict.HOLD ? Verdict.PROMOTE : data;
            case "hold" -> data == Verdict.PROMOTE ? Verdict.HOLD : data;
            default -> throw new IllegalArgumentException("not a decision: " + decision.decision());
        };
        String who = decision.by() + " decided " + decision.decision() + " at "
            + decision.at().truncatedTo(ChronoUnit.SECONDS) + (decision.stage() == null ? "" : " in stage " + decision.stage())
            + (decision.comment() == null || decision.comment().isBlank() ? "" : " (\"" + decision.comment() + "\")");
        String alone = "the evidence alone says " + name(data) + ": " + evidence.reason();
        String reason;
        if (decision.decision().equals("promote") && data == Verdict.ROLLBACK) {
            reason = who + ", but the data show a rollback, which no decision can approve past; " + alone;
        } else if (verdict == data && !decision.decision().equals(name(data))) {
            reason = who + "; the verdict stays " + name(data) + ": " + evidence.reason();
        } else {
            reason = who + "; " + alone;
        }
        return new Judgement(evidence.id(), verdict, reason, evidence.score(), evidence.mode(), evidence.metrics(),
            evidence.traffic());
    }

    private static String name(Verdict v) {
        return v.name().toLowerCase(Locale.ROOT);
    }
}
