/**
 * Spinnaker Kayenta's remote judge: {@code POST /kayenta/judge} takes the body Kayenta's
 * {@code RemoteJudge} sends ({@code canaryConfig}, {@code scoreThresholds},
 * {@code metricSetPairList}) and answers with a {@code CanaryJudgeResult}, so that Kayenta can use
 * Canary Judge as its judge.
 *
 * <p>This package only maps: {@link org.canaryjudge.server.kayenta.KayentaRequestReader} turns
 * Kayenta's per-metric analysis settings into judge-core metric specifications, judge-core judges
 * them, and {@link org.canaryjudge.server.kayenta.KayentaResultWriter} turns the outcomes into
 * Kayenta's classifications and scores. The only statistics computed here are those Kayenta's
 * judge reports beside its classification — each side's count, mean, min, standard deviation and
 * max, and the mean ratio — so that a reader of Kayenta's results finds them. docs/integrations.md,
 * section "Kayenta (Spinnaker)", documents the mapping and where it differs from Kayenta's own judge
 * on purpose.
 */
package org.canaryjudge.server.kayenta;
