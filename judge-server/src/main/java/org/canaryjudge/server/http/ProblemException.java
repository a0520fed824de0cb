package org.canaryjudge.server.http;

import java.util.Map;

/**
 * Thrown by a handler to answer with a problem body. It carries no stack trace: it is an answer,
 * not a failure.
 */
final class ProblemException extends RuntimeException {

    private final transient Problem problem;
    private final transient Map<String, String> headers;

    ProblemException(Problem problem) {
        this(problem, Map.of());
    }

    ProblemException(Problem problem, Map<String, String> headers) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.headers = Map.copyOf(headers);
    }

    Problem problem() {
        return problem;
    }

    /** @return headers to send with the problem, such as {@code WWW-Authenticate} */
    Map<String, String> headers() {
        return headers;
    }
}
