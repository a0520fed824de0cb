package org.canaryjudge.server.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the templates may put raw into a script or style element. */
class InlineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jsonCannotEndItsScriptElementAndReadsBackTheSame() throws Exception {
        Map<String, String> value = Map.of("name", "</script><script>alert(1)</script> <!-- </SCRIPT");
        String inlined = Inline.json(JSON.writeValueAsString(value)).toString();
        assertFalse(inlined.contains("<"), inlined);
        assertEquals(value, JSON.readValue(inlined, Map.class));
    }

    @Test
    void codeThatWouldEndItsElementIsRefused() {
        assertThrows(IllegalStateException.class, () -> Inline.code("script", "var s = '</SCRIPT>';"));
        assertThrows(IllegalStateException.class, () -> Inline.code("style", "a { } </style><b>"));
        assertEquals("a < b && c > d", Inline.code("script", "a < b && c > d").toString(), "other code stays as written");
    }
}
