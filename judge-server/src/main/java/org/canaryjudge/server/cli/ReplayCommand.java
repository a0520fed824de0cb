package org.canaryjudge.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.canaryjudge.model.MetricOutcome;
import org.canaryjudge.model.MetricType;
import org.canaryjudge.replay.Look;
import org.canaryjudge.server.fixture.Fixture;
import org.canaryjudge.server.fixture.FixtureException;
import org.canaryjudge.server.fixture.FixtureReader;
import org.canaryjudge.server.fixture.FixtureReplay;
import org.canaryjudge.server.json.JudgementWriter;
import org.canaryjudge.server.report.Formats;
import org.canaryjudge.server.report.ReplayReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code canary-judge replay PATH... [--check] [--json] [--report FILE.html]}: replays recorded fixtures. */
@Command(name = "replay",
    description = {"Replays recorded fixtures look by look (docs/contract.md).",
        "PATH is a fixture folder, or a folder of fixtures.",
        "Exit status: 0; with --check, 1 when an outcome misses its expectation;",
        "2 for a bad fixture."},
    mixinStandardHelpOptions = true)
final class ReplayCommand implements Callable<Integer> {

    static final int MISSED = 1;
    static final int BAD_FIXTURE = 2;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "fixture folders, or folders of fixtures")
    private List<Path> paths;

    @Option(names = "--check", description = "exit 1 when an outcome misses the fixture's expectation")
    private boolean check;

    @Option(names = "--json", description = "one JSON document per fixture and line")
    private boolean json;

    @Option(names = "--report", paramLabel = "FILE.html", description = "write a self-contained HTML report")
    private Path report;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<FixtureReplay> replays = new ArrayList<>();
        try {
            FixtureReader reader = new FixtureReader();
            for (Path path : paths) {
                for (Path folder : FixtureReader.folders(path)) {
                    replays.add(FixtureReplay.of(reader.read(folder)));
                }
            }
        } catch (FixtureException e) {
            err.println("canary-judge replay: " + e.getMessage());
            err.flush();
            return BAD_FIXTURE;
        }
        ObjectMapper mapper = new ObjectMapper();
        int missed = 0;
        for (FixtureReplay replay : replays) {
            if (json) {
                out.println(mapper.writeValueAsString(json(mapper, replay)));
            } else {
                out.print(table(replay));
            }
            String mismatch = replay.mismatch();
            if (check && mismatch != null) {
                missed++;
                err.println("MISSED " + replay.fixture().name() + ": " + mismatch);
            }
        }
        if (report != null) {
            ReplayReport.write(replays, report);
            if (!json) {
                out.println("wrote " + report);
            }
        }
        if (check && !json) {
            out.println((replays.size() - missed) + " of " + replays.size() + " fixtures met their expectation");
        }
        out.flush();
        err.flush();
        return check && missed > 0 ? MISSED : 0;
    }

    /**
     * One fixture's replay as one JSON document: the contract's {@code fixture}, {@code outcome},
     * {@code decidedAtLook} and {@code looks} (each with {@code metrics}: name → outcome), and beyond
     * them how the outcome came about ({@code decision}, {@code reason}), the expectation and whether
     * it was met, and per look the verdict's reason and each metric as {@code POST /judge} reports it
     * ({@code results}: outcome, reason, effect and interval, bands).
     */
    static ObjectNode json(ObjectMapper mapper, FixtureReplay replay) {
        Fixture f = replay.fixture();
        ObjectNode n = mapper.createObjectNode();
        n.put("fixture", f.name());
        n.put("outcome", lower(replay.result().outcome()));
        n.put("decidedAtLook", replay.result().decidedAtLook());
        n.put("decision", replay.decision());
        n.put("reason", replay.decidingLook().judgement().reason());
        if (f.expected() == null) {
            n.putNull("expect");
            n.putNull("met");
        } else {
            ObjectNode expect = n.putObject("expect");
            expect.put("outcome", lower(f.expected()));
            if (f.byLook() != null) {
                expect.put("byLook", f.byLook());
            }
            n.put("met", replay.mismatch() == null);
            if (replay.mismatch() != null) {
                n.put("mismatch", replay.mismatch());
            }
        }
        JudgementWriter writer = new JudgementWriter(false);
        ArrayNode looks = n.putArray("looks");
        for (Look look : replay.result().looks()) {
            ObjectNode l = looks.addObject();
            l.put("look", look.index());
            l.put("at", Instant.ofEpochSecond(look.time()).toString());
            l.put("verdict", lower(look.judgement().verdict()));
            l.put("reason", look.judgement().reason());
            ObjectNode metrics = l.putObject("metrics");
            ArrayNode results = l.putArray("results");
            for (MetricOutcome o : look.judgement().metrics()) {
                metrics.put(o.name(), lower(o.outcome()));
                results.add(writer.metric(o));
            }
        }
        return n;
    }

    static String table(FixtureReplay replay) {
        Fixture f = replay.fixture();
        StringBuilder b = new StringBuilder();
        b.append(f.name()).append(": ").append(lower(replay.result().outcome())).append(" (").append(replay.decision())
            .append(")");
        if (f.expected() != null) {
            b.append(replay.mismatch() == null ? ", as expected" : ", MISSED: " + replay.mismatch());
        }
        b.append('\n');
        if (!f.description().isEmpty()) {
            b.append("  ").append(f.description()).append('\n');
        }
        List<String> names = f.metrics().stream().map(m -> m.spec().name()).toList();
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "  %4s  %-20s  %-8s", "look", "at", "verdict"));
        names.forEach(n -> header.append(String.format(Locale.ROOT, "  %-26s", n)));
        b.append(header.toString().stripTrailing()).append('\n');
        for (Look look : replay.result().looks()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %4d  %-20s  %-8s", look.index(),
                Instant.ofEpochSecond(look.time()), lower(look.judgement().verdict())));
            for (int i = 0; i < names.size(); i++) {
                MetricOutcome o = look.judgement().metrics().get(i);
                MetricType type = f.metrics().get(i).spec().type();
                line.append(String.format(Locale.ROOT, "  %-26s",
                    lower(o.outcome()) + o.effect().map(e -> " " + Formats.effect(e, type)).orElse("")));
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.append('\n').toString();
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
