package org.canaryjudge.server.judging;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.canaryjudge.model.JudgeRequest;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.Stage;
import org.canaryjudge.model.StageStart;

/**
 * The current stage of a remembered rollout, as the ledger knows it, for a request that names no
 * {@code stage} itself: live data from the stage's first look ({@code since}); inline data from the
 * points each metric's sides had at the previous stage's last look ({@code starts}).
 *
 * @param name the stage's name
 * @param since when the stage's first look was (live data), or null
 * @param starts per metric, where the stage's inline points begin; a metric not named begins the
 *     stage with its first point
 */
public record StageWindow(String name, Instant since, Map<String, StageStart> starts) {

    public StageWindow {
        starts = Map.copyOf(starts);
    }

    /** @return the window of a stage whose inline points begin where {@code starts} says */
    public static StageWindow ofPoints(String name, Map<String, StageStart> starts) {
        return new StageWindow(name, null, starts);
    }

    /** @return the window of a stage whose live data begin at {@code since} */
    public static StageWindow since(String name, Instant since) {
        return new StageWindow(name, since, Map.of());
    }

    /**
     * @param request a request without a stage of its own
     * @param fetched where the stage begins in each metric's fetched data (live data), else empty
     * @return the request with this stage: every metric judged on the stage's points too
     */
    JudgeRequest applyTo(JudgeRequest request, Map<String, StageStart> fetched) {
        Map<String, StageStart> at = since == null ? starts : fetched;
        List<Metric> metrics = new ArrayList<>();
        for (Metric m : request.metrics()) {
            StageStart start = m.stageStart() != null ? m.stageStart() : at.get(m.name());
            metrics.add(new Metric(m.spec(), m.data(), start));
        }
        return new JudgeRequest(request.id(), request.mode(), request.confidence(), metrics, new Stage(name, 0),
            request.traffic());
    }
}
