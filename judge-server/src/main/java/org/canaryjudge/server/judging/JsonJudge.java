package org.canaryjudge.server.judging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.canaryjudge.decision.Judge;
import org.canaryjudge.model.InvalidInputException;
import org.canaryjudge.model.JudgeRequest;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.model.StageStart;
import org.canaryjudge.model.Violation;
import org.canaryjudge.server.json.RequestReader;
import org.canaryjudge.server.source.LiveData;

/**
 * A request body in, a {@link Judgement} out: the one path every adapter (command line, HTTP,
 * webhooks) takes, so that they all validate and judge alike. A request naming a configuration with
 * a data source is checked in full first, then its data are fetched, then it is judged.
 */
public final class JsonJudge {

    private final RequestReader reader;
    private final LiveData live;
    private final Judge judge = new Judge();

    /** Judges requests that name no configuration. */
    public JsonJudge() {
        this(new RequestReader(), null);
    }

    /** @param reader reads requests, with whatever named configurations it holds; none fetches data */
    public JsonJudge(RequestReader reader) {
        this(reader, null);
    }

    /**
     * @param reader reads requests, with whatever named configurations it holds
     * @param live fetches the data of configurations with a source, or null when there are none
     */
    public JsonJudge(RequestReader reader, LiveData live) {
        this.reader = reader;
        this.live = live;
    }

    /**
     * @param body the request's JSON bytes
     * @return the judgement
     * @throws InvalidInputException with every violation's path a JSON Pointer into the body
     */
    public Judgement judge(byte[] body) {
        return judge(reader.parse(body));
    }

    /**
     * @param body JSON bytes
     * @return the body as a JSON object, parsed within the request limits
     * @throws InvalidInputException when it is not one JSON object
     */
    public ObjectNode parse(byte[] body) {
        return reader.parse(body);
    }

    /**
     * @param root a request as a JSON object (changed: the live-data fields are taken out)
     * @return the judgement
     * @throws InvalidInputException with every violation's path a JSON Pointer into the request
     */
    public Judgement judge(ObjectNode root) {
        return judge(root, null);
    }

    /**
     * @param rolloutStart the first look of the rollout the request names, the default start of live
     *     data; null when there is none
     */
    public Judgement judge(ObjectNode root, Instant rolloutStart) {
        return judge(root, rolloutStart, null);
    }

    /**
     * @param rolloutStart the first look of the rollout the request names, the default start of live
     *     data; null when there is none
     * @param stage the rollout's current stage as its ledger knows it, used when the request names
     *     no {@code stage} of its own; null in a rollout's first stage
     */
    public Judgement judge(ObjectNode root, Instant rolloutStart, StageWindow stage) {
        LiveData.Fetch fetch = live == null ? null : live.prepare(root, rolloutStart);
        JudgeRequest request;
        Map<String, StageStart> fetchedStarts = Map.of();
        if (fetch == null) {
            request = reader.read(root, Map.of());
        } else {
            // Everything the request says is checked, and every problem reported at once, before any query is sent.
            List<Violation> problems = new ArrayList<>(fetch.violations());
            try {
                reader.read(root.deepCopy(), fetch.placeholders());
            } catch (InvalidInputException e) {
                problems.addAll(e.violations());
            }
            if (!problems.isEmpty()) {
                throw new InvalidInputException(problems);
            }
            LiveData.Fetched fetched = fetch.run(stage == null ? null : stage.since());
            fetchedStarts = fetched.stageStarts();
            request = reader.read(root, fetched.data());
        }
        if (stage != null && request.stage() == null && (stage.since() == null || !fetchedStarts.isEmpty())) {
            request = stage.applyTo(request, fetchedStarts);
        }
        try {
            return judge.judge(request);
        } catch (InvalidInputException e) {
            // The judge names fields relative to the request; make them pointers.
            List<Violation> pointed = e.violations().stream().map(v -> v.under("")).toList();
            throw new InvalidInputException(pointed);
        }
    }
}
