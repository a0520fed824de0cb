package org.canaryjudge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The band table of docs/contract.md, "Metric specification". */
class BandTest {

    private static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void absoluteAndRelativeBandsLimitTheHarmfulSide() {
        for (Band b : new Band[] {Band.absolute(0.005), Band.relative(0.005)}) {
            assertEquals(new Interval(-INF, 0.005), b.allowed(Direction.INCREASE));
            assertEquals(new Interval(-0.005, INF), b.allowed(Direction.DECREASE));
            assertEquals(new Interval(-0.005, 0.005), b.allowed(Direction.EITHER));
        }
    }

    @Test
    void ratioBandsLimitToRTimesOrOneOverR() {
        Band b = Band.ratio(2.0);
        assertEquals(new Interval(-INF, 1.0), b.allowed(Direction.INCREASE));
        assertEquals(new Interval(-0.5, INF), b.allowed(Direction.DECREASE));
        assertEquals(new Interval(-0.5, 1.0), b.allowed(Direction.EITHER));
        assertEquals(EffectScale.RELATIVE, b.scale());
        assertEquals(EffectScale.ABSOLUTE, Band.absolute(1).scale());
    }

    @Test
    void beyondIsStrict() {
        Interval allowed = Band.relative(0.10).allowed(Direction.INCREASE);
        assertEquals(true, allowed.contains(0.10));
        assertEquals(false, allowed.isDisjointFrom(new Interval(0.10, 0.2)));
        assertEquals(true, allowed.isDisjointFrom(new Interval(0.1000001, 0.2)));
    }

    @Test
    void rejectsAmountsThatAreNotHarm() {
        assertThrows(InvalidInputException.class, () -> Band.absolute(0));
        assertThrows(InvalidInputException.class, () -> Band.relative(-0.1));
        assertThrows(InvalidInputException.class, () -> Band.ratio(1.0));
        assertThrows(InvalidInputException.class, () -> Band.absolute(Double.NaN));
        assertThrows(InvalidInputException.class, () -> Band.absolute(Double.POSITIVE_INFINITY));
    }

    /** The README promises InvalidInputException for every invalid specification, a band included. */
    @Test
    void aZeroBandIsAnInvalidInputWithItsViolation() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Band.relative(0));
        assertEquals(List.of(new Violation("", "a band's amount must be a finite number above 0, got 0.0")), e.violations());
        assertEquals("a band's amount must be a finite number above 0, got 0.0", e.getMessage());
    }
}
