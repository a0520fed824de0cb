package org.canaryjudge.server.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.canaryjudge.model.Band;
import org.canaryjudge.model.Effect;
import org.canaryjudge.model.EffectScale;
import org.canaryjudge.model.MetricType;

/** Plain-text renderings of the report's values: names, times, bands and effects. */
public final class Formats {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
        .withZone(ZoneOffset.UTC);

    private Formats() {
    }

    /** @return the contract's spelling of an enum value: {@code ROLLBACK} → {@code rollback} */
    static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** @return epoch seconds as {@code 2024-05-01 12:05:00}, in UTC */
    public static String time(long epochSeconds) {
        return TIME.format(Instant.ofEpochSecond(epochSeconds));
    }

    /** @return a look interval as a fixture's reader would say it: {@code PT10M} → {@code 10m} */
    static String interval(Duration interval) {
        return interval.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    /** @return a band as written in a fixture: {@code relative 0.1} */
    static String band(Band band) {
        return name(band.kind()) + " " + number(band.amount());
    }

    /** @return an effect and its interval: {@code +3.1% [-1.0%, +7.2%]}, {@code +0.21pt […]}, {@code +12.5 […]} */
    /** @return an effect and its interval in one short phrase: "+3.1% [-1.0%, +7.2%]", "+0.21pt [...]" */
    public static String effect(Effect e, MetricType type) {
        return signed(e.estimate(), e.scale(), type) + " [" + signed(e.interval().lower(), e.scale(), type) + ", "
            + signed(e.interval().upper(), e.scale(), type) + "]";
    }

    private static String signed(double v, EffectScale scale, MetricType type) {
        if (Double.isNaN(v)) {
            return "?";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+∞" : "−∞";
        }
        if (scale == EffectScale.RELATIVE) {
            return String.format(Locale.ROOT, "%+.1f%%", v * 100);
        }
        if (type == MetricType.RATE) {
            return String.format(Locale.ROOT, "%+.2fpt", v * 100);
        }
        return String.format(Locale.ROOT, "%+.3g", v);
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
