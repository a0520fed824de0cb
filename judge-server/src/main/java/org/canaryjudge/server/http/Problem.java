package org.canaryjudge.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import org.canaryjudge.model.Violation;

/**
 * An RFC 9457 problem: the body of every error response, {@code application/problem+json}.
 *
 * @param status the HTTP status
 * @param slug the last part of the {@code type} URI ({@code urn:canary-judge:problem:<slug>})
 * @param title a short summary that is the same for every problem of this type
 * @param detail what went wrong with this request
 * @param errors for validation errors: every violation, each at a JSON Pointer into the request;
 *     empty otherwise
 */
public record Problem(int status, String slug, String title, String detail, List<Violation> errors) {

    public static final String CONTENT_TYPE = "application/problem+json";
    public static final String TYPE_PREFIX = "urn:canary-judge:problem:";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public Problem {
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(detail, "detail");
        errors = List.copyOf(errors);
    }

    /** @return the problem's {@code type} URI */
    public String type() {
        return TYPE_PREFIX + slug;
    }

    /** 400: the body is not JSON, or not a valid request; lists every violation. */
    public static Problem invalidRequest(List<Violation> violations) {
        String detail = violations.size() == 1
            ? describe(violations.get(0))
            : violations.size() + " problems, the first: " + describe(violations.get(0));
        return new Problem(400, "invalid-request", "The request cannot be judged", detail, violations);
    }

    public static Problem unauthorized(String detail) {
        return new Problem(401, "unauthorized", "A valid bearer token is required", detail, List.of());
    }

    /** 403: the credential is valid but does not allow this (a machine token cannot decide for a person). */
    public static Problem forbidden(String detail) {
        return new Problem(403, "forbidden", "Not allowed with this credential", detail, List.of());
    }

    public static Problem notFound(String detail) {
        return new Problem(404, "not-found", "No such endpoint", detail, List.of());
    }

    public static Problem noSuchRollout(String detail) {
        return new Problem(404, "no-such-rollout", "No such rollout", detail, List.of());
    }

    public static Problem methodNotAllowed(String detail) {
        return new Problem(405, "method-not-allowed", "Method not allowed", detail, List.of());
    }

    public static Problem bodyTooLarge(long limit) {
        return new Problem(413, "body-too-large", "The request body is too large",
            "the request body is larger than the limit of " + limit + " bytes", List.of());
    }

    public static Problem unsupportedMediaType(String detail) {
        return new Problem(415, "unsupported-media-type", "The request body must be application/json", detail, List.of());
    }

    public static Problem internalError(String requestId) {
        return new Problem(500, "internal-error", "Internal server error",
            "the server failed unexpectedly; the log has the details under request id " + requestId, List.of());
    }

    public static Problem unavailable(String detail) {
        return new Problem(503, "unavailable", "The service is unavailable", detail, List.of());
    }

    /** A problem found by the HTTP layer itself (a malformed request line, headers too large…). */
    public static Problem http(int status, String reason) {
        String title = reason == null || reason.isBlank() ? "HTTP " + status : reason;
        return new Problem(status, "http-" + status, title, title, List.of());
    }

    /** @return the {@code application/problem+json} body */
    public String toJson() {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("type", type());
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (!errors.isEmpty()) {
            ArrayNode list = body.putArray("errors");
            for (Violation v : errors) {
                list.addObject().put("pointer", v.path()).put("message", v.message());
            }
        }
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String describe(Violation v) {
        return (v.path().isEmpty() ? "" : v.path() + ": ") + v.message();
    }
}
