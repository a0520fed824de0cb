package org.canaryjudge.server.source;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Prometheus writes them ({@code 30s}, {@code 5m}, {@code 1h30m}) or as ISO-8601
 * ({@code PT5M}), and back to the Prometheus form that PromQL range selectors need.
 */
public final class Durations {

    private static final Pattern PROMETHEUS = Pattern.compile("(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
    private static final long[] UNIT_SECONDS = {7 * 86_400, 86_400, 3_600, 60, 1};

    private Durations() {
    }

    /**
     * @param text for example {@code 60s}, {@code 1h30m} or {@code PT1M}
     * @return the duration
     * @throws IllegalArgumentException when the text is neither form or not a whole, positive
     *     number of seconds
     */
    public static Duration parse(String text) {
        Duration d;
        Matcher m = PROMETHEUS.matcher(text);
        if (!text.isEmpty() && m.matches()) {
            long seconds = 0;
            for (int g = 1; g <= 5; g++) {
                if (m.group(g) != null) {
                    if (m.group(g).length() > 9) {
                        throw new IllegalArgumentException("\"" + text + "\" is too long a duration");
                    }
                    seconds += Long.parseLong(m.group(g)) * UNIT_SECONDS[g - 1];
                }
            }
            d = Duration.ofSeconds(seconds);
        } else {
            try {
                d = Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("\"" + text + "\" is not a duration; write it like 60s, 5m, 1h30m or PT5M");
            }
        }
        if (d.isNegative() || d.isZero() || d.getNano() != 0) {
            throw new IllegalArgumentException("\"" + text + "\" must be a positive whole number of seconds");
        }
        return d;
    }

    /** @return the duration in Prometheus's form, in seconds: {@code 60s} */
    public static String prometheus(Duration d) {
        return d.getSeconds() + "s";
    }

    /**
     * @return the duration as a word before a noun, for reasons: {@code one-minute}, {@code 30-second},
     *     {@code 5-minute}, {@code 90-second}
     */
    public static String adjective(Duration d) {
        long s = d.getSeconds();
        long[] units = {86_400, 3_600, 60, 1};
        String[] names = {"day", "hour", "minute", "second"};
        for (int i = 0; i < units.length; i++) {
            if (s % units[i] == 0) {
                long n = s / units[i];
                return (n == 1 ? "one" : Long.toString(n)) + "-" + names[i];
            }
        }
        throw new IllegalStateException("unreachable: every duration is a whole number of seconds");
    }
}
