package io.attnstream.cli;

import io.attnstream.traffic.data.SpeedMatrix;
import io.attnstream.traffic.eval.ForecastEvaluation;
import io.attnstream.traffic.model.Adjacency;
import io.attnstream.traffic.sim.RoadNetworkSimulator;
import io.attnstream.traffic.train.TrafficTrainer;
import io.attnstream.traffic.train.TrainingProgress;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code train traffic}: fits the spatio-temporal forecaster on a speed matrix (chronological
 * split: the test tail is never seen; early stopping and model selection on a validation tail of
 * the training part) or on a simulated network, and writes the best epoch to the model store.
 */
@Command(
        name = "traffic",
        description =
                "Train the traffic forecaster on a speed-matrix CSV (or a simulated network) and"
                        + " write it to the model store as <out>/<name>/<version>.")
public final class TrainTrafficCommand implements Callable<Integer> {
    static class DataSource {
        @Option(
                names = "--data",
                paramLabel = "CSV",
                description = "Speed matrix CSV: header of sensor ids, one row per step.")
        Path data;

        @Option(
                names = "--simulate",
                paramLabel = "SENSORS",
                description = "Train on a simulated network of this many sensors instead.")
        Integer simulate;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    DataSource source;

    @Option(
            names = "--adjacency",
            paramLabel = "CSV",
            description = "N x N adjacency CSV (no header) in the data's column order.")
    Path adjacency;

    @Option(
            names = "--test-fraction",
            defaultValue = "0.2",
            description =
                    "Chronological tail held out for 'evaluate' and never used here (default:"
                            + " ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(
            names = "--validation-fraction",
            defaultValue = "0.1",
            description =
                    "Tail of the training part used for early stopping and model selection"
                            + " (default: ${DEFAULT-VALUE}).")
    double validationFraction;

    @Option(
            names = "--start",
            defaultValue = "2012-03-01T00:00:00Z",
            paramLabel = "INSTANT",
            description =
                    "UTC time of the first row of --data (Los-loop's by default; default:"
                            + " ${DEFAULT-VALUE}).")
    Instant start;

    @Option(
            names = "--step-seconds",
            defaultValue = "300",
            description = "Seconds between rows (default: ${DEFAULT-VALUE}).")
    int stepSeconds;

    @Option(
            names = "--zero-is-missing",
            defaultValue = "true",
            negatable = true,
            fallbackValue = "true",
            description =
                    "0 in the data means 'no reading', as in METR-LA-derived sets (default:"
                            + " ${DEFAULT-VALUE}).")
    boolean zeroIsMissing;

    @Option(
            names = "--days",
            defaultValue = "21",
            description = "--simulate: days of simulated readings (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--name",
            defaultValue = "traffic-forecaster",
            description = "Model name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(
            names = "--epochs",
            defaultValue = "50",
            description = "Most epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
            names = "--patience",
            defaultValue = "10",
            description =
                    "Stop after this many epochs without a better validation RMSE (default:"
                            + " ${DEFAULT-VALUE}).")
    int patience;

    @Option(
            names = "--max-minutes",
            defaultValue = "0",
            description =
                    "Time budget of the run, validations included: the epoch that would overrun it"
                            + " ends early and is validated as it is; 0 = no limit (default:"
                            + " ${DEFAULT-VALUE}).")
    double maxMinutes;

    @Option(
            names = "--batch-size",
            defaultValue = "32",
            description = "Windows per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--learning-rate",
            defaultValue = "0.001",
            description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(
            names = "--model-size",
            defaultValue = "32",
            description = "D (default: ${DEFAULT-VALUE}).")
    int modelSize;

    @Option(
            names = "--heads",
            defaultValue = "2",
            description = "Attention heads (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(
            names = "--input-steps",
            defaultValue = "12",
            description = "T, input steps (default: ${DEFAULT-VALUE}).")
    int inputSteps;

    @Option(
            names = "--horizon",
            defaultValue = "12",
            description = "H, forecast steps (default: ${DEFAULT-VALUE}).")
    int horizon;

    @Option(
            names = "--weight-decay",
            defaultValue = "0",
            description = "Adam weight decay (default: ${DEFAULT-VALUE}).")
    float weightDecay;

    @Option(
            names = "--dropout",
            defaultValue = "0",
            description =
                    "Dropout in the attention layers; measured on Los-loop, 0.1 halved the speed"
                            + " and did not help within 10 minutes (default: ${DEFAULT-VALUE}).")
    float dropout;

    @Option(
            names = "--threads",
            defaultValue = "1",
            description =
                    "PyTorch threads for training; 0 = one per core. One is the safe choice on a"
                        + " shared machine: with the other core busy, two threads made a step"
                        + " 10-20x slower (OpenMP threads wait for a core); on an idle machine two"
                        + " are ~1.4x faster (default: ${DEFAULT-VALUE}).")
    int threads;

    @Mixin ModelOutputOptions output;

    @Mixin CommonOptions common;

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!(testFraction >= 0 && testFraction < 1)
                || !(validationFraction > 0 && validationFraction < 1)) {
            throw new Main.UsageException(
                    "--test-fraction must be in [0, 1) and --validation-fraction in (0, 1)");
        }
        if (epochs < 1
                || patience < 1
                || batchSize < 1
                || !(learningRate > 0)
                || maxMinutes < 0
                || days < 2
                || stepSeconds < 1
                || 86_400 % stepSeconds != 0
                || threads < 0
                || !(dropout >= 0 && dropout < 1)
                || !(weightDecay >= 0)) {
            throw new Main.UsageException(
                    "--epochs, --patience, --batch-size must be >= 1, --learning-rate > 0,"
                            + " --max-minutes >= 0, --days >= 2, --step-seconds must divide a day,"
                            + " --threads >= 0, --dropout in [0, 1), --weight-decay >= 0");
        }
        if (modelSize < 1 || heads < 1 || modelSize % heads != 0 || inputSteps < 1 || horizon < 1) {
            throw new Main.UsageException(
                    "--model-size must be a positive multiple of --heads; --input-steps and"
                            + " --horizon >= 1");
        }
        ModelOutputOptions.Target target = output.target(name, common.configuration());
        PrintStream console =
                System.out; // the progress bar redraws with \r: a terminal stream, not picocli's
        // writer

        SpeedMatrix all;
        float[][] adjacencyWeights;
        long startMillis;
        int step = stepSeconds;
        if (source.simulate != null) {
            if (source.simulate < 2) {
                throw new Main.UsageException("--simulate needs at least 2 sensors");
            }
            RoadNetworkSimulator sim =
                    RoadNetworkSimulator.builder().sensors(source.simulate).seed(seed).build();
            all = sim.simulate(days * sim.stepsPerDay());
            adjacencyWeights = sim.adjacency().weights();
            startMillis = sim.startEpochMillis();
            step = sim.stepSeconds();
        } else {
            if (!Files.isReadable(source.data)) {
                throw new Main.UsageException("data file not found or unreadable: " + source.data);
            }
            all = SpeedMatrix.readCsv(source.data, zeroIsMissing);
            adjacencyWeights =
                    adjacency == null
                            ? null
                            : Adjacency.readCsv(adjacency, all.sensors()).weights();
            startMillis = start.toEpochMilli();
        }
        SpeedMatrix training =
                testFraction == 0
                        ? all
                        : ForecastEvaluation.Split.chronological(all, testFraction).train();
        console.printf(
                Locale.ROOT,
                "training %s@%s on %s: rows 0..%d of %d (the last %.0f %% are held out for"
                        + " evaluate), %d sensors, %s adjacency%n",
                name,
                target.version(),
                source.simulate != null
                        ? "a simulated network (" + days + " days, seed " + seed + ")"
                        : source.data,
                training.steps(),
                all.steps(),
                testFraction * 100,
                all.sensors(),
                adjacencyWeights == null ? "no" : "with");

        TrafficTrainer.TrainingConfig config =
                TrafficTrainer.TrainingConfig.defaults()
                        .withEpochs(epochs, patience)
                        .withMaxMinutes(maxMinutes)
                        .withOptimizer(batchSize, learningRate, weightDecay, 1f)
                        .withWindows(inputSteps, horizon, validationFraction)
                        .withModel(modelSize, heads, 1, 1, dropout)
                        .withSeed(seed)
                        .withThreads(threads)
                        .withZeroIsMissing(zeroIsMissing);
        TrafficTrainer trainer =
                new TrafficTrainer(training, startMillis, step, adjacencyWeights, config);
        if (source.data != null) {
            trainer = trainer.withSourceFiles(source.data, adjacency);
        }
        TrafficTrainer.TrainingResult r =
                trainer.train(
                        target.dir(), name, target.version(), TrainingProgress.console(console));
        console.printf(
                Locale.ROOT,
                "best epoch %d of %d: validation RMSE %.3f mph (last value %.3f, %.1f %% lower),"
                        + " MAE %.3f; %.1f s%nmodel written to %s%n",
                r.bestEpoch(),
                r.epochsRun(),
                r.bestValidationRmse(),
                r.lastValueRmse(),
                100 * (1 - r.bestValidationRmse() / r.lastValueRmse()),
                r.bestValidationMae(),
                r.seconds(),
                r.modelDir().toAbsolutePath());
        console.flush();
        return 0;
    }
}
