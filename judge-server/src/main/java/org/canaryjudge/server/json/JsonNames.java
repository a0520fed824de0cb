package org.canaryjudge.server.json;

import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The contract's spelling of enum values: lower case ({@code promote}, {@code either}, {@code fixed}). */
final class JsonNames {

    private JsonNames() {
    }

    static String of(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    static String all(Class<? extends Enum<?>> type) {
        return Stream.of(type.getEnumConstants()).map(e -> "\"" + of(e) + "\"").collect(Collectors.joining(", "));
    }
}
