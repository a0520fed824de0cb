package org.canaryjudge.replay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.canaryjudge.decision.Judge;
import org.canaryjudge.model.JudgeRequest;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.Mode;
import org.canaryjudge.model.TrafficSplit;
import org.canaryjudge.model.Verdict;

/**
 * Replays recorded metrics look by look (docs/contract.md, "Recorded fixtures"): a look every
 * {@code interval} after the first timestamp — look 1 at first + interval, look 2 at first + 2 ×
 * interval, … — until a look has passed the last timestamp, so the last look sees every point. Each
 * look judges all points recorded before its time, as a rollout tool that sends all data since
 * the canary started would have.
 */
public final class Replay {

    private final Judge judge = new Judge();
    private final Mode mode;
    private final double confidence;
    private final Duration interval;
    private final TrafficSplit traffic;

    /**
     * @param mode the mode every look is judged in
     * @param confidence the requests' two-sided level
     * @param interval the time between looks, at least one second
     */
    public Replay(Mode mode, double confidence, Duration interval) {
        this(mode, confidence, interval, null);
    }

    /**
     * @param mode the mode every look is judged in
     * @param confidence the requests' two-sided level
     * @param interval the time between looks, at least one second
     * @param traffic the intended traffic split every look checks, or null
     */
    public Replay(Mode mode, double confidence, Duration interval, TrafficSplit traffic) {
        if (interval.getSeconds() < 1) {
            throw new IllegalArgumentException("the interval between looks must be at least one second, got " + interval);
        }
        this.mode = mode;
        this.confidence = confidence;
        this.interval = interval;
        this.traffic = traffic;
    }

    /**
     * @param id the requests' id prefix (each look's request gets {@code id-look-N}), or null
     * @param metrics the recorded metrics, at least one with data
     * @return every look and the outcome
     */
    public ReplayResult run(String id, List<RecordedMetric> metrics) {
        long first = metrics.stream().mapToLong(RecordedMetric::first).min().orElse(Long.MAX_VALUE);
        long last = metrics.stream().mapToLong(RecordedMetric::last).max().orElse(Long.MIN_VALUE);
        if (first == Long.MAX_VALUE) {
            throw new IllegalArgumentException("the recording has no data points");
        }
        long step = interval.getSeconds();
        long looks = (last - first) / step + 1;
        List<Look> timeline = new ArrayList<>();
        int firstRollback = 0;
        for (int k = 1; k <= looks; k++) {
            long time = first + k * step;
            List<Metric> data = new ArrayList<>(metrics.size());
            for (RecordedMetric m : metrics) {
                data.add(m.before(time));
            }
            Judgement j = judge.judge(new JudgeRequest(id == null ? null : id + "-look-" + k, mode, confidence, data, null,
                traffic));
            timeline.add(new Look(k, time, j));
            if (j.verdict() == Verdict.ROLLBACK && firstRollback == 0) {
                firstRollback = k;
            }
        }
        if (firstRollback > 0) {
            return new ReplayResult(timeline, Verdict.ROLLBACK, firstRollback);
        }
        Verdict lastVerdict = timeline.get(timeline.size() - 1).judgement().verdict();
        return new ReplayResult(timeline, lastVerdict == Verdict.PROMOTE ? Verdict.PROMOTE : Verdict.HOLD, timeline.size());
    }
}
