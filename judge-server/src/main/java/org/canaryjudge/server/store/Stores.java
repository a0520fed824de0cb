package org.canaryjudge.server.store;

import java.nio.file.Path;

/** Opens the store a {@code serve --store URL} names (docs/api.md, "Rollouts"). */
public final class Stores {

    /** The value of {@code --store} that keeps nothing. */
    public static final String NONE = "none";
    /** The environment variable holding the PostgreSQL password, kept out of the URL and the process list. */
    public static final String PASSWORD_ENV = "CANARY_JUDGE_STORE_PASSWORD";
    /** The environment variable holding the PostgreSQL user, when the URL names none. */
    public static final String USER_ENV = "CANARY_JUDGE_STORE_USER";

    private Stores() {
    }

    /** @return where the SQLite file is when {@code --store} is not given: {@code ~/.local/state/canary-judge/rollouts.db} */
    public static Path defaultFile() {
        return Path.of(System.getProperty("user.home"), ".local", "state", "canary-judge", "rollouts.db");
    }

    /** @return the default {@code --store}: the SQLite file at {@link #defaultFile()} */
    public static String defaultUrl() {
        return "jdbc:sqlite:" + defaultFile();
    }

    /**
     * @param url {@code jdbc:sqlite:PATH}, {@code jdbc:postgresql://HOST:PORT/DB} or {@code none}
     * @return the store, or null for {@code none}
     * @throws IllegalArgumentException when the URL names no store this server knows
     * @throws StoreException when the store cannot be opened or migrated
     */
    public static RolloutStore open(String url) {
        if (url.equals(NONE)) {
            return null;
        }
        if (url.startsWith("jdbc:sqlite:")) {
            String path = url.substring("jdbc:sqlite:".length());
            if (path.isBlank() || path.startsWith(":memory:") || path.contains("?")) {
                throw new IllegalArgumentException("--store jdbc:sqlite: needs a file path (no :memory:, no parameters), got \"" + url + "\"");
            }
            return JdbcRolloutStore.sqlite(Path.of(path));
        }
        if (url.startsWith("jdbc:postgresql://")) {
            String user = System.getenv(USER_ENV);
            String password = System.getenv(PASSWORD_ENV);
            return JdbcRolloutStore.postgresql(url, blankToNull(user), blankToNull(password));
        }
        throw new IllegalArgumentException("--store must be jdbc:sqlite:PATH, jdbc:postgresql://HOST:PORT/DB or none, got \""
            + (url.length() > 100 ? url.substring(0, 100) + "…" : url) + "\"");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
