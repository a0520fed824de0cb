package org.canaryjudge.server.kayenta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.canaryjudge.model.Direction;
import org.canaryjudge.model.InvalidInputException;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.Series;
import org.canaryjudge.model.Violation;
import org.canaryjudge.server.json.JsonFields;
import org.canaryjudge.server.json.RequestReader;

/**
 * One entry of Kayenta's {@code canaryConfig.metrics}, mapped to a judge-core metric
 * specification.
 *
 * <p>{@code analysisConfigurations.canary} is read as Kayenta's judge reads it: {@code direction}
 * (default {@code either}), {@code nanStrategy} (default {@code remove}), {@code critical},
 * {@code mustHaveData}, {@code muted} and {@code effectSize}. The multipliers become relative bands:
 * {@code allowedIncrease} 1.1 is a +10 % hold band, {@code allowedDecrease} 0.9 a −10 % one. A
 * multiplier left at Kayenta's default of 1 ("fail on any significant change") gives no band, so the
 * judge's {@link JudgeSettings#defaultAllowedChange()} stands in. For {@code either} with unequal
 * sides the tighter side is used for both, as judge-core's bands are symmetric; that can only turn a
 * pass into a non-pass, never the reverse.
 *
 * <p>{@code critical} follows Kayenta: a critical metric that fails fails the whole analysis. Left at
 * their default, {@code criticalIncrease}/{@code criticalDecrease} make every breach critical
 * (judge-core's {@code critical}: a hold escalates to a rollback); set above the allowed change they
 * become the rollback band, so only a breach beyond them is critical. A non-critical metric's
 * critical multipliers are ignored, as in Kayenta.
 *
 * <p>{@code analysisConfigurations.canaryJudge}, when present, sets Canary Judge's own fields for the
 * metric ({@code hold}, {@code rollback}, {@code minSamples}, {@code horizon}, {@code confidence},
 * {@code correlation}; docs/contract.md). Its bands, when it gives any, replace those mapped from
 * {@code effectSize} — the way to state an absolute band, which counters with zeros need.
 *
 * <p>Bands mapped from {@code effectSize} are relative, and relative bands need values above zero.
 * Kayenta's judge compares means, which zeros do not stop, and {@code nanStrategy: replace} turns
 * every missing point into a 0. So for a pair whose data have a value at or below zero,
 * {@link #specFor} applies the mapped bands to the baseline's mean instead: the same fraction of it,
 * as an absolute band (see {@link PairSpec#note()}).
 *
 * @param name the metric's name, which its metric set pairs carry
 * @param groups the groups it is scored in
 * @param nanStrategy what a missing point means
 * @param critical Kayenta's {@code critical}: whether this metric's failure fails the whole analysis
 * @param mustHaveData whether a side without data fails the whole analysis
 * @param muted Kayenta's {@code muted}: judged and reported, but left out of every score
 * @param spec the judge-core specification as docs/contract.md's metric JSON, without data; the name is
 *     set per metric set pair by {@link #specFor}
 * @param mapped the bands mapped from {@code effectSize}, or null when
 *     {@code analysisConfigurations.canaryJudge} gives the bands
 */
record KayentaMetricConfig(String name, List<String> groups, NanStrategy nanStrategy, boolean critical,
                           boolean mustHaveData, boolean muted, ObjectNode spec, MappedBands mapped) {

    static final String CANARY = "canary";
    static final String OVERRIDES = "canaryJudge";

    private static final Set<String> CANARY_FIELDS =
        fields("direction", "nanStrategy", "critical", "mustHaveData", "muted", "effectSize", "outliers");
    private static final Set<String> EFFECT_SIZE_FIELDS =
        fields("allowedIncrease", "allowedDecrease", "criticalIncrease", "criticalDecrease", "measure");
    private static final Set<String> OVERRIDE_FIELDS =
        fields("hold", "rollback", "minSamples", "horizon", "confidence", "correlation");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    KayentaMetricConfig {
        groups = List.copyOf(groups);
        spec = spec.deepCopy();
    }

    /**
     * The judge-core specification of one pair, and why its bands differ from the configuration's.
     *
     * @param spec the specification
     * @param note null, or a sentence saying that the relative bands were applied to the baseline's mean
     */
    record PairSpec(MetricSpec spec, String note) {
    }

    /**
     * @param coreName the pair's name in the judge-core request
     * @param baseline the pair's control points, after the nan strategy
     * @param canary its experiment points
     * @return the specification under the name {@code coreName}: the configuration's, except that
     *     mapped relative bands become absolute ones of the same fraction of the baseline's mean
     *     when either side has a value at or below zero and that mean is above zero
     */
    PairSpec specFor(String coreName, Series baseline, Series canary) {
        ObjectNode named = spec.deepCopy().put("name", coreName);
        String note = null;
        boolean judgeable = baseline.observedCount() > 0 && canary.observedCount() > 0;
        if (mapped != null && judgeable && !(baseline.isPositive() && canary.isPositive())) {
            double mean = Arrays.stream(baseline.observed()).average().orElse(Double.NaN);
            if (mean > 0) {
                double hold = mapped.hold() * mean;
                named.putObject("hold").put("absolute", hold);
                String rollback = "";
                if (mapped.rollback() != null) {
                    named.putObject("rollback").put("absolute", mapped.rollback() * mean);
                    rollback = ", rollback beyond " + number(mapped.rollback() * mean);
                }
                note = "The data have values at or below zero" + (nanStrategy == NanStrategy.REPLACE
                    ? " (nanStrategy replace makes a missing point 0)" : "") + ", so the bands of effectSize apply to the"
                    + " baseline's mean of " + number(mean) + " as absolute bands: hold beyond " + number(hold) + rollback + ".";
            }
        }
        return new PairSpec(RequestReader.specification(named, "", Set.of()), note);
    }

    private static String number(double v) {
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /**
     * @param node one element of {@code canaryConfig.metrics}
     * @param pointer its JSON Pointer
     * @param settings the request's judge settings (for the default allowed change)
     * @return the configuration, or null with violations when it cannot be judged
     */
    static KayentaMetricConfig read(JsonNode node, String pointer, JudgeSettings settings, List<Violation> violations) {
        int before = violations.size();
        JsonFields metric = KayentaJson.object(node, pointer, "a metric configuration", violations);
        if (metric == null) {
            return null;
        }
        String name = metric.requiredString("name");
        if (name != null && name.isBlank()) {
            metric.fail("name", "must not be blank");
        }
        List<String> groups = groups(metric, violations);
        JsonFields analysis = KayentaJson.field(metric, "analysisConfigurations", false, null, violations);
        JsonFields canary = analysis == null ? null : KayentaJson.field(analysis, CANARY, false, CANARY_FIELDS, violations);
        JsonFields overrides = analysis == null ? null : KayentaJson.field(analysis, OVERRIDES, false, OVERRIDE_FIELDS, violations);
        canary = canary == null ? new JsonFields(NODES.objectNode(), pointer, violations, CANARY_FIELDS) : canary;

        Direction direction = canary.choice("direction", Direction.class);
        direction = direction == null ? Direction.EITHER : direction;
        NanStrategy nan = canary.choice("nanStrategy", NanStrategy.class);
        boolean critical = Boolean.TRUE.equals(canary.bool("critical"));
        boolean mustHaveData = Boolean.TRUE.equals(canary.bool("mustHaveData"));
        boolean muted = Boolean.TRUE.equals(canary.bool("muted"));
        JsonFields effectSize = KayentaJson.field(canary, "effectSize", false, EFFECT_SIZE_FIELDS, violations);
        MappedBands bands = effectSize == null
            ? MappedBands.of(EffectSize.NONE, direction, critical, settings.defaultAllowedChange(), null, violations)
            : MappedBands.of(EffectSize.read(effectSize), direction, critical, settings.defaultAllowedChange(), effectSize,
                violations);
        if (violations.size() > before) {
            return null;
        }

        ObjectNode spec = NODES.objectNode().put("name", name).put("direction", direction.name().toLowerCase(Locale.ROOT));
        ObjectNode given = overrides == null ? NODES.objectNode() : (ObjectNode) metric.node("analysisConfigurations").get(OVERRIDES);
        boolean overridden = given.has("hold") || given.has("rollback");
        if (overridden) {
            spec.put("critical", critical);
        } else {
            spec.put("critical", bands.critical());
            spec.putObject("hold").put("relative", bands.hold());
            if (bands.rollback() != null) {
                spec.putObject("rollback").put("relative", bands.rollback());
            }
        }
        spec.setAll(given);
        try {
            RequestReader.specification(spec, pointer + "/analysisConfigurations/" + OVERRIDES, Set.of());
        } catch (InvalidInputException e) {
            violations.addAll(e.violations());
            return null;
        }
        return new KayentaMetricConfig(name, groups, nan == null ? NanStrategy.REMOVE : nan, critical, mustHaveData, muted, spec,
            overridden ? null : bands);
    }

    /** {@code groups}: at least one name, as a metric in no group would count in no score. */
    private static List<String> groups(JsonFields metric, List<Violation> violations) {
        JsonNode node = metric.node("groups");
        if (!metric.has("groups") || !node.isArray() || node.isEmpty()) {
            metric.fail("groups", "must be a non-empty array of group names: a metric in no group would count in no score");
            return List.of();
        }
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode g = node.get(i);
            if (!g.isTextual() || g.textValue().isBlank()) {
                violations.add(new Violation(metric.at("groups") + "/" + i, "must be a group name, got " + JsonFields.describe(g)));
            } else if (!groups.contains(g.textValue())) {
                groups.add(g.textValue());
            }
        }
        return groups;
    }

    private static Set<String> fields(String... names) {
        return new LinkedHashSet<>(List.of(names));
    }

    /**
     * Kayenta's {@code effectSize} multipliers, null where not given.
     *
     * @param allowedIncrease at least 1: the increase beyond which the metric fails (1.1 = 10 %)
     * @param allowedDecrease in (0, 1]: the decrease beyond which it fails (0.9 = 10 %)
     * @param criticalIncrease at least 1: the increase beyond which a critical metric fails critically
     * @param criticalDecrease in (0, 1]: likewise for a decrease
     */
    record EffectSize(Double allowedIncrease, Double allowedDecrease, Double criticalIncrease, Double criticalDecrease) {

        static final EffectSize NONE = new EffectSize(null, null, null, null);

        /** Reads the multipliers, with a violation for each out of range and for a {@code measure} other than meanRatio. */
        static EffectSize read(JsonFields f) {
            String measure = f.string("measure");
            if ("cles".equals(measure)) {
                f.fail("measure", "\"cles\" thresholds are probabilities, which cannot be turned into an amount of harm;"
                    + " use the default \"meanRatio\" multipliers (allowedIncrease 1.1 = a 10 % increase)");
            } else if (measure != null && !"meanRatio".equals(measure)) {
                f.fail("measure", "must be \"meanRatio\" (the default), got \"" + measure + "\"");
            }
            return new EffectSize(increase(f, "allowedIncrease"), decrease(f, "allowedDecrease"),
                increase(f, "criticalIncrease"), decrease(f, "criticalDecrease"));
        }

        private static Double increase(JsonFields f, String field) {
            Double v = f.number(field);
            if (v != null && !(v >= 1)) {
                f.fail(field, "must be a multiplier of at least 1 (1.1 = a 10 % increase), got " + v);
                return null;
            }
            return v;
        }

        private static Double decrease(JsonFields f, String field) {
            Double v = f.number(field);
            if (v != null && !(v > 0 && v <= 1)) {
                f.fail(field, "must be a multiplier above 0 and at most 1 (0.9 = a 10 % decrease), got " + v);
                return null;
            }
            return v;
        }
    }

    /**
     * The bands an {@link EffectSize} maps to, as relative amounts in the harmful direction.
     *
     * @param hold the hold band's amount (0.10 = 10 %)
     * @param rollback the rollback band's amount, or null for none
     * @param critical judge-core's {@code critical}: whether a breach of the hold band rolls back
     */
    record MappedBands(double hold, Double rollback, boolean critical) {

        /**
         * @param effectSize the multipliers given
         * @param fields the {@code effectSize} object, for pointers; null when it is absent
         * @return the bands, or null with a violation when a critical multiplier lies inside the
         *     allowed change
         */
        static MappedBands of(EffectSize effectSize, Direction direction, boolean critical, double defaultAllowed,
                              JsonFields fields, List<Violation> violations) {
            double up = changed(effectSize.allowedIncrease()) ? change(effectSize.allowedIncrease()) : defaultAllowed;
            double down = changed(effectSize.allowedDecrease()) ? change(effectSize.allowedDecrease()) : defaultAllowed;
            double hold = switch (direction) {
                case INCREASE -> up;
                case DECREASE -> down;
                case EITHER -> Math.min(up, down);
            };
            if (!critical) {
                return new MappedBands(hold, null, false);
            }
            boolean upGiven = changed(effectSize.criticalIncrease());
            boolean downGiven = changed(effectSize.criticalDecrease());
            Double criticalUp = upGiven ? change(effectSize.criticalIncrease()) : null;
            Double criticalDown = downGiven ? change(effectSize.criticalDecrease()) : null;
            boolean inside = false;
            if (criticalUp != null && direction != Direction.DECREASE && criticalUp < up) {
                fields.fail("criticalIncrease", "must not be below the allowed increase of " + multiplier(1 + up)
                    + (changed(effectSize.allowedIncrease()) ? "" : " (Canary Judge's default when allowedIncrease is not set)")
                    + ", got " + effectSize.criticalIncrease());
                inside = true;
            }
            if (criticalDown != null && direction != Direction.INCREASE && criticalDown < down) {
                fields.fail("criticalDecrease", "must not be above the allowed decrease of " + multiplier(1 - down)
                    + (changed(effectSize.allowedDecrease()) ? "" : " (Canary Judge's default when allowedDecrease is not set)")
                    + ", got " + effectSize.criticalDecrease());
                inside = true;
            }
            if (inside) {
                return null;
            }
            Double rollback = switch (direction) {
                case INCREASE -> criticalUp;
                case DECREASE -> criticalDown;
                case EITHER -> criticalUp != null && criticalDown != null ? Math.min(criticalUp, criticalDown) : null;
            };
            // Without a critical multiplier on a harmful side, every breach there is critical.
            return rollback == null ? new MappedBands(hold, null, true) : new MappedBands(hold, rollback, false);
        }

        /**
         * @return how far a multiplier is from 1, as a fraction: 1.2 and 0.8 are both 0.2. Computed
         *     in decimal, so that the band reads 0.2 rather than 0.19999999999999996.
         */
        private static double change(double multiplier) {
            return BigDecimal.valueOf(multiplier).subtract(BigDecimal.ONE).abs().doubleValue();
        }

        /** A multiplier other than Kayenta's default of 1 ("any significant change"). */
        private static boolean changed(Double multiplier) {
            return multiplier != null && multiplier != 1.0;
        }

        private static String multiplier(double m) {
            return String.format(Locale.ROOT, "%.4g", m).replaceAll("\\.?0+$", "");
        }
    }
}
