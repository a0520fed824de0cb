package org.canaryjudge.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.canaryjudge.calibration.Method;
import org.canaryjudge.calibration.ScenarioResult;
import org.canaryjudge.calibration.Scenarios;
import org.canaryjudge.calibration.Simulator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code canary-judge simulate}: the calibration simulator, as a table and optionally as CSV or JSON. */
@Command(name = "simulate",
    description = {"Runs the calibration simulator on rollouts with a known truth.",
        "Judges each one look by look in three ways: sequential mode,",
        "fixed mode re-run at every look, and a Kayenta-like rule.",
        "Prints a table per scenario and method, with a legend (docs/calibration.md):",
        "coverage, false rollback, false promote and time to the right decision.",
        "Exit status: 0."},
    mixinStandardHelpOptions = true)
final class SimulateCommand implements Callable<Integer> {

    /** Which scenarios to run. */
    enum Set { standard, reduced }

    @Option(names = "--rollouts", defaultValue = "2000", description = "rollouts per scenario (default: ${DEFAULT-VALUE})")
    private int rollouts;

    @Option(names = "--looks", defaultValue = "12", description = "looks per rollout (default: ${DEFAULT-VALUE})")
    private int looks;

    @Option(names = "--set", defaultValue = "standard", description = "scenario set: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    private Set set;

    @Option(names = "--confidence", defaultValue = "0.95", description = "two-sided level (default: ${DEFAULT-VALUE})")
    private double confidence;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--out", paramLabel = "FILE", description = "also write every number, look by look, to FILE (.csv or .json)")
    private Path out;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (rollouts < 1 || looks < 1 || !(confidence > 0.5 && confidence < 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--rollouts and --looks must be at least 1 and --confidence in (0.5, 1)");
        }
        if (out != null && !(out.toString().endsWith(".csv") || out.toString().endsWith(".json"))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--out must name a .csv or .json file");
        }
        long start = System.nanoTime();
        List<ScenarioResult> results = new Simulator(rollouts, looks, confidence, seed)
            .run(set == Set.standard ? Scenarios.standard() : Scenarios.reduced());
        double seconds = (System.nanoTime() - start) / 1e9;
        PrintWriter w = spec.commandLine().getOut();
        w.println(table(results));
        w.print(LEGEND);
        w.printf(Locale.ROOT, "%d scenarios × %d rollouts × %d looks in %.1f s; coverage ± is the Monte-Carlo standard error.%n",
            results.size() / Method.values().length, rollouts, looks, seconds);
        if (out != null) {
            Files.writeString(out, out.toString().endsWith(".csv") ? csv(results) : json(results));
            w.println("wrote " + out);
        }
        w.flush();
        return 0;
    }

    /** What the table's columns mean; every share is over the scenario's rollouts, up to the last look. */
    static final String LEGEND = """
        scenario   the simulated rollout: its true effect and noise (docs/calibration.md)
        expect     the right decision for that truth: promote, hold or rollback
        method     sequential: this judge in sequential mode; fixed: fixed mode re-run at
                   every look; kayenta-like: pass unless Mann-Whitney finds a difference
        coverage   share of rollouts whose intervals held the true effect at every look
                   (± its Monte-Carlo standard error; - for a method without intervals)
        falseRB    share rolled back at some look although the truth is inside the
                   rollback band
        falsePro   share promoted at some look although the truth is at or beyond the
                   hold band
        correct    share that reached the right decision by the last look
        look       median look of the first right decision (- when fewer than half did)
        """;

    static String table(List<ScenarioResult> results) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-34s %-8s %-12s %14s %9s %9s %9s %7s%n",
            "scenario", "expect", "method", "coverage", "falseRB", "falsePro", "correct", "look"));
        for (ScenarioResult r : results) {
            String coverage = Double.isNaN(r.finalCoverage()) ? "-"
                : String.format(Locale.ROOT, "%.3f±%.3f", r.finalCoverage(), r.coverageError());
            b.append(String.format(Locale.ROOT, "%-34s %-8s %-12s %14s %9.3f %9.3f %9.3f %7s%n", r.scenario(),
                r.expected().name().toLowerCase(Locale.ROOT), r.method().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                coverage, r.finalFalseRollback(), r.finalFalsePromote(), r.finalCorrect(),
                Double.isNaN(r.medianCorrectLook()) ? "-" : String.valueOf((int) r.medianCorrectLook())));
        }
        return b.toString();
    }

    static String csv(List<ScenarioResult> results) {
        StringBuilder b = new StringBuilder(
            "scenario,group,method,trueEffect,expected,look,coverage,falseRollback,falsePromote,correct,rollouts\n");
        for (ScenarioResult r : results) {
            for (int k = 0; k < r.looks(); k++) {
                b.append(String.join(",", r.scenario(), r.group(), name(r.method()), Double.toString(r.trueEffect()),
                    r.expected().name().toLowerCase(Locale.ROOT), Integer.toString(k + 1),
                    Double.isNaN(r.coverage()[k]) ? "" : Double.toString(r.coverage()[k]),
                    Double.toString(r.falseRollback()[k]), Double.toString(r.falsePromote()[k]),
                    Double.toString(r.correct()[k]), Integer.toString(r.rollouts()))).append('\n');
            }
        }
        return b.toString();
    }

    static String json(List<ScenarioResult> results) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode list = mapper.createArrayNode();
        for (ScenarioResult r : results) {
            ObjectNode n = list.addObject();
            n.put("scenario", r.scenario());
            n.put("group", r.group());
            n.put("method", name(r.method()));
            n.put("trueEffect", r.trueEffect());
            n.put("expected", r.expected().name().toLowerCase(Locale.ROOT));
            n.put("rollouts", r.rollouts());
            if (Double.isNaN(r.medianCorrectLook())) {
                n.putNull("medianCorrectLook");
            } else {
                n.put("medianCorrectLook", r.medianCorrectLook());
            }
            array(n.putArray("coverage"), r.coverage());
            array(n.putArray("falseRollback"), r.falseRollback());
            array(n.putArray("falsePromote"), r.falsePromote());
            array(n.putArray("correct"), r.correct());
        }
        return mapper.writeValueAsString(list);
    }

    private static void array(ArrayNode node, double[] values) {
        for (double v : values) {
            if (Double.isNaN(v)) {
                node.addNull();
            } else {
                node.add(v);
            }
        }
    }

    private static String name(Method m) {
        return m.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
