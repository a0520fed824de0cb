package org.canaryjudge.server.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.canaryjudge.server.judging.JsonJudge;
import org.junit.jupiter.api.Test;

class JudgementWriterTest {

    private final ObjectMapper mapper = new ObjectMapper();

    private JsonNode judge(String json) throws Exception {
        var judgement = new JsonJudge().judge(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
        String text = new JudgementWriter(false).write(judgement);
        assertTrue(!text.contains("NaN") && !text.contains("Infinity"), text);
        return mapper.readTree(text);
    }

    @Test
    void writesTheContractsResponseShape() throws Exception {
        JsonNode r = judge("{'id': 'look-3', 'mode': 'fixed', 'metrics': [{'name': 'p99', 'correlation': 'ignore',"
            + " 'hold': {'relative': 0.10}, 'rollback': {'absolute': 100}, 'minSamples': 3,"
            + " 'baseline': [100, 101, 99, 100.5, null], 'canary': [100, 102, 99.5, 101]}]}");
        assertEquals("look-3", r.get("id").asText());
        assertEquals("fixed", r.get("mode").asText());
        assertTrue(r.get("verdict").asText().matches("promote|hold|rollback"));
        assertTrue(r.get("score").isNumber());
        JsonNode m = r.get("metrics").get(0);
        assertEquals("p99", m.get("name").asText());
        assertEquals("mann-whitney", m.get("test").asText());
        assertTrue(m.get("pValue").isNumber());
        assertEquals("relative", m.get("effect").get("scale").asText());
        assertEquals(0.95, m.get("effect").get("confidence").asDouble());
        assertTrue(m.get("bands").get("hold").get("lower").isNull(), "unbounded is null");
        assertEquals(0.10, m.get("bands").get("hold").get("upper").asDouble());
        assertEquals(100, m.get("bands").get("rollback").get("upper").asDouble());
        assertEquals(2, m.get("effects").size(), "two scales, two effects");
        assertEquals("absolute", m.get("effects").get(1).get("scale").asText());
        assertEquals(4, m.get("baseline").get("n").asInt());
        assertEquals(100.25, m.get("baseline").get("median").asDouble());
        assertEquals(4, m.get("canary").get("n").asInt());
    }

    @Test
    void summariesAreRoundedToTwelveSignificantDigits() throws Exception {
        String json = "{'mode': 'fixed', 'metrics': [{'name': 'p99', 'hold': {'relative': 0.10}, 'minSamples': 2,"
            + " 'baseline': [120.1, 120.2, 120.4], 'canary': [122.9, 123.0]}]}";
        var judgement = new JsonJudge().judge(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
        String text = new JudgementWriter(false).write(judgement);
        assertTrue(text.contains("\"median\":122.95,"), "the median of 122.9 and 123.0: " + text);
        assertTrue(text.contains("\"mean\":120.233333333}"), "a mean to 12 digits: " + text);
        assertEquals(122.95, JudgementWriter.summary(122.94999999999999));
        assertEquals(0.0, JudgementWriter.summary(0.0));
        assertEquals(1.0e-7, JudgementWriter.summary(1.0e-7), "small values keep their digits");
        assertEquals(0.0035, JudgementWriter.summary(35.0 / 10_000));
    }

    @Test
    void writesNullWhereNothingWasComputed() throws Exception {
        JsonNode r = judge("{'mode': 'fixed', 'metrics': [{'name': 'p99', 'hold': {'relative': 0.10},"
            + " 'baseline': [], 'canary': [1, 2]}]}");
        assertTrue(r.get("id").isNull());
        JsonNode m = r.get("metrics").get(0);
        assertEquals("nodata", m.get("outcome").asText());
        assertEquals("hold", r.get("verdict").asText());
        assertTrue(m.get("pValue").isNull());
        assertTrue(m.get("effect").isNull());
        assertTrue(m.get("test").isNull());
        assertTrue(m.get("baseline").get("median").isNull());
        assertEquals(0.0, r.get("score").asDouble());
    }
}
