package org.canaryjudge.server.ui;

import java.util.List;
import org.canaryjudge.server.report.ChartAssets;

/**
 * What the list of rollouts ({@code ui/list.jte}) is given.
 *
 * @param rows the rollouts: those waiting for a person first, each group newest activity first
 * @param waiting how many wait for a person
 * @param remembers whether the server keeps rollouts at all (not with {@code --store none})
 * @param viewer who looks
 * @param assets the shared style sheet (and uPlot's, which this page does not need)
 * @param style the page's own style sheet ({@code ui/review.css})
 */
record ListPage(List<Row> rows, int waiting, boolean remembers, Viewer viewer, ChartAssets assets, String style) {

    /**
     * One rollout.
     *
     * @param href its page's path
     * @param age how long ago its last look was
     * @param updatedAt its last look's time, in UTC
     * @param reason its last look's reason
     * @param decision the decision standing in its current stage ("promote by alice, 3 min ago"), or null
     * @param waiting whether it waits for a person: its last verdict holds and nobody has decided in this stage
     */
    record Row(String id, String href, String verdict, String stage, int looks, String age, String updatedAt, String reason,
               String decision, boolean waiting) {
    }
}
