package org.canaryjudge.server.ui;

import java.time.Duration;
import java.time.Instant;

/** How long ago something happened, in the words a person glancing at the page reads fastest. */
final class Ages {

    private Ages() {
    }

    /**
     * @return "just now" under a minute, then "12 min ago" under an hour, "5 h ago" under two days,
     *     else "3 days ago"; a time in the future (clocks of replicas differ) is "just now"
     */
    static String ago(Instant then, Instant now) {
        long seconds = Duration.between(then, now).toSeconds();
        if (seconds < 60) {
            return "just now";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min ago";
        }
        if (seconds < 48 * 3600) {
            return seconds / 3600 + " h ago";
        }
        return seconds / 86400 + " days ago";
    }
}
