package org.canaryjudge.server.ui;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The review page's sign-ins, held in this server's memory (a restart signs everybody out): a
 * session is a random 256-bit id, sent as an HttpOnly, SameSite=Strict cookie, that stands for a
 * reviewer until it expires or they sign out. Each session has its own random 256-bit token against
 * cross-site requests (a synchronizer token) that its forms carry and each post must present.
 *
 * <p>Sessions are found by the SHA-256 digest of their id, so neither the ids nor the time a look-up
 * takes give away an id; the tokens are compared with {@link MessageDigest#isEqual}.
 */
public final class Sessions {

    /** A session's id and cross-site token: 256 random bits each. */
    private static final int RANDOM_BYTES = 32;
    /** The most sessions kept at once; past it the one expiring soonest is dropped to make room. */
    static final int MAX_SESSIONS = 10_000;

    /**
     * A signed-in reviewer.
     *
     * @param reviewer the reviewer's name
     * @param csrf the token the session's forms carry
     * @param expires when the session ends
     */
    public record Session(String reviewer, String csrf, Instant expires) {

        /** @return whether {@code given} is this session's cross-site token, compared in constant time */
        public boolean csrfMatches(String given) {
            return given != null && MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final Duration lifetime;

    /** @param lifetime how long a sign-in lasts */
    public Sessions(Clock clock, Duration lifetime) {
        this.clock = clock;
        this.lifetime = lifetime;
    }

    /** @return how long a sign-in lasts */
    public Duration lifetime() {
        return lifetime;
    }

    /**
     * Signs a reviewer in.
     *
     * @return the new session's id, for the cookie
     */
    public String open(String reviewer) {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> !s.expires().isAfter(now));
        while (sessions.size() >= MAX_SESSIONS) {
            sessions.entrySet().stream().min(Comparator.comparing(e -> e.getValue().expires()))
                .ifPresent(e -> sessions.remove(e.getKey()));
        }
        String id = randomToken();
        sessions.put(digest(id), new Session(reviewer, randomToken(), now.plus(lifetime)));
        return id;
    }

    /** @return the session with this id, unless there is none or it expired */
    public Optional<Session> find(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        String key = digest(id);
        Session s = sessions.get(key);
        if (s != null && !s.expires().isAfter(clock.instant())) {
            sessions.remove(key);
            return Optional.empty();
        }
        return Optional.ofNullable(s);
    }

    /** Signs the session's reviewer out. */
    public void close(String id) {
        if (id != null && !id.isEmpty()) {
            sessions.remove(digest(id));
        }
    }

    private String randomToken() {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String digest(String id) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
