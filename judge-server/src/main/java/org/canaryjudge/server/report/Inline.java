package org.canaryjudge.server.report;

import gg.jte.Content;
import gg.jte.TemplateOutput;
import java.util.Locale;

/**
 * Text that the report's templates put inside a {@code <script>} or {@code <style>} element. JTE
 * writes a {@link Content} as it is, without the escaping it gives a string there (which would
 * break code and JSON alike), so each factory first makes sure the text cannot end its element.
 */
final class Inline implements Content {

    private final String text;

    private Inline(String text) {
        this.text = text;
    }

    /**
     * @param tag {@code script} or {@code style}
     * @param code a script or style sheet to inline in such an element
     * @return the code, unchanged
     * @throws IllegalStateException when it holds the element's end tag
     */
    static Inline code(String tag, String code) {
        if (code.toLowerCase(Locale.ROOT).contains("</" + tag)) {
            throw new IllegalStateException("cannot inline code that contains </" + tag);
        }
        return new Inline(code);
    }

    /**
     * @param json a JSON document
     * @return the same document with every {@code <} written as its JSON escape (a backslash, then
     *     {@code u003c}), so that no {@code </script} can end the element: in JSON a {@code <} can
     *     only stand inside a string, where the escape means the same character
     */
    static Inline json(String json) {
        return new Inline(json.replace("<", "\\u003c"));
    }

    @Override
    public void writeTo(TemplateOutput output) {
        output.writeContent(text);
    }

    @Override
    public String toString() {
        return text;
    }
}
