package io.attnstream.cli;

import ai.djl.Device;
import io.attnstream.inference.LoadedModel;
import io.attnstream.inference.ModelStore;
import io.attnstream.platform.AttnstreamOptions;
import io.attnstream.clicks.RankingEvaluation;
import io.attnstream.traffic.Adjacency;
import io.attnstream.traffic.EvaluationReport;
import io.attnstream.traffic.ModelForecaster;
import io.attnstream.traffic.TrafficModels;
import io.attnstream.traffic.ForecastEvaluation;
import io.attnstream.traffic.HistoricalAverage;
import io.attnstream.traffic.SpeedMatrix;
import io.attnstream.video.CamVid;
import io.attnstream.video.SegmentationClasses;
import io.attnstream.video.SegmentationEvaluation;
import io.attnstream.video.SegmentationModels;
import io.attnstream.video.SegmentationSample;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code evaluate <model>}: scores a model on held-out data with the dataset's published protocol. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a model on held-out data with the published protocol. traffic --model M: the"
                + " forecaster against the last-value and historical-average baselines on the same windows (Los-loop"
                + " protocol); last-value: the baselines alone.")
public final class EvaluateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "KIND", description = "What to evaluate: traffic, clicks or video (with --model), or"
            + " last-value (the traffic baselines alone).")
    String kind;

    @Option(names = "--protocol", defaultValue = "sampled-100", description = "clicks: sampled-100 (the held-out item"
            + " against 100 items the user never touched, fixed seed) or full (against all items) (default: ${DEFAULT-VALUE}).")
    String protocol;

    @Option(names = "--format", defaultValue = "user_item", description = "clicks: layout of --data:"
            + " ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    ProduceClicksCommand.Format format;

    @Option(names = "--model", paramLabel = "REF", description = "traffic: the model, a directory or name[@version] under"
            + " attnstream.models.root.")
    String model;

    @Option(names = "--adjacency", paramLabel = "CSV", description = "traffic: the N x N adjacency; the model carries the"
            + " one it was trained with, so this only checks the shape.")
    Path adjacency;

    @Mixin
    CommonOptions common;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "traffic: speed-matrix CSV (Los-loop layout); clicks: interaction file (see --format); video: a CamVid-style folder.")
    Path data;

    @Option(names = "--test-fraction", defaultValue = "1.0",
            description = "Score on the last fraction of the file's rows (chronological split); 1.0 = the whole"
                    + " file is the test part (default: ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--train", paramLabel = "CSV",
            description = "Training rows that directly precede --data in time (e.g. los_speed_train.csv when --data"
                    + " is the held-out tail); fitted baselines also use the rows of --data before the test part.")
    Path train;

    @Option(names = "--start", defaultValue = "2012-03-01T00:00:00Z", paramLabel = "INSTANT",
            description = "UTC time of the first row (of --train if given, else of --data); Los-loop's by default"
                    + " (default: ${DEFAULT-VALUE}).")
    Instant start;

    @Option(names = "--step-seconds", defaultValue = "300", description = "Seconds between rows (default: ${DEFAULT-VALUE}).")
    int stepSeconds;

    @Option(names = "--input-steps", defaultValue = "12", description = "Input window in steps (default: ${DEFAULT-VALUE}).")
    int inputSteps;

    @Option(names = "--split", defaultValue = "test", description = "video: the split folder of --data to score (<split>/ +"
            + " <split>annot/), at the labels' own resolution (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the metrics as JSON here.")
    Path json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!"last-value".equals(kind) && !"traffic".equals(kind) && !"clicks".equals(kind) && !"video".equals(kind)) {
            throw new Main.UsageException("nothing named '" + kind + "' to evaluate in this build; available: traffic,"
                    + " clicks, video, last-value");
        }
        if ("clicks".equals(kind)) {
            return evaluateClicks();
        }
        if ("video".equals(kind)) {
            return evaluateVideo();
        }
        if ("traffic".equals(kind) && model == null) {
            throw new Main.UsageException("evaluate traffic needs --model (or evaluate last-value for the baselines alone)");
        }
        if (!(testFraction > 0 && testFraction <= 1)) {
            throw new Main.UsageException("--test-fraction must be in (0, 1]");
        }
        if (inputSteps < 1 || stepSeconds < 1 || 86_400 % stepSeconds != 0) {
            throw new Main.UsageException("--input-steps must be >= 1 and --step-seconds must divide a day");
        }
        Instant t0 = start;
        requireReadable(data);
        if (train != null) {
            requireReadable(train);
        }
        SpeedMatrix all = SpeedMatrix.readCsv(data);
        SpeedMatrix before = train == null ? null : SpeedMatrix.readCsv(train);
        if (before != null && !before.sensorIds().equals(all.sensorIds())) {
            throw new Main.UsageException(train + " and " + data + " have different sensor columns");
        }
        ForecastEvaluation.Split split = ForecastEvaluation.Split.chronological(all, testFraction);
        SpeedMatrix test = split.test();
        int[] horizons = ForecastEvaluation.HORIZONS;
        int needed = inputSteps + horizons[horizons.length - 1];
        if (test.steps() < needed) {
            throw new Main.UsageException("the test part has " + test.steps() + " rows; at least " + needed
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
                Path dir = new ModelStore(Path.of(common.configuration().get(AttnstreamOptions.MODELS_ROOT))).resolve(model);
                loaded = ModelStore.load(dir, Device.cpu());
                if (adjacency != null) {
                    Adjacency.readCsv(adjacency, all.sensors());
                }
                if (TrafficModels.inputSteps(loaded.spec()) != inputSteps) {
                    throw new Main.UsageException("model " + loaded.spec().ref() + " takes " + TrafficModels.inputSteps(loaded.spec())
                            + " input steps; --input-steps is " + inputSteps);
                }
                forecasters.put(loaded.spec().ref(), new ModelForecaster(loaded, all.sensorIds()));
            }
            forecasters.put("last-value", ForecastEvaluation.LAST_VALUE);
            if (history.steps() > 0) {
                forecasters.put("historical-average", HistoricalAverage.fit(history, t0.toEpochMilli(), stepSeconds));
            }
            result = ForecastEvaluation.evaluate(test, testStart, stepSeconds, inputSteps, horizons, forecasters);
        } finally {
            if (loaded != null) {
                loaded.close();
            }
        }
        EvaluationReport report = new EvaluationReport(data.toString(),
                (train == null ? data : train).toString(), history.steps(), split.testFromRow(), all.steps(),
                all.sensors(), Instant.ofEpochMilli(testStart), result);

        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "evaluate on %s: test rows %d..%d of %d (from %s), %d sensors, input %d steps,"
                        + " %d windows, %d training rows%n", data.getFileName(), split.testFromRow(), all.steps(),
                all.steps(), Instant.ofEpochMilli(testStart), all.sensors(), inputSteps, result.windows(),
                history.steps());
        if (history.steps() == 0) {
            out.println("historical-average: not scored, no training rows before the test part"
                    + " (use --test-fraction < 1 or --train)");
        }
        report.printTable(out);
        if (json != null) {
            report.writeJson(json);
        }
        return 0;
    }

    private static void requireReadable(Path file) {
        if (!Files.isReadable(file)) {
            throw new Main.UsageException("data file not found or unreadable: " + file);
        }
    }

    private static SpeedMatrix concat(SpeedMatrix a, SpeedMatrix b) {
        float[][] rows = new float[a.steps() + b.steps()][];
        System.arraycopy(a.speeds(), 0, rows, 0, a.steps());
        System.arraycopy(b.speeds(), 0, rows, a.steps(), b.steps());
        return new SpeedMatrix(a.sensorIds(), rows);
    }

    /** Each user's last item against the model and the most-popular baseline, on the same candidates. */
    private int evaluateClicks() throws Exception {
        if (model == null) {
            throw new Main.UsageException("evaluate clicks needs --model");
        }
        RankingEvaluation.Protocol p;
        try {
            p = RankingEvaluation.Protocol.parse(protocol);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage());
        }
        requireReadable(data);
        Path dir = new ModelStore(Path.of(common.configuration().get(AttnstreamOptions.MODELS_ROOT))).resolve(model);
        var interactions = TrainClicksCommand.read(data, format);
        long t0 = System.nanoTime();
        RankingEvaluation.Result r = RankingEvaluation.evaluate(interactions.sequences(), p, dir);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "evaluate %s on %s: each user's last item, %s, %.1f s%n", dir.getFileName(),
                data.getFileName(), p.label(), (System.nanoTime() - t0) / 1e9);
        r.printTable(out);
        out.flush();
        if (json != null) {
            r.writeJson(json);
        }
        return 0;
    }

    /** Per-class IoU, mean IoU, pixel accuracy and the confusion matrix on a CamVid-style split. */
    private int evaluateVideo() throws Exception {
        if (model == null) {
            throw new Main.UsageException("evaluate video needs --model");
        }
        if (!Files.isDirectory(data)) {
            throw new Main.UsageException("data folder not found: " + data);
        }
        Path dir = new ModelStore(Path.of(common.configuration().get(AttnstreamOptions.MODELS_ROOT))).resolve(model);
        try (LoadedModel loaded = ModelStore.load(dir, Device.cpu())) {
            SegmentationClasses classes = CamVid.classes(data, SegmentationModels.classes(loaded.spec()).voidIndex());
            List<SegmentationSample> samples = CamVid.load(data, split, classes);
            long t0 = System.nanoTime();
            SegmentationEvaluation.Result r = SegmentationEvaluation.evaluate(loaded, samples, classes, 4);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "evaluate %s on %s/%s: %d frames at the labels' resolution, model input %dx%d, %.1f s%n",
                    loaded.spec().ref(), data, split, samples.size(), SegmentationModels.inputWidth(loaded.spec()),
                    SegmentationModels.inputHeight(loaded.spec()), (System.nanoTime() - t0) / 1e9);
            out.print(r.table());
            out.flush();
            if (json != null) {
                Map<String, Object> report = new LinkedHashMap<>();
                report.put("model", loaded.spec().ref());
                report.put("data", data.toString());
                report.put("split", split);
                report.putAll(r.toMap());
                new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                        .writeValue(json.toFile(), report);
            }
        }
        return 0;
    }
}
