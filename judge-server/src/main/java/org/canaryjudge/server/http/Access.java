package org.canaryjudge.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import org.canaryjudge.server.flagger.FlaggerWebhook;
import org.canaryjudge.server.review.Reviewers;

/**
 * Who may do what, in one place (docs/api.md, "Authentication"): the machine token
 * ({@code --token-file}) for judging and planning, the machine token or a reviewer's for reading
 * rollouts, a reviewer's token for a decision. Without a machine token, judging and reading are
 * open. Every comparison takes constant time; no token is ever logged or echoed.
 */
final class Access {

    private static final Map<String, String> CHALLENGE = Map.of("WWW-Authenticate", "Bearer realm=\"canary-judge\"");
    private static final Map<String, String> INVALID = Map.of("WWW-Authenticate",
        "Bearer realm=\"canary-judge\", error=\"invalid_token\"");

    private final byte[] token;
    private final Reviewers reviewers;

    /**
     * @param token the machine token, or null for none
     * @param reviewers the people who may decide
     */
    Access(String token, Reviewers reviewers) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.reviewers = reviewers;
    }

    /** @return whether the server has a machine token */
    boolean hasToken() {
        return token != null;
    }

    /** 401 unless the request carries the machine token (or the server has none). */
    void machine(Context ctx) {
        if (token == null) {
            return;
        }
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw new ProblemException(Problem.unauthorized("this server requires an \"Authorization: Bearer <token>\" header"),
                CHALLENGE);
        }
        if (!isMachine(bearer(ctx))) {
            throw new ProblemException(Problem.unauthorized("the bearer token is not the one this server accepts"), INVALID);
        }
    }

    /** @return whether the request may read rollouts: the machine token, a reviewer's, or a server without a token */
    boolean mayRead(Context ctx) {
        String given = bearer(ctx);
        return token == null || reviewers.identify(given).isPresent() || isMachine(given);
    }

    /** 401 unless the request may read rollouts. */
    void reader(Context ctx) {
        if (!mayRead(ctx)) {
            machine(ctx);
        }
    }

    /** @return the reviewer whose token the request carries, if it carries one */
    Optional<String> reviewerOf(Context ctx) {
        return reviewers.identify(bearer(ctx));
    }

    /**
     * @return the name of the reviewer whose token the request carries: 401 without one, 403 for the
     *     machine token, which identifies no person, and on a server without reviewers
     */
    String reviewer(Context ctx) {
        String given = bearer(ctx);
        if (!reviewers.any()) {
            throw new ProblemException(Problem.forbidden("this server has no reviewers; start it with --reviewers FILE"
                + " (name:token lines) to let people decide"));
        }
        if (given == null) {
            throw new ProblemException(Problem.unauthorized("a decision needs a reviewer's \"Authorization: Bearer <token>\" header"),
                CHALLENGE);
        }
        Optional<String> name = reviewers.identify(given);
        if (name.isPresent()) {
            return name.get();
        }
        if (isMachine(given)) {
            throw new ProblemException(Problem.forbidden("the machine token identifies no person; a decision needs a reviewer's token"));
        }
        throw new ProblemException(Problem.unauthorized("the bearer token is not a reviewer's"), INVALID);
    }

    /**
     * @return whether a Flagger webhook's token is to be found in its payload: the server has a token
     *     and the request sends no {@code Authorization} header (Flagger cannot send headers)
     */
    boolean tokenInPayload(Context ctx) {
        String header = ctx.header("Authorization");
        return token != null && (header == null || header.isBlank());
    }

    /** 401 unless the payload's {@code metadata.token} is the machine token. */
    void payloadToken(JsonNode payload) {
        String given = payload.path("metadata").path(FlaggerWebhook.TOKEN).asText("");
        if (!isMachine(given)) {
            throw unauthorizedPayload(given.isEmpty() ? "this server requires a token: an \"Authorization: Bearer <token>\""
                + " header or the webhook's metadata.token" : "the metadata.token is not the one this server accepts");
        }
    }

    /** @return a 401 for a webhook whose payload must carry the token */
    static ProblemException unauthorizedPayload(String detail) {
        return new ProblemException(Problem.unauthorized(detail), CHALLENGE);
    }

    private boolean isMachine(String given) {
        return token != null && given != null && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
    }

    /** @return the bearer token of the {@code Authorization} header, or null */
    private static String bearer(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String given = header.substring(7).strip();
        return given.isEmpty() ? null : given;
    }
}
