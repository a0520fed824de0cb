package org.canaryjudge.server.store;

/** The store could not be read or written; the message says what and where, in plain words. */
public final class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
