package org.canaryjudge.server.kayenta;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.canaryjudge.model.Metric;
import org.canaryjudge.model.Mode;

/**
 * A Kayenta remote-judge request, read and mapped: the judge-core metrics, and what the answer
 * needs besides judge-core's outcomes.
 *
 * @param pairs the metric set pairs
 * @param metrics what judge-core judges: one metric per pair, index for index with {@code pairs}
 * @param mode the mode of {@code judge.judgeConfigurations}
 * @param confidence the level of the whole analysis
 * @param thresholds the score thresholds
 * @param groupWeights the weight of every group a metric that is not muted belongs to, in order of
 *     first appearance
 */
record KayentaRequest(List<Pair> pairs, List<Metric> metrics, Mode mode, double confidence, ScoreThresholds thresholds,
                      Map<String, Double> groupWeights) {

    KayentaRequest {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(thresholds, "thresholds");
        pairs = List.copyOf(pairs);
        metrics = List.copyOf(metrics);
        groupWeights = Collections.unmodifiableMap(new LinkedHashMap<>(groupWeights));
        if (pairs.size() != metrics.size()) {
            throw new IllegalArgumentException("one pair per judged metric");
        }
    }

    /**
     * One metric set pair: what Kayenta's result echoes, and how its outcome is scored.
     *
     * @param name the metric's name
     * @param id the pair's id, or null when it has none
     * @param tags the pair's tags
     * @param groups the groups of its metric configuration
     * @param critical Kayenta's {@code critical}: no data or an error on it fails the whole analysis
     * @param mustHaveData whether a side without data fails the whole analysis
     * @param muted whether it is left out of every score
     * @param note null, or what the reason says first: why its bands differ from its configuration's
     */
    record Pair(String name, String id, Map<String, String> tags, List<String> groups, boolean critical, boolean mustHaveData,
                boolean muted, String note) {

        Pair {
            Objects.requireNonNull(name, "name");
            tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
            groups = List.copyOf(groups);
        }
    }
}
