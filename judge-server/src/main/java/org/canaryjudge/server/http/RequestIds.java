package org.canaryjudge.server.http;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids: the caller's {@code X-Request-Id} when it is usable, else a fresh random one. */
final class RequestIds {

    static final int MAX_LENGTH = 128;

    private RequestIds() {
    }

    /**
     * @param given the caller's header, or null
     * @return the caller's id with every character outside {@code [A-Za-z0-9._:-]} replaced by
     *     {@code _}, at most 128 characters; a fresh id when none (or a blank one) was given
     */
    static String of(String given) {
        if (given == null || given.isBlank()) {
            return fresh();
        }
        String s = given.strip();
        int n = Math.min(s.length(), MAX_LENGTH);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == ':' || c == '-';
            b.append(ok ? c : '_');
        }
        return b.toString();
    }

    static String fresh() {
        String hex = Long.toHexString(ThreadLocalRandom.current().nextLong());
        return "0".repeat(16 - hex.length()) + hex;
    }
}
