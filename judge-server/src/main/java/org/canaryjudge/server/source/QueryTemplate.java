package org.canaryjudge.server.source;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PromQL query with {@code ${name}} placeholders, for example
 * {@code sum(increase(http_requests_total{app="${app}",track="${track}",code=~"5.."}[${step}]))}.
 *
 * <p>Values come from requests, so they are held to a character set that cannot leave a label
 * value or a range selector: letters, digits, {@code _ . : -}, at most 128 characters (enough for
 * Kubernetes names, pod-template hashes, versions and durations). A value can therefore never close
 * a string, add a matcher or start a new expression — the template's author decides what is queried.
 *
 * <p>Inside a regular-expression matcher ({@code pod=~"${name}-[a-z0-9]+"}) a value's {@code .}
 * would match any character, so there it is escaped ({@code \\.} in a quoted string,
 * {@code \.} in a raw one): a value always means itself.
 */
public final class QueryTemplate {

    /** A variable's name: a letter or underscore, then letters, digits or underscores. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    /** What a variable's value may hold. */
    public static final Pattern SAFE_VALUE = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
    /** Said wherever a value is refused. */
    public static final String SAFE_VALUE_RULE = "1 to 128 letters, digits, '_', '.', ':' or '-'";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

    private final String text;
    private final Set<String> variables;
    /** The escape for a {@code .} in each placeholder, in order: null outside a regex matcher. */
    private final List<String> dotEscapes;

    private QueryTemplate(String text, Set<String> variables, List<String> dotEscapes) {
        this.text = text;
        this.variables = variables;
        this.dotEscapes = dotEscapes;
    }

    /**
     * @param text the query, with {@code ${name}} placeholders
     * @return the template
     * @throws IllegalArgumentException when the text is blank, a placeholder is not closed or a
     *     name is not a valid variable name; the message says which
     */
    public static QueryTemplate parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("must be a PromQL query");
        }
        Set<String> names = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        int end = 0;
        while (m.find()) {
            if (!NAME.matcher(m.group(1)).matches()) {
                throw new IllegalArgumentException("\"${" + m.group(1) + "}\" is not a variable: a name is a letter or '_'"
                    + " followed by letters, digits or '_'");
            }
            names.add(m.group(1));
            end = m.end();
        }
        if (text.indexOf("${", end) >= 0) {
            throw new IllegalArgumentException("a \"${\" at character " + (text.indexOf("${", end) + 1) + " is not closed with \"}\"");
        }
        return new QueryTemplate(text, Collections.unmodifiableSet(names), dotEscapes(text));
    }

    /**
     * Walks PromQL's strings (double- and single-quoted with backslash escapes, backtick raw) and
     * tells for each placeholder whether it stands in the string of an {@code =~} or {@code !~}
     * matcher, and how a literal dot is written there.
     */
    private static List<String> dotEscapes(String text) {
        List<String> escapes = new ArrayList<>();
        char quote = 0;
        boolean regex = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == 0) {
                if (c == '"' || c == '\'' || c == '`') {
                    quote = c;
                    String before = text.substring(0, i).stripTrailing();
                    regex = before.endsWith("=~") || before.endsWith("!~");
                } else if (text.startsWith("${", i)) {
                    escapes.add(null);
                }
            } else if (text.startsWith("${", i)) {
                escapes.add(!regex ? null : quote == '`' ? "\\." : "\\\\.");
            } else if (c == '\\' && quote != '`') {
                i++;
            } else if (c == quote) {
                quote = 0;
            }
        }
        return escapes;
    }

    /** @return the names of the variables the query uses, in order of first use */
    public Set<String> variables() {
        return variables;
    }

    /**
     * @param values a value for every name in {@link #variables()}, each matching {@link #SAFE_VALUE}
     * @return the query with every placeholder replaced
     * @throws IllegalArgumentException when a value is missing or unsafe (callers check first)
     */
    public String render(Map<String, String> values) {
        int[] index = {0};
        return PLACEHOLDER.matcher(text).replaceAll(m -> {
            String value = values.get(m.group(1));
            if (value == null || !SAFE_VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException("no safe value for the variable " + m.group(1));
            }
            String dot = dotEscapes.get(index[0]++);
            return Matcher.quoteReplacement(dot == null ? value : value.replace(".", dot));
        });
    }

    /** @return the query as written, with its placeholders */
    @Override
    public String toString() {
        return text;
    }
}
