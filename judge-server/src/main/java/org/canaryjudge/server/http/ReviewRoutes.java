package org.canaryjudge.server.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.canaryjudge.model.InvalidInputException;
import org.canaryjudge.server.review.DecisionRequest;
import org.canaryjudge.server.review.Reviewers;
import org.canaryjudge.server.store.RolloutField;
import org.canaryjudge.server.store.RolloutStore;
import org.canaryjudge.server.ui.ReviewPages;
import org.canaryjudge.server.ui.Sessions;
import org.canaryjudge.server.ui.Viewer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The review page's HTTP side (docs/api.md, "The review page"): the pages, sign-in and sign-out,
 * and the decision form, whose decision goes through the same code as {@code POST
 * /rollouts/{id}/decisions}. Everything here answers in HTML, for a browser.
 *
 * <p>Forms are protected against cross-site requests three ways: the session cookie is
 * SameSite=Strict (a browser does not send it on another site's request); every post of a signed-in
 * reviewer must carry the session's synchronizer token; and a post whose {@code Origin} is another
 * site (neither the {@code Host} nor a proxy's {@code X-Forwarded-Host}), or whose
 * {@code Sec-Fetch-Site} says it came from one, is refused with 403 before anything else is looked at.
 */
final class ReviewRoutes {

    static final String COOKIE = "canary_judge_session";
    private static final Logger LOG = LoggerFactory.getLogger(ReviewRoutes.class);
    /** A path on the review page: /ui/ and then a rollout id's characters ({@link RolloutField#ID}). */
    private static final Pattern NEXT = Pattern.compile("/ui/(?!/)[A-Za-z0-9_.:/@-]{0,300}");

    /** Records a decision as {@code POST /rollouts/{id}/decisions} does, or throws its problem. */
    interface Decider {
        RolloutStore.Decision decide(String id, DecisionRequest request, String by);
    }

    private final RolloutStore store;
    private final Reviewers reviewers;
    private final ReviewPages pages;
    private final Sessions sessions;
    private final Predicate<Context> bearerReader;
    private final Decider decider;

    /**
     * @param bearerReader whether a request's bearer token (or the server having none) lets it read rollouts
     */
    ReviewRoutes(RolloutStore store, Reviewers reviewers, ReviewPages pages, Sessions sessions, Predicate<Context> bearerReader,
                 Decider decider) {
        this.store = store;
        this.reviewers = reviewers;
        this.pages = pages;
        this.sessions = sessions;
        this.bearerReader = bearerReader;
        this.decider = decider;
    }

    /** {@code GET /ui/}: the rollouts, those waiting for a person on top. */
    void list(Context ctx) {
        Viewer viewer = viewer(ctx);
        if (mayRead(ctx, viewer)) {
            html(ctx, 200, pages.list(store == null ? null : store.rollouts(JudgeServer.MAX_LISTED_ROLLOUTS), viewer));
        }
    }

    /** {@code GET /ui/rollouts/{id}}: a rollout's looks, charts and decisions; the form to decide for a reviewer. */
    void rollout(Context ctx) {
        Viewer viewer = viewer(ctx);
        if (!mayRead(ctx, viewer)) {
            return;
        }
        String id = ctx.pathParam("id");
        Optional<RolloutStore.History> history = store == null || !RolloutField.ID.matcher(id).matches() ? Optional.empty()
            : store.rollout(id);
        if (history.isEmpty()) {
            html(ctx, 404, pages.message(viewer, "Not found", store == null ? "This server keeps no rollouts (--store none)"
                : "No rollout \"" + clip(id) + "\" is remembered"));
            return;
        }
        html(ctx, 200, pages.rollout(history.get(), viewer));
    }

    /** {@code GET /ui/sign-in}: the form. */
    void signInForm(Context ctx) {
        html(ctx, 200, pages.signIn(viewer(ctx), next(ctx.queryParam("next")), null, sessions.lifetime()));
    }

    /**
     * {@code POST /ui/sign-in}: a reviewer's name and token; their token is compared in constant time
     * with every reviewer's (Reviewers), and the name must be the one it belongs to.
     */
    void signIn(Context ctx) {
        if (crossSite(ctx)) {
            return;
        }
        Viewer anonymous = Viewer.anonymous(reviewers.any());
        String next = next(ctx.formParam("next"));
        if (!reviewers.any()) {
            html(ctx, 403, pages.signIn(anonymous, next, null, sessions.lifetime()));
            return;
        }
        String name = ctx.formParam("name");
        Optional<String> reviewer = reviewers.identify(ctx.formParam("token"));
        if (reviewer.isEmpty() || !reviewer.get().equals(name == null ? null : name.strip())) {
            LOG.warn("a sign-in to the review page failed: the name and token are not a reviewer's");
            html(ctx, 401, pages.signIn(anonymous, next, "That name and token are not a reviewer's; check both against the"
                + " server's reviewers file.", sessions.lifetime()));
            return;
        }
        String id = sessions.open(reviewer.get());
        LOG.info("{} signed in to the review page", reviewer.get());
        Cookie cookie = new Cookie(COOKIE, id, "/", (int) sessions.lifetime().toSeconds(), secure(ctx), true, null,
            SameSite.STRICT);
        ctx.cookie(cookie);
        ctx.redirect(next, io.javalin.http.HttpStatus.SEE_OTHER);
    }

    /** {@code POST /ui/sign-out}: ends the session (its token required, so that no other site can sign one out). */
    void signOut(Context ctx) {
        if (crossSite(ctx)) {
            return;
        }
        String id = ctx.cookie(COOKIE);
        Optional<Sessions.Session> session = sessions.find(id);
        if (session.isPresent() && !session.get().csrfMatches(ctx.formParam("csrf"))) {
            html(ctx, 403, pages.message(viewer(ctx), "Refused", "The form's token does not belong to this sign-in; reload the page"
                + " and sign out again"));
            return;
        }
        sessions.close(id);
        session.ifPresent(s -> LOG.info("{} signed out of the review page", s.reviewer()));
        ctx.cookie(new Cookie(COOKIE, "", "/", 0, secure(ctx), true, null, SameSite.STRICT));
        ctx.redirect("/ui/", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    /**
     * {@code POST /ui/rollouts/{id}/decisions}: the form's decision, by the signed-in reviewer, through
     * the same code as the API's; then back to the rollout's page.
     */
    void decide(Context ctx) {
        if (crossSite(ctx)) {
            return;
        }
        String id = ctx.pathParam("id");
        Optional<Sessions.Session> session = sessions.find(ctx.cookie(COOKIE));
        if (session.isEmpty()) {
            html(ctx, 401, pages.message(Viewer.anonymous(reviewers.any()), "Sign in first", "Only a signed-in reviewer can decide;"
                + " sign in at /ui/sign-in, then decide on the rollout's page"));
            return;
        }
        Viewer viewer = new Viewer(session.get().reviewer(), session.get().csrf(), true);
        if (!session.get().csrfMatches(ctx.formParam("csrf"))) {
            html(ctx, 403, pages.message(viewer, "Refused", "The form's token does not belong to this sign-in, so the decision was"
                + " not recorded; reload the rollout's page and decide again"));
            return;
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        String decision = ctx.formParam("decision");
        if (decision != null) {
            body.put("decision", decision);
        }
        String comment = ctx.formParam("comment");
        if (comment != null) {
            body.put("comment", comment);
        }
        DecisionRequest request;
        try {
            request = DecisionRequest.read(body);
        } catch (InvalidInputException e) {
            html(ctx, 400, pages.message(viewer, "Not recorded", "The decision was not recorded: " + e.violations().stream()
                .map(v -> v.path().replaceFirst("^/", "") + " " + v.message()).collect(Collectors.joining("; "))));
            return;
        }
        try {
            decider.decide(id, request, session.get().reviewer());
        } catch (ProblemException e) {
            html(ctx, e.problem().status(), pages.message(viewer, "Not recorded", "The decision was not recorded: " + e.problem().detail()));
            return;
        }
        ctx.redirect(ReviewPages.href(id) + "#decisions", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    /** @return who looks: the signed-in reviewer of the request's session cookie, or nobody */
    private Viewer viewer(Context ctx) {
        return sessions.find(ctx.cookie(COOKIE)).map(s -> new Viewer(s.reviewer(), s.csrf(), true))
            .orElse(Viewer.anonymous(reviewers.any()));
    }

    /**
     * Rollouts may be read without a token when the server has none, else with a signed-in session or
     * a bearer token GET /rollouts accepts; otherwise the browser is sent to sign in.
     */
    private boolean mayRead(Context ctx, Viewer viewer) {
        if (viewer.signedIn() || bearerReader.test(ctx)) {
            return true;
        }
        ctx.redirect("/ui/sign-in?next=" + next(ctx.path()), io.javalin.http.HttpStatus.SEE_OTHER);
        return false;
    }

    /**
     * Refuses (403) a post from another site: an {@code Origin} other than this server's, or a
     * {@code Sec-Fetch-Site} other than same-origin (or none, a person's own navigation). Browsers send
     * both on form posts; a client that sends neither still needs the session's token.
     *
     * @return whether it was refused
     */
    private boolean crossSite(Context ctx) {
        String site = ctx.header("Sec-Fetch-Site");
        String origin = ctx.header("Origin");
        boolean foreign = site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none");
        if (!foreign && origin != null) {
            String authority;
            try {
                authority = "null".equals(origin) ? null : URI.create(origin).getRawAuthority();
            } catch (IllegalArgumentException e) {
                authority = null;
            }
            foreign = authority == null || !authority.equalsIgnoreCase(header(ctx, "Host"))
                && !authority.equalsIgnoreCase(header(ctx, "X-Forwarded-Host"));
        }
        if (foreign) {
            html(ctx, 403, pages.message(Viewer.anonymous(reviewers.any()), "Refused", "This form was posted from another site"
                + " (Origin " + clip(String.valueOf(origin)) + ", Sec-Fetch-Site " + clip(String.valueOf(site)) + "), so nothing was done"));
        }
        return foreign;
    }

    /**
     * @return a header's first value, stripped, or "" (a proxy's {@code X-Forwarded-Host} names the
     *     host the browser reached; a cross-site form cannot set it, as no form can set a header)
     */
    private static String header(Context ctx, String name) {
        String value = ctx.header(name);
        return value == null ? "" : value.split(",")[0].strip();
    }

    /**
     * @return where to go back to: a review page's path (of a rollout id's characters), else the list;
     *     never another site, and nothing that could break the Location header
     */
    private static String next(String given) {
        return given != null && NEXT.matcher(given).matches() ? given : "/ui/";
    }

    /** @return whether the browser reached this server over HTTPS (directly or, as X-Forwarded-Proto says, through a proxy) */
    private static boolean secure(Context ctx) {
        String forwarded = ctx.header("X-Forwarded-Proto");
        return "https".equalsIgnoreCase(ctx.scheme()) || forwarded != null && forwarded.strip().toLowerCase(Locale.ROOT).equals("https");
    }

    /** Sends a review page: its own scripts only (by hash), never framed, never cached. */
    void html(Context ctx, int status, String page) {
        ctx.status(status).contentType("text/html; charset=utf-8")
            .header("Content-Security-Policy", pages.contentSecurityPolicy())
            .header("X-Content-Type-Options", "nosniff")
            .header("Referrer-Policy", "same-origin")
            .header("Cache-Control", "no-store")
            .result(page);
    }

    private static String clip(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
