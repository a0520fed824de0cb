package org.canaryjudge.server.ui;

/**
 * Who is looking at a review page: a signed-in reviewer, who gets the decision form, or someone
 * who is not signed in.
 *
 * @param reviewer the signed-in reviewer's name, or null
 * @param csrf the session's token against cross-site requests, which the page's forms carry, or null
 * @param canSignIn whether the server has reviewers, so that signing in is possible
 */
public record Viewer(String reviewer, String csrf, boolean canSignIn) {

    /** @return someone not signed in */
    public static Viewer anonymous(boolean canSignIn) {
        return new Viewer(null, null, canSignIn);
    }

    /** @return whether a reviewer is signed in */
    public boolean signedIn() {
        return reviewer != null;
    }
}
