package io.attnstream.traffic.cli;

import io.attnstream.cli.CommonOptions;
import io.attnstream.cli.Main;
import io.attnstream.cli.ModelOutputOptions;
import io.attnstream.cli.TrainingDefaults;
import io.attnstream.cli.TrainingOptions;
import io.attnstream.traffic.data.SpeedMatrix;
import io.attnstream.traffic.eval.ForecastEvaluation;
import io.attnstream.traffic.model.Adjacency;
import io.attnstream.traffic.sim.RoadNetworkSimulator;
import io.attnstream.traffic.train.TrafficTrainer;
import io.attnstream.traffic.train.TrafficTrainingConfig;
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
                        + " write it to the model store as <out>/<name>/<version>.",
        defaultValueProvider = TrainTrafficCommand.ConfigDefaults.class)
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
            names = "--name",
            defaultValue = "traffic-forecaster",
            description = "Model name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--batch-size", description = "Windows per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--learning-rate",
            description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--model-size", description = "D (default: ${DEFAULT-VALUE}).")
    int modelSize;

    @Option(names = "--heads", description = "Attention heads (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--input-steps", description = "T, input steps (default: ${DEFAULT-VALUE}).")
    int inputSteps;

    @Option(names = "--horizon", description = "H, forecast steps (default: ${DEFAULT-VALUE}).")
    int horizon;

    @Option(
            names = "--weight-decay",
            description = "Adam weight decay (default: ${DEFAULT-VALUE}).")
    float weightDecay;

    @Option(
            names = "--dropout",
            description =
                    "Dropout in the attention layers; measured on Los-loop, 0.1 halved the speed"
                            + " and did not help within 10 minutes (default: ${DEFAULT-VALUE}).")
    float dropout;

    @Mixin TrainingOptions training;

    @Mixin ModelOutputOptions output;

    @Mixin CommonOptions common;

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw new Main.UsageException("--test-fraction must be in [0, 1)");
        }
        if (days < 2 || stepSeconds < 1 || 86_400 % stepSeconds != 0) {
            throw new Main.UsageException(
                    "--days must be >= 2 and --step-seconds must divide a day");
        }
        TrafficTrainingConfig config = config();
        ModelOutputOptions.Target target = output.target(name, common.configuration());
        // the progress bar redraws with \r: a terminal stream, not picocli's writer
        PrintStream console = System.out;

        SpeedMatrix all;
        float[][] adjacencyWeights;
        long startMillis;
        int step = stepSeconds;
        if (source.simulate != null) {
            if (source.simulate < 2) {
                throw new Main.UsageException("--simulate needs at least 2 sensors");
            }
            RoadNetworkSimulator sim =
                    RoadNetworkSimulator.builder()
                            .sensors(source.simulate)
                            .seed(training.seed())
                            .build();
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
        SpeedMatrix trainingPart =
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
                        ? "a simulated network (" + days + " days, seed " + training.seed() + ")"
                        : source.data,
                trainingPart.steps(),
                all.steps(),
                testFraction * 100,
                all.sensors(),
                adjacencyWeights == null ? "no" : "with");

        TrafficTrainer trainer =
                new TrafficTrainer(trainingPart, startMillis, step, adjacencyWeights, config);
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

    /**
     * The options as a training configuration.
     *
     * @throws Main.UsageException naming the setting out of range
     */
    TrafficTrainingConfig config() {
        TrafficTrainingConfig.Builder builder =
                training.applyTo(TrafficTrainingConfig.builder())
                        .optBatchSize(batchSize)
                        .optLearningRate(learningRate)
                        .optWeightDecay(weightDecay)
                        .optInputSteps(inputSteps)
                        .optHorizon(horizon)
                        .optValidationFraction(validationFraction)
                        .optZeroIsMissing(zeroIsMissing)
                        .optModelSize(modelSize)
                        .optHeads(heads)
                        .optDropout(dropout);
        return TrainingOptions.checked(builder::build);
    }

    /**
     * Answers each training option's default from {@link TrafficTrainingConfig#defaults()}, so the
     * command trains with the code's defaults and its help shows them.
     */
    static final class ConfigDefaults extends TrainingDefaults {
        private static final TrafficTrainingConfig DEFAULTS = TrafficTrainingConfig.defaults();

        ConfigDefaults() {
            super(DEFAULTS.stopping(), DEFAULTS.seed(), DEFAULTS.threads());
        }

        @Override
        protected Object familyDefault(String option) {
            TrafficTrainingConfig.Optimization optimization = DEFAULTS.optimization();
            TrafficTrainingConfig.Windows windows = DEFAULTS.windows();
            TrafficTrainingConfig.Architecture architecture = DEFAULTS.architecture();
            return switch (option) {
                case "--batch-size" -> optimization.batchSize();
                case "--learning-rate" -> optimization.learningRate();
                case "--weight-decay" -> optimization.weightDecay();
                case "--input-steps" -> windows.inputSteps();
                case "--horizon" -> windows.horizon();
                case "--validation-fraction" -> windows.validationFraction();
                case "--zero-is-missing" -> windows.zeroIsMissing();
                case "--model-size" -> architecture.modelSize();
                case "--heads" -> architecture.heads();
                case "--dropout" -> architecture.dropout();
                default -> null;
            };
        }
    }
}
