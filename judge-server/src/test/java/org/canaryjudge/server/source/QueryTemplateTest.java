package org.canaryjudge.server.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryTemplateTest {

    @Test
    void findsVariablesInOrderAndFillsThemIn() {
        QueryTemplate t = QueryTemplate.parse("sum(increase(http_requests_total{app=\"${app}\",track=\"${track}\"}[${step}])) / ${app}");
        assertEquals(List.of("app", "track", "step"), List.copyOf(t.variables()));
        assertEquals("sum(increase(http_requests_total{app=\"checkout\",track=\"canary\"}[60s])) / checkout",
            t.render(Map.of("app", "checkout", "track", "canary", "step", "60s")));
        assertTrue(QueryTemplate.parse("up").variables().isEmpty());
        assertEquals("up{x=\"$1\"}", QueryTemplate.parse("up{x=\"$1\"}").render(Map.of()), "a $ without braces is PromQL's");
    }

    @Test
    void aDotInARegexMatcherMeansADot() {
        QueryTemplate t = QueryTemplate.parse("sum(x{namespace=\"${ns}\",pod=~\"${name}-[a-z0-9]+\",job!~ `${name}`}) by (${ns})");
        assertEquals("sum(x{namespace=\"a.b\",pod=~\"my\\\\.app-[a-z0-9]+\",job!~ `my\\.app`}) by (a.b)",
            t.render(Map.of("ns", "a.b", "name", "my.app")));
        assertEquals("x{a=\"\\\"${v}\"}".replace("${v}", "1.2"),
            QueryTemplate.parse("x{a=\"\\\"${v}\"}").render(Map.of("v", "1.2")), "an escaped quote does not end the string");
    }

    @Test
    void malformedPlaceholdersAreRefusedWithTheirPosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QueryTemplate.parse("up{a=\"${app\"}"));
        assertTrue(e.getMessage().contains("is not a variable"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> QueryTemplate.parse("up{a=\"${app}\"} + ${b"));
        assertEquals("a \"${\" at character 18 is not closed with \"}\"", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> QueryTemplate.parse("up{a=\"${1x}\"}"));
        assertTrue(e.getMessage().startsWith("\"${1x}\" is not a variable"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QueryTemplate.parse(" "));
    }

    @Test
    void renderingRefusesMissingOrUnsafeValues() {
        QueryTemplate t = QueryTemplate.parse("up{track=\"${track}\"}");
        assertThrows(IllegalArgumentException.class, () -> t.render(Map.of()));
        assertThrows(IllegalArgumentException.class, () -> t.render(Map.of("track", "a\"} or up{x=\"")));
    }

    /** Whatever a value holds, once accepted it stays inside the label value it was put in. */
    @Test
    void anAcceptedValueCannotLeaveItsLabelValue() {
        QueryTemplate t = QueryTemplate.parse("up{track=\"${track}\"}");
        qt().withExamples(5_000).forAll(strings().allPossible().ofLengthBetween(0, 40))
            .checkAssert(value -> {
                if (!QueryTemplate.SAFE_VALUE.matcher(value).matches()) {
                    assertThrows(IllegalArgumentException.class, () -> t.render(Map.of("track", value)));
                    return;
                }
                String q = t.render(Map.of("track", value));
                String inside = q.substring("up{track=\"".length(), q.length() - 2);
                assertEquals(value, inside);
                for (char c : "\"\\{}(),=~!| \n`'".toCharArray()) {
                    assertFalse(inside.indexOf(c) >= 0, q);
                }
            });
    }

    @Test
    void durationsInPrometheusAndIsoForm() {
        assertEquals(Duration.ofSeconds(60), Durations.parse("60s"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
        assertEquals(Duration.ofDays(8), Durations.parse("1w1d"));
        assertEquals(Duration.ofMinutes(1), Durations.parse("PT1M"));
        assertEquals("5400s", Durations.prometheus(Duration.ofMinutes(90)));
        for (String bad : List.of("", "0s", "1.5m", "m", "-1m", "PT0.5S", "60", "1m30h", "9999999999s")) {
            assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad), bad);
        }
    }
}
