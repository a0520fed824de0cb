package org.canaryjudge.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.canaryjudge.server.store.JdbcRolloutStore;
import org.canaryjudge.server.store.RolloutStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/**
 * The review page in a real browser (Selenium driving headless Chromium, {@link Browser}) against a
 * real server and SQLite store: the list, a rollout's page with its charts drawn, a hostile metric
 * name shown as text with no script run, the contrast of every text colour the pages use, labels,
 * and phone width. Screenshots are kept in target/screenshots/.
 */
@Tag("browser")
class ReviewPageBrowserTest {

    /** WCAG 2's level AA for normal text. */
    private static final double MIN_CONTRAST = 4.5;
    /** Markup that would run a script, were the comment not escaped. */
    private static final String HOSTILE_COMMENT = "<img src=x onerror=\"document.body.dataset.error='comment'\"><script>alert(2)</script> saw the slow query";
    private static final Pattern RGB = Pattern.compile("rgba?\\((\\d+), (\\d+), (\\d+)(?:, ([\\d.]+))?\\)");

    @TempDir
    Path dir;

    @Test
    void aPersonReadsTheListAndARolloutsPage() {
        try (RolloutStore store = JdbcRolloutStore.sqlite(dir.resolve("rollouts.db"));
             JudgeServer server = RolloutsTest.serve(store, null);
             Browser browser = Browser.start(dir.resolve("profile"))) {
            ReviewPageTest.twoRollouts(new Client(server.uri()));
            browser.driver.get(server.uri().resolve("/").toString());
            assertTrue(browser.driver.getCurrentUrl().endsWith("/ui/"), "GET / leads to the list: " + browser.driver.getCurrentUrl());
            List<WebElement> rows = browser.driver.findElements(By.cssSelector("li.rollout"));
            assertEquals(2, rows.size());
            assertEquals(ReviewPageTest.HELD, rows.get(0).findElement(By.cssSelector("a.id")).getText(), "the held rollout on top");
            assertEquals("hold", rows.get(0).findElement(By.cssSelector(".chip")).getText());
            assertTrue(rows.get(0).getText().contains("waits for a person") && rows.get(0).getText().contains("just now"),
                rows.get(0).getText());
            assertReadable(browser, "list");
            browser.screenshot("review-list");

            rows.get(0).findElement(By.cssSelector("a.id")).click();
            browser.driver.findElement(By.cssSelector("body[data-rendered='3']"));
            assertEquals(ReviewPageTest.HELD, browser.driver.findElement(By.tagName("h1")).getText());
            assertNull(browser.driver.findElement(By.tagName("body")).getAttribute("data-error"), "a script error");
            assertThrows(NoAlertPresentException.class, () -> browser.driver.switchTo().alert(), "the hostile name's script ran");
            List<WebElement> canvases = browser.driver.findElements(By.cssSelector("div.chart canvas"));
            assertEquals(3, canvases.size(), "one chart per metric");
            for (WebElement canvas : canvases) {
                assertTrue(canvas.getSize().getWidth() > 100 && canvas.getSize().getHeight() > 100, "a chart drawn at " + canvas.getSize());
            }
            List<String> names = browser.driver.findElements(By.cssSelector("ul.metrics b.name")).stream().map(WebElement::getText).toList();
            assertEquals(5, names.stream().filter(ReviewPageTest.HOSTILE_METRIC::equals).count(), "the hostile name as text at each look");
            assertEquals(5L, browser.script("return document.scripts.length"), "no script element added");
            assertEquals(2, browser.driver.findElements(By.cssSelector("section.stage")).size());
            assertTrue(browser.driver.findElement(By.cssSelector("section.take")).getText().startsWith("What it would take"));
            assertReadable(browser, "rollout");
            browser.screenshot("review-rollout");

            browser.viewport(390, 844);
            browser.driver.navigate().refresh();
            browser.driver.findElement(By.cssSelector("body[data-rendered='3']"));
            assertFitsTheWidth(browser);
            browser.screenshot("review-rollout-phone");
            browser.driver.get(server.uri().resolve("/ui/").toString());
            assertFitsTheWidth(browser);
            browser.screenshot("review-list-phone");
        }
    }

    /**
     * Sign-in and a decision by keyboard alone (Tab to each field, Space on the radio button, Enter
     * to submit), with a hostile comment; the next look applies the decision.
     */
    @Test
    void aReviewerSignsInAndDecidesByKeyboardAndTheNextLookAppliesIt() {
        try (RolloutStore store = JdbcRolloutStore.sqlite(dir.resolve("rollouts.db"));
             JudgeServer server = DecisionsTest.serve(store, null, DecisionsTest.REVIEWERS);
             Browser browser = Browser.start(dir.resolve("profile"))) {
            Client client = new Client(server.uri());
            ReviewPageTest.twoRollouts(client);
            browser.driver.get(server.uri().resolve("/ui/rollouts/" + ReviewPageTest.HELD).toString());
            assertTrue(browser.driver.findElements(By.cssSelector("form.decide")).isEmpty(), "no form before signing in");
            browser.driver.findElement(By.linkText("Sign in")).click();
            assertReadable(browser, "sign-in");
            browser.screenshot("review-sign-in");
            tabTo(browser, "input#name");
            browser.driver.switchTo().activeElement().sendKeys("Ana Lima");
            browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
            assertEquals("token", browser.driver.switchTo().activeElement().getAttribute("id"));
            browser.driver.switchTo().activeElement().sendKeys(DecisionsTest.ANA, Keys.ENTER);

            browser.driver.findElement(By.cssSelector("body[data-rendered='3']"));
            assertTrue(browser.driver.getCurrentUrl().endsWith("/ui/rollouts/" + ReviewPageTest.HELD), browser.driver.getCurrentUrl());
            assertTrue(browser.driver.findElement(By.cssSelector("header.bar")).getText().contains("Signed in as Ana Lima"));
            assertReadable(browser, "rollout with the form");
            tabTo(browser, "input[name=decision][value=promote]");
            browser.driver.switchTo().activeElement().sendKeys(Keys.SPACE);
            browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
            assertEquals("comment", browser.driver.switchTo().activeElement().getAttribute("id"));
            browser.driver.switchTo().activeElement().sendKeys(HOSTILE_COMMENT);
            browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
            assertEquals("button", browser.driver.switchTo().activeElement().getTagName());
            browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);

            WebElement decision = browser.driver.findElement(By.cssSelector("ol.decisions li"));
            assertTrue(browser.driver.getCurrentUrl().endsWith("#decisions"), browser.driver.getCurrentUrl());
            assertTrue(decision.getText().startsWith("promote by Ana Lima"), decision.getText());
            assertEquals(HOSTILE_COMMENT, decision.findElement(By.cssSelector("q.comment")).getText(), "the comment as text");
            assertThrows(NoAlertPresentException.class, () -> browser.driver.switchTo().alert(), "the comment's script ran");
            assertNull(browser.driver.findElement(By.tagName("body")).getAttribute("data-error"), "the comment's handler ran");
            browser.screenshot("review-decided");
            browser.viewport(390, 844);
            assertFitsTheWidth(browser);
            browser.screenshot("review-decided-phone");
            browser.viewport(1280, 900);

            String reason = DecisionsTest.judge(client, ReviewPageTest.look(7, TestRequests.Flavor.HOLD, ReviewPageTest.HELD, "25%",
                ReviewPageTest.HOSTILE_METRIC), null).json().path("reason").asText();
            browser.driver.navigate().refresh();
            browser.driver.findElement(By.cssSelector("body[data-rendered='3']"));
            assertEquals("promote", browser.driver.findElement(By.cssSelector("p.now .chip")).getText(), "the next look promotes");
            WebElement look = browser.driver.findElement(By.id("look-6"));
            assertTrue(look.getText().contains("Ana Lima") && look.getText().contains(reason.substring(0, 30)), look.getText());
            browser.screenshot("review-next-look");
        }
    }

    /** Presses Tab from the top of the page until the element matching {@code css} has the focus. */
    private static void tabTo(Browser browser, String css) {
        WebElement target = browser.driver.findElement(By.cssSelector(css));
        browser.script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);");
        for (int i = 0; i < 40; i++) {
            browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
            if (target.equals(browser.driver.switchTo().activeElement())) {
                return;
            }
        }
        throw new AssertionError("Tab never reached " + css);
    }

    /**
     * No horizontal scroll: the page is no wider than the window, once the charts have followed a
     * resize (the page redraws them 100 ms after the last one; a second is allowed).
     */
    private static void assertFitsTheWidth(Browser browser) {
        long inner = ((Number) browser.script("return window.innerWidth")).longValue();
        long scroll = Long.MAX_VALUE;
        for (long end = System.nanoTime() + 1_000_000_000L; scroll > inner && System.nanoTime() < end; ) {
            scroll = ((Number) browser.script("return document.documentElement.scrollWidth")).longValue();
        }
        assertEquals(390, inner, "the viewport's width");
        assertTrue(scroll <= inner, "the page is " + scroll + " px wide in a " + inner + " px window");
    }

    /**
     * Every input has a label, and every visible text's colour has a contrast of at least 4.5:1 on
     * the background it stands on (the nearest opaque background among its ancestors, else white).
     */
    @SuppressWarnings("unchecked")
    private static void assertReadable(Browser browser, String page) {
        List<String> unlabelled = (List<String>) browser.script("return Array.from(document.querySelectorAll('input, select, textarea'))"
            + ".filter(e => e.type !== 'hidden' && e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.outerHTML)");
        assertEquals(List.of(), unlabelled, page + ": inputs without a label");
        List<Map<String, String>> pairs = (List<Map<String, String>>) browser.script(
            "var out = [];"
            + "document.querySelectorAll('body *').forEach(function (e) {"
            + "  var own = Array.from(e.childNodes).some(function (n) { return n.nodeType === 3 && n.textContent.trim() !== ''; });"
            + "  if (!own || e.closest('.uplot') || e.offsetParent === null) { return; }"
            + "  var bg = 'rgb(255, 255, 255)';"
            + "  for (var a = e; a; a = a.parentElement) {"
            + "    var c = getComputedStyle(a).backgroundColor;"
            + "    if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') { bg = c; break; }"
            + "  }"
            + "  out.push({text: e.textContent.trim().slice(0, 40), fg: getComputedStyle(e).color, bg: bg});"
            + "});"
            + "return out;");
        assertTrue(pairs.size() > 5, page + ": texts found");
        List<String> poor = new ArrayList<>();
        for (Map<String, String> p : pairs) {
            double ratio = contrast(p.get("fg"), p.get("bg"));
            if (ratio < MIN_CONTRAST) {
                poor.add(String.format(Locale.ROOT, "\"%s\" %s on %s: %.2f", p.get("text"), p.get("fg"), p.get("bg"), ratio));
            }
        }
        assertEquals(List.of(), poor, page + ": texts below " + MIN_CONTRAST + ":1");
    }

    /** WCAG 2's contrast ratio of two opaque CSS colours: (L1 + 0.05) / (L2 + 0.05), L the relative luminance. */
    static double contrast(String a, String b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(String colour) {
        Matcher m = RGB.matcher(colour);
        assertTrue(m.matches(), "not a colour: " + colour);
        assertTrue(m.group(4) == null || Double.parseDouble(m.group(4)) == 1, "a translucent text colour: " + colour);
        double[] c = new double[3];
        for (int i = 0; i < 3; i++) {
            double s = Integer.parseInt(m.group(i + 1)) / 255.0;
            c[i] = s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    }
}
