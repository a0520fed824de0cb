package org.canaryjudge.server.review;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The people who may decide on rollouts ({@code serve --reviewers FILE}): one {@code name:token}
 * per line. A token identifies its reviewer; the server's machine token is not a reviewer's.
 *
 * <p>Tokens are kept as SHA-256 digests and a presented token is compared with every one of them
 * with {@link MessageDigest#isEqual}, without stopping at a match, so the time an answer takes says
 * nothing about which tokens exist or how much of one was guessed.
 */
public final class Reviewers {

    /** A reviewer's name: what decisions record as {@code by}. */
    public static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} ._@-]{1,100}");
    /** Shorter tokens are too easy to guess for a credential that can approve a rollout. */
    public static final int MIN_TOKEN_LENGTH = 16;

    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]+");

    private final Map<String, byte[]> digests;

    private Reviewers(Map<String, byte[]> digests) {
        this.digests = digests;
    }

    /** @return nobody: decisions cannot be made */
    public static Reviewers none() {
        return new Reviewers(Map.of());
    }

    /**
     * @throws IllegalArgumentException naming the file and every bad line
     */
    public static Reviewers read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such reviewers file: " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the reviewers file " + file + ": " + e.getMessage());
        }
        return parse(file.toString(), lines);
    }

    /**
     * @param source where the lines come from, for the messages
     * @param lines {@code name:token} lines; blank lines and lines starting with {@code #} are skipped
     * @throws IllegalArgumentException naming every bad line
     */
    public static Reviewers parse(String source, List<String> lines) {
        Map<String, byte[]> digests = new LinkedHashMap<>();
        Set<String> tokens = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = "line " + (i + 1) + ": ";
            int colon = line.indexOf(':');
            if (colon < 0) {
                problems.add(where + "must be name:token");
                continue;
            }
            String name = line.substring(0, colon).strip();
            String token = line.substring(colon + 1).strip();
            if (!NAME.matcher(name).matches()) {
                problems.add(where + "the name must be 1 to 100 letters, digits, spaces or ._@-");
            } else if (digests.containsKey(name)) {
                problems.add(where + "the reviewer " + name + " is named twice");
            }
            if (!TOKEN.matcher(token).matches() || token.length() < MIN_TOKEN_LENGTH) {
                problems.add(where + "the token must be at least " + MIN_TOKEN_LENGTH
                    + " printable ASCII characters without spaces (the line itself is not shown)");
            } else if (!tokens.add(token)) {
                problems.add(where + "the token is also another reviewer's; each person needs their own");
            }
            digests.putIfAbsent(name, digest(token));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the reviewers file " + source + " has problems: " + String.join("; ", problems));
        }
        return new Reviewers(Map.copyOf(digests));
    }

    /** @return whether anyone may decide */
    public boolean any() {
        return !digests.isEmpty();
    }

    /** @return how many reviewers there are */
    public int size() {
        return digests.size();
    }

    /** @return whether {@code token} is one of the reviewers' (the machine token must not be) */
    public boolean holds(String token) {
        return identify(token).isPresent();
    }

    /**
     * @param token a presented token, or null
     * @return the name of the reviewer whose token it is
     */
    public Optional<String> identify(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        byte[] given = digest(token);
        String found = null;
        for (Map.Entry<String, byte[]> e : digests.entrySet()) {
            if (MessageDigest.isEqual(given, e.getValue()) && found == null) {
                found = e.getKey();
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return digests.size() + " reviewer(s)";
    }
}
