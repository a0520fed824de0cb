package org.canaryjudge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricSpecTest {

    @Test
    void defaultsAreTheContracts() {
        MetricSpec spec = MetricSpec.builder("p99").hold(Band.relative(0.1)).build();
        assertEquals(Direction.INCREASE, spec.direction());
        assertEquals(10, spec.minSamples());
        assertEquals(1, spec.weight());
        assertEquals(Correlation.ADJUST, spec.correlation());
        assertEquals(false, spec.critical());
        assertTrue(spec.confidence().isEmpty());
    }

    @Test
    void reportsEveryInvalidFieldByName() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> MetricSpec.builder(" ")
            .weight(0).minSamples(0).confidence(0.5).build());
        List<String> paths = e.violations().stream().map(Violation::path).toList();
        assertEquals(List.of("name", "", "weight", "minSamples", "confidence"), paths);
        assertTrue(e.getMessage().contains("needs at least one of the bands"), e.getMessage());
    }

    @Test
    void rollbackBandMustNotBeTighterThanHoldOnTheSameScale() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> MetricSpec.builder("p99")
            .hold(Band.relative(0.5)).rollback(Band.relative(0.1)).build());
        assertEquals("rollback", e.violations().get(0).path());
        // A ratio of 1.4 is +40 %: looser than a 10 % hold band, on the same (relative) scale.
        MetricSpec.builder("p99").hold(Band.relative(0.1)).rollback(Band.ratio(1.4)).build();
        assertThrows(InvalidInputException.class, () -> MetricSpec.builder("p99")
            .hold(Band.relative(0.5)).rollback(Band.ratio(1.4)).build());
        // Different scales cannot be compared: both are allowed.
        MetricSpec.builder("p99").hold(Band.relative(0.5)).rollback(Band.absolute(0.001)).build();
    }

    @Test
    void requestRejectsRepeatedNamesAndBadLevels() {
        MetricSpec spec = MetricSpec.builder("p99").hold(Band.relative(0.1)).build();
        Metric m = new Metric(spec, Series.of(1, 2), Series.of(1, 2));
        InvalidInputException e = assertThrows(InvalidInputException.class,
            () -> new JudgeRequest("x", Mode.FIXED, 1.5, List.of(m, m)));
        assertEquals(List.of("confidence", "metrics/1/name"), e.violations().stream().map(Violation::path).toList());
        assertThrows(InvalidInputException.class, () -> new JudgeRequest("x", Mode.FIXED, 0.95, List.of()));
    }

    @Test
    void seriesDropsMissingValuesAndRejectsInfinities() {
        Series s = Series.of(1, Double.NaN, 3);
        assertEquals(3, s.size());
        assertEquals(2, s.observedCount());
        InvalidInputException e = assertThrows(InvalidInputException.class,
            () -> Series.of(1, Double.POSITIVE_INFINITY));
        assertEquals("1", e.violations().get(0).path());
    }
}
