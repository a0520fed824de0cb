package org.canaryjudge.model;

import java.util.Objects;

/**
 * One reason why an input cannot be judged.
 *
 * @param path where the problem is, as JSON-Pointer-like segments relative to the object that was
 *     validated (for example {@code "hold"} or {@code "baseline/3"}); empty for the whole object
 * @param message what is wrong, as a sentence a person can act on
 */
public record Violation(String path, String message) {

    public Violation {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /** @return this violation with {@code prefix} put in front of its path */
    public Violation under(String prefix) {
        return new Violation(path.isEmpty() ? prefix : prefix + "/" + path, message);
    }
}
