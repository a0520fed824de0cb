package org.canaryjudge.server.kayenta;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.canaryjudge.model.JudgeRequest;

/**
 * A Kayenta remote-judge request, read and mapped: the judge-core request, and what the answer
 * needs besides judge-core's outcomes.
 *
 * @param core what judge-core judges: one metric per metric set pair, in the pairs' order
 * @param pairs the metric set pairs, index for index with {@code core.metrics()}
 * @param thresholds the score thresholds
 * @param groupWeights the weight of every group a metric belongs to, in order of first appearance
 */
record KayentaRequest(JudgeRequest core, List<Pair> pairs, ScoreThresholds thresholds, Map<String, Double> groupWeights) {

    KayentaRequest {
        Objects.requireNonNull(core, "core");
        Objects.requireNonNull(thresholds, "thresholds");
        pairs = List.copyOf(pairs);
        groupWeights = Collections.unmodifiableMap(new LinkedHashMap<>(groupWeights));
        if (pairs.size() != core.metrics().size()) {
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
     * @param mustHaveData whether a side without data fails the whole analysis
     */
    record Pair(String name, String id, Map<String, String> tags, List<String> groups, boolean mustHaveData) {

        Pair {
            Objects.requireNonNull(name, "name");
            tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
            groups = List.copyOf(groups);
        }
    }
}
