package org.canaryjudge.server.source;

/** A query a source did not answer with data; the message says why, for the metric's reason. */
public final class SourceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message a plain sentence naming the source, e.g. "Prometheus source \"prom\" answered HTTP 503" */
    public SourceException(String message) {
        super(message, null, false, false);
    }
}
