package org.canaryjudge.server.kayenta;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.canaryjudge.model.Confidence;
import org.canaryjudge.model.Mode;
import org.canaryjudge.model.Violation;
import org.canaryjudge.server.json.JsonFields;

/**
 * How the whole request is judged, from {@code canaryConfig.judge.judgeConfigurations} — the place
 * Kayenta keeps for a judge's own settings.
 *
 * <p>The mode defaults to {@code sequential}: Spinnaker's canary stage and Kayenta's standalone
 * canary analysis call the judge once per interval, and with the default (growing) lookback each
 * call holds all data since the analysis started — repeated looks at accumulating data, the case
 * sequential intervals are built for. {@code fixed} suits a single judgement (one interval, or a
 * retrospective analysis).
 *
 * @param mode sequential (default) or fixed
 * @param confidence the two-sided level, 0.95 by default
 * @param defaultAllowedChange the hold band, as a fraction of the baseline, for a metric whose
 *     {@code effectSize} leaves the harmful side's multiplier at Kayenta's default of 1 ("any
 *     significant change"), which is no band at all; 0.10 (10 %) by default
 */
record JudgeSettings(Mode mode, double confidence, double defaultAllowedChange) {

    static final JudgeSettings DEFAULT = new JudgeSettings(Mode.SEQUENTIAL, Confidence.DEFAULT, 0.10);

    private static final Set<String> FIELDS = new LinkedHashSet<>(List.of("mode", "confidence", "defaultAllowedChange"));

    /**
     * @param node {@code judgeConfigurations}, or null when absent
     * @return the settings; the defaults for whatever is absent or invalid (with a violation)
     */
    static JudgeSettings read(JsonNode node, String pointer, List<Violation> violations) {
        if (node == null || node.isNull()) {
            return DEFAULT;
        }
        if (!node.isObject()) {
            violations.add(new Violation(pointer, "must be an object, got " + JsonFields.describe(node)));
            return DEFAULT;
        }
        JsonFields f = new JsonFields(node, pointer, violations, FIELDS);
        Mode mode = f.choice("mode", Mode.class);
        Double confidence = f.number("confidence");
        if (confidence != null && !Confidence.isValid(confidence)) {
            f.fail("confidence", "must be a number above 0.5 and below 1, got " + confidence);
            confidence = null;
        }
        Double allowed = f.number("defaultAllowedChange");
        if (allowed != null && !(allowed > 0 && allowed < 1)) {
            f.fail("defaultAllowedChange", "must be a fraction above 0 and below 1 (0.1 = 10 %), got " + allowed);
            allowed = null;
        }
        return new JudgeSettings(mode == null ? DEFAULT.mode() : mode,
            confidence == null ? DEFAULT.confidence() : confidence,
            allowed == null ? DEFAULT.defaultAllowedChange() : allowed);
    }
}
