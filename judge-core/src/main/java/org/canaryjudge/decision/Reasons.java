package org.canaryjudge.decision;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import org.canaryjudge.model.Band;
import org.canaryjudge.model.Direction;
import org.canaryjudge.model.Effect;
import org.canaryjudge.model.EffectScale;
import org.canaryjudge.model.MetricType;

/**
 * Plain-language phrases for reasons: effects, intervals and bands as a person on call reads them.
 * Relative effects read as percentages; absolute effects of a rate as percentage points.
 */
final class Reasons {

    private Reasons() {
    }

    /** "canary is 31 % higher than baseline (95 % interval +18 % to +45 %)". */
    static String effect(Effect effect, MetricType type) {
        double e = effect.estimate();
        String subject = type == MetricType.RATE ? "canary rate" : "canary";
        String size;
        if (Double.isNaN(e)) {
            size = subject + " cannot be compared with baseline yet";
        } else if (e == 0) {
            size = subject + " is the same as baseline";
        } else {
            size = subject + " is " + magnitude(Math.abs(e), effect.scale(), type) + (e > 0 ? " higher" : " lower")
                + " than baseline";
        }
        return size + " (" + level(effect.confidence()) + " interval "
            + signed(effect.interval().lower(), effect.scale(), type) + " to "
            + signed(effect.interval().upper(), effect.scale(), type) + ")";
    }

    /** "the +10 % hold band", "the ±0.005 rollback band", "the hold band of 2× baseline". */
    static String band(String role, Band band, Direction direction, MetricType type) {
        if (band.kind() == Band.Kind.RATIO) {
            String r = number(band.amount());
            String limit = switch (direction) {
                case INCREASE -> r + "× baseline";
                case DECREASE -> "baseline / " + r;
                case EITHER -> r + "× or 1/" + r + " of baseline";
            };
            return "the " + role + " band of " + limit;
        }
        String sign = switch (direction) {
            case INCREASE -> "+";
            case DECREASE -> "-";
            case EITHER -> "±";
        };
        String amount = type == MetricType.RATE && band.scale() == EffectScale.ABSOLUTE
            ? number(band.amount() * 100) + " point"
            : magnitude(band.amount(), band.scale(), type);
        return "the " + sign + amount + " " + role + " band";
    }

    /** "95 %", "97.5 %". */
    static String level(double confidence) {
        return number(confidence * 100) + " %";
    }

    /** A signed effect: "+18 %", "-2.0 %", "+0.0042", "+0.21 points". */
    static String signed(double value, EffectScale scale, MetricType type) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "+∞" : "-∞";
        }
        if (value == 0) {
            return "0";
        }
        return (value > 0 ? "+" : "-") + magnitude(Math.abs(value), scale, type);
    }

    /** A non-negative amount: "31 %" relative, "12.5" absolute, "0.5 points" for a rate's absolute change. */
    static String magnitude(double value, EffectScale scale, MetricType type) {
        if (Double.isInfinite(value)) {
            return "∞";
        }
        if (scale == EffectScale.RELATIVE) {
            return percent(value);
        }
        return type == MetricType.RATE ? number(value * 100) + (value == 0.01 ? " point" : " points") : number(value);
    }

    /** Whole numbers with thousands separators: "1,200". */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Two significant digits below 10 %, whole percents above: "0.45 %", "3.1 %", "31 %". */
    static String percent(double fraction) {
        double p = fraction * 100;
        if (p >= 10) {
            return String.format(Locale.ROOT, "%.0f %%", p);
        }
        // Keep the trailing zero ("1.0 %"): two digits read as a precision, not a round number.
        return new BigDecimal(p).round(new MathContext(2)).toPlainString() + " %";
    }

    /** Three significant digits, plain for ordinary magnitudes and scientific for extreme ones. */
    static String number(double value) {
        if (value == 0) {
            return "0";
        }
        double a = Math.abs(value);
        if (a < 1e-3 || a >= 1e7) {
            return String.format(Locale.ROOT, "%.2e", value);
        }
        return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
