package org.canaryjudge.server.http;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.model.MetricOutcome;
import org.canaryjudge.model.Outcome;
import org.canaryjudge.model.Verdict;
import org.canaryjudge.server.store.Ledger;
import org.canaryjudge.server.store.RolloutStore;

/**
 * The server's own metrics, in a registry of its own (never the global default), so that several
 * servers can run in one JVM.
 */
final class ServerMetrics {

    /** Methods counted under their own name; any other is counted as {@code other}. */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests;
    private final Counter verdicts;
    private final Counter outcomes;
    private final Histogram judgeDuration;
    private final Counter sourceQueries;
    private final Counter judgements;
    private final Counter looks;
    private final Set<String> stages = ConcurrentHashMap.newKeySet();
    private boolean jvmMetrics;

    ServerMetrics() {
        requests = Counter.builder()
            .name("canary_judge_http_requests_total")
            .help("HTTP requests answered, by endpoint (unmatched: no such endpoint), method and status")
            .labelNames("endpoint", "method", "status")
            .register(registry);
        verdicts = Counter.builder()
            .name("canary_judge_verdicts_total")
            .help("Verdicts given by POST /judge and POST /kayenta/judge")
            .labelNames("verdict")
            .register(registry);
        outcomes = Counter.builder()
            .name("canary_judge_metric_outcomes_total")
            .help("Outcomes of the metrics judged by POST /judge and POST /kayenta/judge")
            .labelNames("outcome")
            .register(registry);
        judgeDuration = Histogram.builder()
            .name("canary_judge_judge_duration_seconds")
            .help("Time to parse, judge and write the response of one valid POST /judge or POST /kayenta/judge request")
            .classicOnly()
            .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .register(registry);
        sourceQueries = Counter.builder()
            .name("canary_judge_source_queries_total")
            .help("Queries sent to data sources, by source and result (ok: series came back, empty: none, error: failed)")
            .labelNames("source", "result")
            .register(registry);
        judgements = Counter.builder()
            .name("canary_judge_judgements_total")
            .help("Judgements of POST /judge, by named configuration (none: inline data only) and verdict")
            .labelNames("config", "verdict")
            .register(registry);
        looks = Counter.builder()
            .name("canary_judge_rollout_looks_total")
            .help("Looks of rollouts recorded in the store, by stage (none: no stage; other: past the first "
                + MAX_STAGES + " stages seen)")
            .labelNames("stage")
            .register(registry);
        // Start every series at zero, so that rates work from the first scrape on.
        for (Verdict v : Verdict.values()) {
            verdicts.labelValues(v.name().toLowerCase(Locale.ROOT));
        }
        for (Outcome o : Outcome.values()) {
            outcomes.labelValues(o.name().toLowerCase(Locale.ROOT));
        }
    }

    /** JVM metrics are registered at the first scrape, which keeps them out of the start-up time. */
    private synchronized void registerJvmMetrics() {
        if (!jvmMetrics) {
            JvmMetrics.builder().register(registry);
            jvmMetrics = true;
        }
    }

    void request(String endpoint, String method, int status) {
        requests.labelValues(endpoint, METHODS.contains(method) ? method : "other", Integer.toString(status)).inc();
    }

    void judged(Judgement judgement, long nanos) {
        judgeDuration.observe(nanos / 1e9);
        verdicts.labelValues(judgement.verdict().name().toLowerCase(Locale.ROOT)).inc();
        for (MetricOutcome m : judgement.metrics()) {
            outcomes.labelValues(m.outcome().name().toLowerCase(Locale.ROOT)).inc();
        }
    }

    /** Stage labels are the clients' words: this many are counted by name, the rest as {@code other}. */
    static final int MAX_STAGES = 100;
    /** A rollout with a look this recently is active. */
    static final Duration ACTIVE = Duration.ofHours(1);

    /** Registers the gauge of active rollouts, read from the store at each scrape. */
    void rollouts(RolloutStore store) {
        if (store == null) {
            return;
        }
        GaugeWithCallback.builder()
            .name("canary_judge_rollouts_active")
            .help("Rollouts with a look in the last hour, in the store this server shares with its replicas")
            .callback(cb -> cb.call(store.active(Instant.now().minus(ACTIVE))))
            .register(registry);
    }

    /** Counts a look of {@code POST /judge}: by configuration and verdict, and by stage when it was recorded. */
    void look(Ledger.Result result) {
        judgements.labelValues(result.configuration() == null ? "none" : result.configuration(),
            result.judgement().verdict().name().toLowerCase(Locale.ROOT)).inc();
        if (result.position() != null) {
            String stage = result.position().stage() == null ? "none" : result.position().stage();
            if (!stages.contains(stage)) {
                if (stages.size() < MAX_STAGES) {
                    stages.add(stage);
                } else {
                    stage = "other";
                }
            }
            looks.labelValues(stage).inc();
        }
    }

    /** @param result ok, empty or error */
    void sourceQuery(String source, String result) {
        sourceQueries.labelValues(source, result).inc();
    }

    String contentType() {
        return writer.getContentType();
    }

    byte[] scrape() {
        registerJvmMetrics();
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
