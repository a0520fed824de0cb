package org.canaryjudge.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.canaryjudge.model.JudgeRequest;
import org.canaryjudge.model.Judgement;
import org.canaryjudge.server.http.TestRequests;
import org.canaryjudge.server.judging.JsonJudge;
import org.canaryjudge.server.json.JudgementWriter;
import org.canaryjudge.server.json.RequestReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What {@code POST /judge} does in-process, without HTTP: a typical request (three continuous
 * metrics, 60 baseline + 60 canary points each, fixed mode, verdict hold) parsed, judged and
 * written ({@link #parseJudgeWrite}), against the JSON work alone: the same body parsed with
 * {@link RequestReader#read} and a precomputed judgement written ({@link #parseWrite}). The ratio is
 * what the statistics add to the JSON mapping every adapter has to do anyway.
 *
 * <p>The request is the typical one of judge-server's tests ({@link TestRequests#typical}, from its
 * test jar). From the repository root, against the judge-core and judge-server of the same tree
 * (nothing is installed; see docs/performance.md):
 *
 * <pre>
 * ./mvnw -B -pl judge-benchmarks -am package -DskipTests
 * java -jar judge-benchmarks/target/benchmarks.jar ServerPathBenchmark -f 2 -wi 5 -i 8 -w 1s -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class ServerPathBenchmark {

    /** The metrics' {@code correlation}: {@code adjust} is the default. */
    @Param({"adjust", "ignore"})
    public String correlation;

    private byte[] body;
    private JsonJudge judge;
    private RequestReader reader;
    private JudgementWriter writer;
    private Judgement judgement;

    @Setup
    public void setUp() {
        ObjectNode request = TestRequests.typical(42, TestRequests.Flavor.HOLD);
        for (JsonNode m : request.get("metrics")) {
            ((ObjectNode) m).put("correlation", correlation);
        }
        body = request.toString().getBytes(StandardCharsets.UTF_8);
        reader = new RequestReader();
        judge = new JsonJudge(reader);
        writer = new JudgementWriter(false);
        judgement = judge.judge(body);
    }

    /** Parse + judge + write: the whole of POST /judge but HTTP. */
    @Benchmark
    public String parseJudgeWrite() {
        return writer.write(judge.judge(body));
    }

    /** Parse + write alone: the JSON work, with a judgement computed beforehand. */
    @Benchmark
    public void parseWrite(Blackhole bh) {
        JudgeRequest request = reader.read(body);
        bh.consume(request);
        bh.consume(writer.write(judgement));
    }
}
