package org.canaryjudge.server.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import org.canaryjudge.model.Effect;
import org.canaryjudge.model.Interval;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.model.MetricOutcome;
import org.canaryjudge.model.HistogramSummary;
import org.canaryjudge.model.RateSummary;
import org.canaryjudge.model.SampleSummary;
import org.canaryjudge.model.SideSummary;

/**
 * Renders a {@link Judgement} as the contract's response JSON. Numbers that are not finite (an
 * unbounded band end, a p-value that was not computed) are written as {@code null}, never as NaN.
 */
public final class JudgementWriter {

    /** Significant digits of the sides' summaries (median, mean, rate). */
    static final int SUMMARY_DIGITS = 12;

    private final ObjectMapper mapper;

    /** @param pretty indent the output for people */
    public JudgementWriter(boolean pretty) {
        this.mapper = new ObjectMapper().configure(SerializationFeature.INDENT_OUTPUT, pretty);
    }

    /** @return the response body */
    public String write(Judgement judgement) {
        return write(judgement, null);
    }

    /** @param rollout the response's {@code rollout} object, or null when the request named no rollout */
    public String write(Judgement judgement, ObjectNode rollout) {
        ObjectNode root = mapper.createObjectNode();
        root.put("id", judgement.id());
        root.put("verdict", JsonNames.of(judgement.verdict()));
        root.put("reason", judgement.reason());
        root.put("score", judgement.score());
        root.put("mode", JsonNames.of(judgement.mode()));
        ArrayNode metrics = root.putArray("metrics");
        for (MetricOutcome o : judgement.metrics()) {
            metrics.add(metric(o));
        }
        judgement.trafficCheck().ifPresent(t -> {
            ObjectNode traffic = root.putObject("traffic");
            traffic.put("outcome", JsonNames.of(t.outcome()));
            traffic.put("expectedShare", t.expectedShare());
            number(traffic, "observedShare", t.observedShare());
            traffic.put("reason", t.reason());
        });
        if (rollout != null) {
            root.set("rollout", rollout);
        }
        try {
            return mapper.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return one metric's outcome as the contract's response writes it (an element of
     *     {@code metrics}); other adapters embed it so that every endpoint reports a metric alike
     */
    public ObjectNode metric(MetricOutcome o) {
        ObjectNode m = mapper.createObjectNode();
        m.put("name", o.name());
        m.put("outcome", JsonNames.of(o.outcome()));
        m.put("reason", o.reason());
        m.put("test", o.test());
        number(m, "pValue", o.pValue());
        m.set("effect", o.effect().map(this::effect).orElse(null));
        ObjectNode bands = m.putObject("bands");
        if (o.holdAllowed() != null) {
            bands.set("hold", range(o.holdAllowed()));
        }
        if (o.rollbackAllowed() != null) {
            bands.set("rollback", range(o.rollbackAllowed()));
        }
        if (o.effects().size() > 1) {
            ArrayNode effects = m.putArray("effects");
            o.effects().forEach(e -> effects.add(effect(e)));
        }
        m.set("baseline", summary(o.baseline()));
        m.set("canary", summary(o.canary()));
        o.stageResult().ifPresent(stage -> {
            ObjectNode st = m.putObject("stage");
            st.put("name", stage.name());
            st.put("outcome", JsonNames.of(stage.outcome()));
            st.set("effect", stage.stageEffect().map(this::effect).orElse(null));
            st.putObject("baseline").put("n", stage.baselineN());
            st.putObject("canary").put("n", stage.canaryN());
            st.put("reason", stage.reason());
        });
        return m;
    }

    private ObjectNode effect(Effect e) {
        ObjectNode n = mapper.createObjectNode();
        n.put("scale", JsonNames.of(e.scale()));
        number(n, "estimate", e.estimate());
        number(n, "lower", e.interval().lower());
        number(n, "upper", e.interval().upper());
        n.put("confidence", e.confidence());
        return n;
    }

    private ObjectNode range(Interval allowed) {
        ObjectNode n = mapper.createObjectNode();
        number(n, "lower", allowed.lower());
        number(n, "upper", allowed.upper());
        return n;
    }

    private ObjectNode summary(SideSummary side) {
        ObjectNode n = mapper.createObjectNode();
        if (side instanceof RateSummary r) {
            n.put("errors", r.errors());
            n.put("requests", r.requests());
            number(n, "rate", summary(r.rate()));
            return n;
        }
        if (side instanceof HistogramSummary h) {
            n.put("requests", h.requests());
            number(n, "quantile", summary(h.quantile()));
            return n;
        }
        SampleSummary s = (SampleSummary) side;
        n.put("n", s.n());
        number(n, "median", summary(s.median()));
        number(n, "mean", summary(s.mean()));
        return n;
    }

    /**
     * A summary statistic to {@value #SUMMARY_DIGITS} significant digits: a median of 122.9 and 123.0
     * is 122.95, not the binary sum's 122.94999999999999. That is far finer than any data a rollout
     * tool sends, and the judgement itself uses the unrounded values.
     */
    static double summary(double value) {
        return Double.isFinite(value) && value != 0
            ? new BigDecimal(value).round(new MathContext(SUMMARY_DIGITS)).doubleValue() : value;
    }

    /**
     * Puts a number, or {@code null} when it is not finite: JSON has no NaN or infinity, and
     * clients should not have to parse them.
     */
    public static void number(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }
}
