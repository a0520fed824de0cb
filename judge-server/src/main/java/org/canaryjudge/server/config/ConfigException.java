package org.canaryjudge.server.config;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.canaryjudge.model.Violation;

/**
 * A configuration file that cannot be used. The message names the file and, one per line, every
 * problem at its line and JSON Pointer ({@code line 12: /configs/checkout/metrics/0/hold: …}); it
 * is meant to be printed as it is, without a stack trace.
 */
public final class ConfigException extends RuntimeException {

    private final transient List<Violation> violations;

    ConfigException(Path file, String problem) {
        super("invalid configuration file " + file + ": " + problem);
        this.violations = List.of(new Violation("", problem));
    }

    ConfigException(Path file, List<Violation> violations, YamlLines lines) {
        super("invalid configuration file " + file + ":\n" + violations.stream()
            .map(v -> "  " + lines.line(v.path()).stream().mapToObj(n -> "line " + n + ": ").findFirst().orElse("")
                + (v.path().isEmpty() ? "(whole file)" : v.path()) + ": " + v.message())
            .collect(Collectors.joining("\n")));
        this.violations = List.copyOf(violations);
    }

    /** @return every problem, each at a JSON Pointer into the file (empty pointer: the whole file) */
    public List<Violation> violations() {
        return violations;
    }
}
