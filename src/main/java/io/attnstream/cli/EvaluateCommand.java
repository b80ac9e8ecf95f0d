package io.attnstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.attnstream.traffic.ForecastEvaluation;
import io.attnstream.traffic.ForecastMetrics;
import io.attnstream.traffic.SpeedMatrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code evaluate <model>}: scores a model on held-out data with the dataset's published protocol. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a model on held-out data with the published protocol. Models in this build:"
                + " last-value (traffic persistence baseline, Los-loop protocol).")
public final class EvaluateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "Model to evaluate: last-value.")
    String model;

    @Option(names = "--data", required = true, paramLabel = "CSV", description = "Speed matrix CSV (Los-loop layout).")
    Path data;

    @Option(names = "--test-fraction", defaultValue = "1.0",
            description = "Score on the last fraction of the file's rows (chronological split); 1.0 = the whole"
                    + " file is the test part (default: ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--input-steps", defaultValue = "12", description = "Input window in steps (default: ${DEFAULT-VALUE}).")
    int inputSteps;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the metrics as JSON here.")
    Path json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!"last-value".equals(model)) {
            throw new Main.UsageException("no model named '" + model + "' to evaluate in this build; available: last-value");
        }
        if (!(testFraction > 0 && testFraction <= 1)) {
            throw new Main.UsageException("--test-fraction must be in (0, 1]");
        }
        if (!Files.isReadable(data)) {
            throw new Main.UsageException("data file not found or unreadable: " + data);
        }
        SpeedMatrix all = SpeedMatrix.readCsv(data);
        int from = (int) Math.floor(all.steps() * (1 - testFraction));
        SpeedMatrix test = all.rows(from, all.steps());
        int[] horizons = {3, 6, 12};
        int needed = inputSteps + horizons[horizons.length - 1];
        if (test.steps() < needed) {
            throw new Main.UsageException("the test part has " + test.steps() + " rows; at least " + needed
                    + " (input steps + 12) are needed for one window");
        }
        List<ForecastMetrics> metrics = ForecastEvaluation.evaluate(test, inputSteps, horizons, ForecastEvaluation.LAST_VALUE);

        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "model last-value on %s: rows %d..%d of %d, %d sensors, input %d steps%n",
                data.getFileName(), from, all.steps(), all.steps(), all.sensors(), inputSteps);
        out.printf(Locale.ROOT, "%-9s %8s %8s %9s %14s%n", "horizon", "RMSE", "MAE", "accuracy", "RMSE@step-only");
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("model", model);
        report.put("data", data.toString());
        report.put("test_rows", test.steps());
        for (ForecastMetrics m : metrics) {
            out.printf(Locale.ROOT, "%-9s %8.3f %8.3f %9.4f %14.3f%n", (m.horizon() * 5) + " min", m.rmse(), m.mae(),
                    m.accuracy(), m.singleStepRmse());
            report.put((m.horizon() * 5) + "min", Map.of("rmse", m.rmse(), "mae", m.mae(),
                    "accuracy", m.accuracy(), "rmse_single_step", m.singleStepRmse()));
        }
        out.flush();
        if (json != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
        }
        return 0;
    }
}
