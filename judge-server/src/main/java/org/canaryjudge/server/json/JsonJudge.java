package org.canaryjudge.server.json;

import java.util.List;
import org.canaryjudge.decision.Judge;
import org.canaryjudge.model.InvalidInputException;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.model.Violation;

/**
 * A request body in, a {@link Judgement} out: the one path every adapter (command line, HTTP)
 * takes, so that they all validate and judge alike.
 */
public final class JsonJudge {

    private final RequestReader reader;
    private final Judge judge = new Judge();

    /** Judges requests that name no configuration. */
    public JsonJudge() {
        this(new RequestReader());
    }

    /** @param reader reads requests, with whatever named configurations it holds */
    public JsonJudge(RequestReader reader) {
        this.reader = reader;
    }

    /**
     * @param body the request's JSON bytes
     * @return the judgement
     * @throws InvalidInputException with every violation's path a JSON Pointer into the body
     */
    public Judgement judge(byte[] body) {
        var request = reader.read(body);
        try {
            return judge.judge(request);
        } catch (InvalidInputException e) {
            // The judge names fields relative to the request; make them pointers.
            List<Violation> pointed = e.violations().stream().map(v -> v.under("")).toList();
            throw new InvalidInputException(pointed);
        }
    }
}
