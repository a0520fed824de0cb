package org.canaryjudge.server.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Sign-ins: random 256-bit ids and tokens, found until they expire or are closed. */
class SessionsTest {

    /** A clock the test moves. */
    private static final class Hands extends Clock {
        Instant now = Instant.parse("2026-12-04T04:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aSessionStandsForItsReviewerUntilItExpiresOrIsClosed() {
        Hands clock = new Hands();
        Sessions sessions = new Sessions(clock, Duration.ofHours(12));
        String ana = sessions.open("Ana Lima");
        String bo = sessions.open("bo");
        assertEquals(32, Base64.getUrlDecoder().decode(ana).length, "256 random bits");
        assertNotEquals(ana, bo);
        Sessions.Session session = sessions.find(ana).orElseThrow();
        assertEquals("Ana Lima", session.reviewer());
        assertEquals(32, Base64.getUrlDecoder().decode(session.csrf()).length);
        assertNotEquals(session.csrf(), sessions.find(bo).orElseThrow().csrf(), "each session its own token");
        assertTrue(session.csrfMatches(session.csrf()));
        assertFalse(session.csrfMatches(session.csrf() + "x"));
        assertFalse(session.csrfMatches(null));
        assertTrue(sessions.find("not-a-session").isEmpty());
        assertTrue(sessions.find(null).isEmpty());

        sessions.close(bo);
        assertTrue(sessions.find(bo).isEmpty(), "signed out");
        clock.now = clock.now.plus(Duration.ofHours(12)).minusSeconds(1);
        assertTrue(sessions.find(ana).isPresent(), "still signed in just before 12 h");
        clock.now = clock.now.plusSeconds(1);
        assertTrue(sessions.find(ana).isEmpty(), "expired at 12 h");
    }

    @Test
    void agesReadAsAPersonSaysThem() {
        Instant now = Instant.parse("2026-12-04T04:00:00Z");
        assertEquals("just now", Ages.ago(now.minusSeconds(59), now));
        assertEquals("just now", Ages.ago(now.plusSeconds(5), now), "another replica's clock a little ahead");
        assertEquals("12 min ago", Ages.ago(now.minusSeconds(12 * 60 + 30), now));
        assertEquals("5 h ago", Ages.ago(now.minus(Duration.ofHours(5)), now));
        assertEquals("3 days ago", Ages.ago(now.minus(Duration.ofDays(3)), now));
    }
}
