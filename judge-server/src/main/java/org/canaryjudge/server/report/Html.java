package org.canaryjudge.server.report;

import java.util.Locale;

/** Escaping for text put into the report's HTML, and its coloured labels. */
final class Html {

    private Html() {
    }

    /** @return {@code text} safe as element content and as a quoted attribute value */
    static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * @param tag {@code script} or {@code style}
     * @param content code to inline in such an element
     * @return the code, checked not to close its element early
     * @throws IllegalStateException when it holds the element's end tag
     */
    static String inline(String tag, String content) {
        if (content.toLowerCase(Locale.ROOT).contains("</" + tag)) {
            throw new IllegalStateException("cannot inline code that contains </" + tag);
        }
        return content;
    }

    /**
     * @param value an outcome or verdict as the contract spells it, which is also its CSS class
     * @return a coloured label
     */
    static String chip(String value) {
        return "<span class=\"chip " + value + "\">" + value + "</span>";
    }

    /** @return a coloured label whose tooltip is {@code reason} */
    static String chip(String value, String reason) {
        return "<span class=\"chip " + value + "\" title=\"" + escape(reason) + "\">" + value + "</span>";
    }
}
