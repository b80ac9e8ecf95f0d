package io.attnstream.traffic.cli;

import ai.djl.Device;
import io.attnstream.cli.CommonOptions;
import io.attnstream.cli.InputFiles;
import io.attnstream.cli.Main;
import io.attnstream.inference.LoadedModel;
import io.attnstream.inference.ModelStore;
import io.attnstream.platform.AttnstreamOptions;
import io.attnstream.traffic.data.SpeedMatrix;
import io.attnstream.traffic.eval.EvaluationReport;
import io.attnstream.traffic.eval.ForecastEvaluation;
import io.attnstream.traffic.eval.HistoricalAverage;
import io.attnstream.traffic.eval.ModelForecaster;
import io.attnstream.traffic.model.Adjacency;
import io.attnstream.traffic.model.TrafficPreprocessing;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code evaluate traffic --model M}: the forecaster against the last-value and historical-average
 * baselines on the same windows (Los-loop protocol); {@link EvaluateLastValueCommand} is the
 * baselines alone.
 */
@Command(
        name = "traffic",
        mixinStandardHelpOptions = true,
        description =
                "The traffic forecaster against the last-value and historical-average baselines on"
                        + " the same windows of a speed matrix (Los-loop protocol).")
public class EvaluateTrafficCommand implements Callable<Integer> {
    @Option(
            names = "--model",
            paramLabel = "REF",
            description =
                    "The forecaster, a directory or name[@version] under"
                            + " attnstream.models.root.")
    String model;

    @Option(
            names = "--adjacency",
            paramLabel = "CSV",
            description =
                    "The N x N adjacency; the model carries the"
                            + " one it was trained with, so this only checks the shape.")
    Path adjacency;

    @Mixin CommonOptions common;

    @Option(
            names = "--data",
            required = true,
            paramLabel = "FILE",
            description = "Speed-matrix CSV (Los-loop layout).")
    Path data;

    @Option(
            names = "--test-fraction",
            defaultValue = "1.0",
            description =
                    "Score on the last fraction of the file's rows (chronological split); 1.0 = the"
                            + " whole file is the test part (default: ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(
            names = "--train",
            paramLabel = "CSV",
            description =
                    "Training rows that directly precede --data in time (e.g. los_speed_train.csv"
                        + " when --data is the held-out tail); fitted baselines also use the rows"
                        + " of --data before the test part.")
    Path train;

    @Option(
            names = "--start",
            defaultValue = "2012-03-01T00:00:00Z",
            paramLabel = "INSTANT",
            description =
                    "UTC time of the first row (of --train if given, else of --data); Los-loop's by"
                            + " default (default: ${DEFAULT-VALUE}).")
    Instant start;

    @Option(
            names = "--step-seconds",
            defaultValue = "300",
            description = "Seconds between rows (default: ${DEFAULT-VALUE}).")
    int stepSeconds;

    @Option(
            names = "--input-steps",
            defaultValue = "12",
            description = "Input window in steps (default: ${DEFAULT-VALUE}).")
    int inputSteps;

    @Option(
            names = "--json",
            paramLabel = "FILE",
            description = "Also write the metrics as JSON here.")
    Path json;

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (model == null && modelRequired()) {
            throw new Main.UsageException(
                    "evaluate traffic needs --model (or evaluate last-value for the baselines"
                            + " alone)");
        }
        if (!(testFraction > 0 && testFraction <= 1)) {
            throw new Main.UsageException("--test-fraction must be in (0, 1]");
        }
        if (inputSteps < 1 || stepSeconds < 1 || 86_400 % stepSeconds != 0) {
            throw new Main.UsageException(
                    "--input-steps must be >= 1 and --step-seconds must divide a day");
        }
        Instant t0 = start;
        InputFiles.requireReadable(data);
        if (train != null) {
            InputFiles.requireReadable(train);
        }
        SpeedMatrix all = SpeedMatrix.readCsv(data);
        SpeedMatrix before = train == null ? null : SpeedMatrix.readCsv(train);
        if (before != null && !before.sensorIds().equals(all.sensorIds())) {
            throw new Main.UsageException(
                    train + " and " + data + " have different sensor columns");
        }
        ForecastEvaluation.Split split = ForecastEvaluation.Split.chronological(all, testFraction);
        SpeedMatrix test = split.test();
        int[] horizons = ForecastEvaluation.HORIZONS;
        int needed = inputSteps + horizons[horizons.length - 1];
        if (test.steps() < needed) {
            throw new Main.UsageException(
                    "the test part has "
                            + test.steps()
                            + " rows; at least "
                            + needed
                            + " (input steps + 12) are needed for one window");
        }
        long stepMillis = stepSeconds * 1000L;
        int rowsBeforeData = before == null ? 0 : before.steps();
        long dataStart = t0.toEpochMilli() + rowsBeforeData * stepMillis;
        long testStart = dataStart + split.testFromRow() * stepMillis;
        ForecastEvaluation.Result result;
        SpeedMatrix history = before == null ? split.train() : concat(before, split.train());

        Map<String, ForecastEvaluation.BatchForecaster> forecasters = new LinkedHashMap<>();
        LoadedModel loaded = null;
        try {
            if (model != null) {
                Path dir =
                        new ModelStore(
                                        Path.of(
                                                common.configuration()
                                                        .get(AttnstreamOptions.MODELS_ROOT)))
                                .resolve(model);
                loaded = ModelStore.load(dir, Device.cpu());
                if (adjacency != null) {
                    Adjacency.readCsv(adjacency, all.sensors());
                }
                int modelSteps = TrafficPreprocessing.of(loaded.spec()).inputSteps();
                if (modelSteps != inputSteps) {
                    throw new Main.UsageException(
                            "model "
                                    + loaded.spec().ref()
                                    + " takes "
                                    + modelSteps
                                    + " input steps; --input-steps is "
                                    + inputSteps);
                }
                forecasters.put(loaded.spec().ref(), new ModelForecaster(loaded, all.sensorIds()));
            }
            forecasters.put("last-value", ForecastEvaluation.LAST_VALUE);
            if (history.steps() > 0) {
                forecasters.put(
                        "historical-average",
                        HistoricalAverage.fit(history, t0.toEpochMilli(), stepSeconds));
            }
            result =
                    ForecastEvaluation.evaluate(
                            test, testStart, stepSeconds, inputSteps, horizons, forecasters);
        } finally {
            if (loaded != null) {
                loaded.close();
            }
        }
        EvaluationReport report =
                new EvaluationReport(
                        data.toString(),
                        (train == null ? data : train).toString(),
                        history.steps(),
                        split.testFromRow(),
                        all.steps(),
                        all.sensors(),
                        Instant.ofEpochMilli(testStart),
                        result);

        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                Locale.ROOT,
                "evaluate on %s: test rows %d..%d of %d (from %s), %d sensors, input %d steps,"
                        + " %d windows, %d training rows%n",
                data.getFileName(),
                split.testFromRow(),
                all.steps(),
                all.steps(),
                Instant.ofEpochMilli(testStart),
                all.sensors(),
                inputSteps,
                result.windows(),
                history.steps());
        if (history.steps() == 0) {
            out.println(
                    "historical-average: not scored, no training rows before the test part"
                            + " (use --test-fraction < 1 or --train)");
        }
        report.printTable(out);
        if (json != null) {
            report.writeJson(json);
        }
        return 0;
    }

    /** Whether --model must be given (the baselines-alone command does without). */
    boolean modelRequired() {
        return true;
    }

    private static SpeedMatrix concat(SpeedMatrix a, SpeedMatrix b) {
        float[][] rows = new float[a.steps() + b.steps()][];
        System.arraycopy(a.speeds(), 0, rows, 0, a.steps());
        System.arraycopy(b.speeds(), 0, rows, a.steps(), b.steps());
        return new SpeedMatrix(a.sensorIds(), rows);
    }
}
