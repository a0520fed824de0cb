package org.canaryjudge.model;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when an input cannot be judged; carries every violation found, not just the first. */
public final class InvalidInputException extends IllegalArgumentException {

    private final transient List<Violation> violations;

    /** @param violations what is wrong; must not be empty */
    public InvalidInputException(List<Violation> violations) {
        super(violations.stream()
            .map(v -> (v.path().isEmpty() ? "" : v.path() + ": ") + v.message())
            .collect(Collectors.joining("; ")));
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("an invalid input needs at least one violation");
        }
        this.violations = List.copyOf(violations);
    }

    /** @return every violation found */
    public List<Violation> violations() {
        return violations;
    }

    /** Throws when {@code violations} is not empty. */
    static void throwIfAny(List<Violation> violations) {
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
    }
}
