package org.canaryjudge.server.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.canaryjudge.model.MetricType;
import org.canaryjudge.server.report.ChartAssets;
import org.canaryjudge.server.report.Formats;
import org.canaryjudge.server.store.RolloutStore;

/**
 * The review page (docs/api.md, "The review page"): the list of rollouts and a rollout's page, plain
 * HTML from the JTE templates in {@code ui/} (compiled at build time; JTE escapes every value for
 * where it stands), with uPlot and the page's scripts inlined so that it needs no network.
 *
 * <p>Every script on the pages is the server's own and fixed, so the pages' Content-Security-Policy
 * names each by its SHA-256 hash ({@link #contentSecurityPolicy()}): a script that anything a request
 * put on the page managed to smuggle in would not run even if the escaping failed.
 */
public final class ReviewPages {

    private static final TemplateEngine TEMPLATES = TemplateEngine.createPrecompiled(null, ContentType.Html,
        ReviewPages.class.getClassLoader(), "org.canaryjudge.server");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final ChartAssets assets;
    private final String style;
    private final String script;
    private final String policy;

    private ReviewPages(Clock clock, ChartAssets assets, String style, String script) {
        this.clock = clock;
        this.assets = assets;
        this.style = style;
        this.script = script;
        // The scripts exactly as report/scripts.jte frames them between <script> and </script>.
        this.policy = "default-src 'none'; script-src " + Stream.of("\n" + assets.errorsScript(), "\n" + assets.uplotScript() + "\n",
                "\n" + assets.chartsScript(), "\n" + script).map(ReviewPages::hash).collect(Collectors.joining(" "))
            + "; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    }

    /**
     * @param clock the clock the pages' ages ("12 min ago") are counted by
     * @throws IOException when uPlot or a page's script or style sheet is missing from the class path
     */
    public static ReviewPages fromClassPath(Clock clock) throws IOException {
        return new ReviewPages(clock, ChartAssets.fromClassPath(), ChartAssets.resource(ReviewPages.class, "review.css"),
            ChartAssets.resource(ReviewPages.class, "review.js"));
    }

    /** @return the value of the pages' Content-Security-Policy header */
    public String contentSecurityPolicy() {
        return policy;
    }

    /**
     * @param rollouts the rollouts, most recently updated first, or null when the server keeps none
     * @return the list page: those waiting for a person (their last verdict holds and nobody has
     *     decided in their current stage) on top
     */
    public String list(List<RolloutStore.Summary> rollouts, Viewer viewer) {
        Instant now = clock.instant();
        List<RolloutStore.Summary> listed = rollouts == null ? List.of() : rollouts;
        List<ListPage.Row> rows = listed.stream().map(s -> new ListPage.Row(s.id(), href(s.id()), s.verdict(), s.stage(), s.looks(),
                Ages.ago(s.updatedAt(), now), time(s.updatedAt()), s.reason(),
                s.decision() == null ? null : s.decision().decision() + " by " + s.decision().by() + ", " + Ages.ago(s.decision().at(), now),
                waiting(s.verdict()) && s.decision() == null))
            .sorted(Comparator.comparing(r -> !r.waiting())).toList();
        return render("ui/list.jte", Map.of("page", new ListPage(rows, (int) rows.stream().filter(ListPage.Row::waiting).count(),
            rollouts != null, viewer, assets, style)));
    }

    /** @return the rollout's page, with the form to decide when a reviewer is signed in */
    public String rollout(RolloutStore.History h, Viewer viewer) {
        Instant now = clock.instant();
        List<RolloutPage.StageView> stages = new ArrayList<>();
        List<RolloutPage.LookView> current = null;
        String stage = null;
        RolloutPage.LookView last = null;
        for (RolloutStore.RecordedLook l : h.looks()) {
            if (current == null || l.stageLook() == 1) {
                stage = l.stage();
                current = new ArrayList<>();
                stages.add(new RolloutPage.StageView(stage, time(l.at()), current));
            }
            last = new RolloutPage.LookView(l.look(), stage, l.stageLook(), time(l.at()), Ages.ago(l.at(), now), l.verdict(), l.reason(),
                l.metrics().stream().map(ReviewPages::metric).toList());
            current.add(last);
        }
        List<RolloutPage.DecisionView> decisions = h.decisions().stream().map(d -> new RolloutPage.DecisionView(d.decision(), d.by(),
            time(d.at()), Ages.ago(d.at(), now), d.stage(), d.comment())).toList();
        List<RolloutPage.MetricChart> charts = new ArrayList<>();
        String data;
        try {
            data = JSON.writeValueAsString(RolloutCharts.of(h, charts));
        } catch (IOException e) {
            throw new IllegalStateException("the chart data did not serialize", e);
        }
        return render("ui/rollout.jte", Map.of("page", new RolloutPage(h.id(), time(h.startedAt()), last, whatItWouldTake(last),
            stages, decisions, viewer, charts, assets, data, script, style)));
    }

    /**
     * @param next where to go once signed in (a review page's path)
     * @param problem why the last attempt failed, or null
     * @param lifetime how long a sign-in lasts
     * @return the sign-in form
     */
    public String signIn(Viewer viewer, String next, String problem, Duration lifetime) {
        return render("ui/sign-in.jte", Map.of("viewer", viewer, "assets", assets, "style", style, "next", next,
            "problem", problem == null ? "" : problem, "lasts", lifetime.toHours() + " hours"));
    }

    /** @return a page that says something went wrong or is not there, with a way back to the list */
    public String message(Viewer viewer, String title, String message) {
        return render("ui/message.jte", Map.of("viewer", viewer, "assets", assets, "style", style, "title", title, "message", message));
    }

    /** @return the path of a rollout's page; an id's characters ([A-Za-z0-9_.:/@-]) need no escaping in a path */
    public static String href(String id) {
        return "/ui/rollouts/" + id;
    }

    /** @return whether a look's verdict waits for a person */
    private static boolean waiting(String verdict) {
        return "hold".equals(verdict);
    }

    /**
     * @return when the look holds, the reason of each metric that does not pass yet (the judge's words
     *     on how much more data it needs), or the look's own reason when every metric passes
     */
    private static List<String> whatItWouldTake(RolloutPage.LookView last) {
        if (!waiting(last.verdict())) {
            return List.of();
        }
        List<String> lines = last.metrics().stream().filter(m -> !"pass".equals(m.outcome()) && !m.dryRun())
            .map(m -> m.name() + ": " + m.reason()).toList();
        return lines.isEmpty() ? List.of(last.reason()) : lines;
    }

    private static RolloutPage.MetricView metric(RolloutStore.MetricLook m) {
        StoredEffect e = StoredEffect.parse(m.effectJson());
        // The store does not keep the metric's type: an absolute effect is shown in the metric's own unit.
        return new RolloutPage.MetricView(m.name(), m.outcome(), e == null ? null : Formats.effect(e.effect(), MetricType.CONTINUOUS),
            m.reason(), m.dryRun());
    }

    private static String time(Instant t) {
        return Formats.time(t.getEpochSecond()) + " UTC";
    }

    private static String render(String template, Map<String, Object> params) {
        StringOutput html = new StringOutput(1 << 16);
        TEMPLATES.render(template, params, html);
        return html.toString();
    }

    private static String hash(String script) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
            return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
