package org.canaryjudge.server.kayenta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.canaryjudge.model.Band;
import org.canaryjudge.model.Direction;
import org.canaryjudge.model.Mode;
import org.canaryjudge.model.MetricSpec;
import org.canaryjudge.model.Series;
import org.canaryjudge.model.Violation;
import org.junit.jupiter.api.Test;

/** How one of Kayenta's metric configurations becomes a judge-core metric specification. */
class KayentaMetricConfigTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String POINTER = "/canaryConfig/metrics/0";

    /** A metric configuration with {@code canary} as its {@code analysisConfigurations.canary}. */
    static JsonNode metric(String canary) {
        return metric(canary, null);
    }

    static JsonNode metric(String canary, String overrides) {
        try {
            return MAPPER.readTree("{\"name\": \"p99\", \"query\": {\"type\": \"prometheus\"}, \"groups\": [\"latency\"],"
                + " \"scopeName\": \"default\", \"analysisConfigurations\": {\"canary\": " + canary
                + (overrides == null ? "" : ", \"canaryJudge\": " + overrides) + "}}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MetricSpec spec(JsonNode metric) {
        return spec(metric, JudgeSettings.DEFAULT);
    }

    static MetricSpec spec(JsonNode metric, JudgeSettings settings) {
        List<Violation> violations = new ArrayList<>();
        KayentaMetricConfig config = KayentaMetricConfig.read(metric, POINTER, settings, violations);
        assertEquals(List.of(), violations);
        return config.specFor("p99", POSITIVE, POSITIVE).spec();
    }

    static List<Violation> violations(JsonNode metric) {
        List<Violation> violations = new ArrayList<>();
        assertNull(KayentaMetricConfig.read(metric, POINTER, JudgeSettings.DEFAULT, violations));
        assertFalse(violations.isEmpty());
        return violations;
    }

    static final Series POSITIVE = Series.of(1, 2, 3);

    @Test
    void mutedIsReadAsKayentaWritesIt() {
        List<Violation> violations = new ArrayList<>();
        KayentaMetricConfig config = KayentaMetricConfig.read(metric("{\"muted\": true, \"critical\": true}"), POINTER,
            JudgeSettings.DEFAULT, violations);
        assertEquals(List.of(), violations);
        assertTrue(config.muted());
        assertTrue(config.critical());
        assertFalse(violations(metric("{\"muted\": \"yes\"}")).isEmpty());
    }

    @Test
    void withZerosInTheDataTheMappedBandsApplyToTheBaselinesMean() {
        List<Violation> violations = new ArrayList<>();
        KayentaMetricConfig config = KayentaMetricConfig.read(metric("{\"direction\": \"increase\", \"nanStrategy\": \"replace\","
            + " \"critical\": true, \"effectSize\": {\"allowedIncrease\": 1.2, \"criticalIncrease\": 2}}"), POINTER,
            JudgeSettings.DEFAULT, violations);
        assertEquals(List.of(), violations);
        KayentaMetricConfig.PairSpec positive = config.specFor("p99", POSITIVE, POSITIVE);
        assertEquals(Optional.of(Band.relative(0.2)), positive.spec().hold());
        assertNull(positive.note());

        KayentaMetricConfig.PairSpec zeros = config.specFor("p99", Series.of(0, 4, 8), POSITIVE);
        assertEquals(Optional.of(Band.absolute(0.2 * 4)), zeros.spec().hold());
        assertEquals(Optional.of(Band.absolute(1.0 * 4)), zeros.spec().rollback());
        assertTrue(zeros.note().contains("baseline's mean of 4 as absolute bands: hold beyond 0.8, rollback beyond 4"),
            zeros.note());
        assertTrue(zeros.note().contains("nanStrategy replace"), zeros.note());
        assertEquals(Optional.of(Band.absolute(0.2 * 2)), config.specFor("p99", POSITIVE, Series.of(0, 0)).spec().hold(),
            "zeros on the canary's side too");

        KayentaMetricConfig.PairSpec allZero = config.specFor("p99", Series.of(0, 0, 0), POSITIVE);
        assertEquals(Optional.of(Band.relative(0.2)), allZero.spec().hold(), "a baseline mean of 0 scales nothing");
        KayentaMetricConfig overridden = KayentaMetricConfig.read(metric("{\"nanStrategy\": \"replace\"}",
            "{\"hold\": {\"relative\": 0.3}}"), POINTER, JudgeSettings.DEFAULT, violations);
        assertEquals(Optional.of(Band.relative(0.3)), overridden.specFor("p99", Series.of(0, 4, 8), POSITIVE).spec().hold(),
            "bands the metric states itself are kept as stated");
    }

    @Test
    void allowedMultipliersAreRelativeHoldBandsInTheHarmfulDirection() {
        MetricSpec up = spec(metric("{\"direction\": \"increase\", \"effectSize\": {\"allowedIncrease\": 1.25, \"allowedDecrease\": 0.5}}"));
        assertEquals(Direction.INCREASE, up.direction());
        assertEquals(Optional.of(Band.relative(0.25)), up.hold());
        assertEquals(Optional.empty(), up.rollback());
        assertFalse(up.critical());
        MetricSpec down = spec(metric("{\"direction\": \"decrease\", \"effectSize\": {\"allowedIncrease\": 3, \"allowedDecrease\": 0.9}}"));
        assertEquals(Direction.DECREASE, down.direction());
        assertEquals(0.1, down.hold().orElseThrow().amount(), 1e-12);
    }

    @Test
    void eitherTakesTheTighterSideForBoth() {
        MetricSpec either = spec(metric("{\"direction\": \"either\", \"effectSize\": {\"allowedIncrease\": 1.3, \"allowedDecrease\": 0.95}}"));
        assertEquals(Direction.EITHER, either.direction());
        assertEquals(0.05, either.hold().orElseThrow().amount(), 1e-12);
        either = spec(metric("{\"direction\": \"either\", \"effectSize\": {\"allowedIncrease\": 1.05, \"allowedDecrease\": 0.7}}"));
        assertEquals(0.05, either.hold().orElseThrow().amount(), 1e-12);
    }

    @Test
    void kayentasDefaultsAreEitherRemoveAndTheDefaultAllowedChange() {
        List<Violation> violations = new ArrayList<>();
        KayentaMetricConfig config = KayentaMetricConfig.read(metric("{}"), POINTER, JudgeSettings.DEFAULT, violations);
        assertEquals(NanStrategy.REMOVE, config.nanStrategy());
        assertFalse(config.mustHaveData());
        assertEquals(List.of("latency"), config.groups());
        assertFalse(config.muted());
        assertFalse(config.critical());
        MetricSpec spec = config.specFor("p99", POSITIVE, POSITIVE).spec();
        assertEquals(Direction.EITHER, spec.direction());
        assertEquals(Optional.of(Band.relative(0.10)), spec.hold());
        MetricSpec ones = spec(metric("{\"direction\": \"increase\", \"effectSize\": {\"allowedIncrease\": 1.0}}"),
            new JudgeSettings(Mode.FIXED, 0.9, 0.05));
        assertEquals(Optional.of(Band.relative(0.05)), ones.hold(), "a multiplier of 1 is no band: the default stands in");
    }

    @Test
    void aCriticalMetricWithoutCriticalMultipliersEscalatesEveryBreach() {
        MetricSpec spec = spec(metric("{\"direction\": \"increase\", \"critical\": true, \"effectSize\": {\"allowedIncrease\": 1.1}}"));
        assertTrue(spec.critical());
        assertEquals(Optional.empty(), spec.rollback());
    }

    @Test
    void aCriticalMultiplierBecomesTheRollbackBandAndOnlyItsBreachIsCritical() {
        MetricSpec up = spec(metric("{\"direction\": \"increase\", \"critical\": true,"
            + " \"effectSize\": {\"allowedIncrease\": 1.1, \"criticalIncrease\": 2.0}}"));
        assertFalse(up.critical());
        assertEquals(Optional.of(Band.relative(1.0)), up.rollback());
        MetricSpec down = spec(metric("{\"direction\": \"decrease\", \"critical\": true,"
            + " \"effectSize\": {\"allowedDecrease\": 0.9, \"criticalDecrease\": 0.5}}"));
        assertEquals(Optional.of(Band.relative(0.5)), down.rollback());
        MetricSpec either = spec(metric("{\"direction\": \"either\", \"critical\": true,"
            + " \"effectSize\": {\"allowedIncrease\": 1.1, \"allowedDecrease\": 0.9, \"criticalIncrease\": 1.5, \"criticalDecrease\": 0.8}}"));
        assertEquals(0.2, either.rollback().orElseThrow().amount(), 1e-12, "the tighter critical side");
        assertFalse(either.critical());
    }

    @Test
    void anEitherMetricWithOneCriticalSideLeftAtItsDefaultEscalatesEveryBreach() {
        MetricSpec spec = spec(metric("{\"direction\": \"either\", \"critical\": true,"
            + " \"effectSize\": {\"allowedIncrease\": 1.1, \"allowedDecrease\": 0.9, \"criticalIncrease\": 1.5}}"));
        assertTrue(spec.critical());
        assertEquals(Optional.empty(), spec.rollback());
    }

    @Test
    void aMetricThatIsNotCriticalIgnoresCriticalMultipliersAsKayentaDoes() {
        MetricSpec spec = spec(metric("{\"direction\": \"increase\", \"effectSize\": {\"allowedIncrease\": 1.1, \"criticalIncrease\": 1.5}}"));
        assertFalse(spec.critical());
        assertEquals(Optional.empty(), spec.rollback());
    }

    @Test
    void outOfRangeMultipliersAndACriticalBandInsideTheAllowedOneAreViolations() {
        assertEquals(List.of(POINTER + "/analysisConfigurations/canary/effectSize/allowedIncrease",
                POINTER + "/analysisConfigurations/canary/effectSize/allowedDecrease"),
            violations(metric("{\"effectSize\": {\"allowedIncrease\": 0.8, \"allowedDecrease\": 0}}")).stream().map(Violation::path).toList());
        List<Violation> inside = violations(metric("{\"direction\": \"increase\", \"critical\": true,"
            + " \"effectSize\": {\"criticalIncrease\": 1.05}}"));
        assertEquals(POINTER + "/analysisConfigurations/canary/effectSize/criticalIncrease", inside.get(0).path());
        assertTrue(inside.get(0).message().contains("1.1 (Canary Judge's default when allowedIncrease is not set)"), inside.get(0).message());
        assertEquals(POINTER + "/analysisConfigurations/canary/effectSize/measure",
            violations(metric("{\"effectSize\": {\"measure\": \"cles\", \"allowedIncrease\": 0.6}}")).get(0).path());
    }

    @Test
    void canaryJudgeBandsReplaceTheMappedOnesAndKeepKayentasCritical() {
        MetricSpec spec = spec(metric("{\"direction\": \"increase\", \"critical\": true, \"effectSize\": {\"allowedIncrease\": 1.1}}",
            "{\"hold\": {\"absolute\": 0.05}, \"minSamples\": 20, \"correlation\": \"ignore\"}"));
        assertEquals(Optional.of(Band.absolute(0.05)), spec.hold());
        assertEquals(Optional.empty(), spec.rollback());
        assertTrue(spec.critical());
        assertEquals(20, spec.minSamples());
        MetricSpec tuned = spec(metric("{\"direction\": \"increase\", \"effectSize\": {\"allowedIncrease\": 1.2}}", "{\"horizon\": 240}"));
        assertEquals(Optional.of(Band.relative(0.2)), tuned.hold(), "without bands of its own, the mapped band stays");
        assertEquals(240, tuned.horizon().getAsInt());
        assertEquals(List.of(POINTER + "/analysisConfigurations/canaryJudge/direction"),
            violations(metric("{}", "{\"direction\": \"decrease\"}")).stream().map(Violation::path).toList(),
            "the direction is Kayenta's to set");
    }

    @Test
    void scoreThresholdsAreInclusiveLowerBounds() {
        ScoreThresholds t = new ScoreThresholds(95, 75);
        assertEquals("Pass", t.classify(95));
        assertEquals("Marginal", t.classify(94.99));
        assertEquals("Marginal", t.classify(75));
        assertEquals("Fail", t.classify(74.99));
    }
}
