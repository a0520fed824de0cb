package org.canaryjudge.server.http;

import java.time.Instant;
import java.util.Locale;

/**
 * One line per request, in logfmt: {@code ts=… rid=… method=POST path=/judge status=200 ms=1.2
 * verdict=hold}; a problem answer adds {@code problem=<slug>}. Values with spaces, quotes or
 * {@code =} are quoted.
 */
final class AccessLog {

    private AccessLog() {
    }

    static String line(Instant ts, String requestId, String method, String path, int status, double ms,
                       String verdict, String problem) {
        StringBuilder b = new StringBuilder(160);
        b.append("ts=").append(ts);
        field(b, "rid", requestId);
        field(b, "method", method);
        field(b, "path", path.length() > 200 ? path.substring(0, 200) + "…" : path);
        b.append(" status=").append(status);
        long tenths = Math.round(ms * 10);
        b.append(" ms=").append(tenths / 10).append('.').append(tenths % 10);
        if (verdict != null) {
            field(b, "verdict", verdict);
        }
        if (problem != null) {
            field(b, "problem", problem);
        }
        return b.toString();
    }

    private static void field(StringBuilder b, String name, String value) {
        b.append(' ').append(name).append('=');
        if (value == null || value.isEmpty()) {
            b.append("\"\"");
            return;
        }
        boolean quote = false;
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c <= ' ' || c == '"' || c == '=' || c == '\\' || c >= 0x7f;
        }
        if (!quote) {
            b.append(value);
            return;
        }
        b.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < ' ' || c == 0x7f) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }
}
