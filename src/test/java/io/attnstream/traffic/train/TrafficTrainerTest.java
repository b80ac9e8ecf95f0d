package io.attnstream.traffic.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import io.attnstream.inference.LoadedModel;
import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.ModelStore;
import io.attnstream.platform.AttnstreamException;
import io.attnstream.traffic.TrafficSyntheticData;
import io.attnstream.traffic.data.SpeedMatrix;
import io.attnstream.traffic.model.TrafficForecasterBlock;
import io.attnstream.traffic.model.TrafficModels;
import io.attnstream.traffic.model.TrafficPreprocessing;
import io.attnstream.traffic.model.WindowEncoder;
import io.attnstream.traffic.model.WindowEncoder.Forecast;
import io.attnstream.traffic.model.WindowEncoder.Normalisation;
import io.attnstream.traffic.model.WindowEncoder.TimedWindow;
import io.attnstream.traffic.train.TrafficTrainer.TrainingResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's bookkeeping on a tiny corridor (seconds per run); whether it learns is
 * TrafficTrainerLearningTest's.
 */
class TrafficTrainerTest {
    private static final int SENSORS = 6;
    private static final long START = TrafficSyntheticData.START;
    private static final int STEP = TrafficSyntheticData.STEP_SECONDS;

    /** D = 16, one thread (see TrafficTrainerLearningTest), 2 epochs. */
    private static TrafficTrainingConfig.Builder quick() {
        return TrafficTrainingConfig.builder()
                .optMaxEpochs(2)
                .optPatience(2)
                .optModelSize(16)
                .optHeads(2)
                .optDropout(0.1f)
                .optThreads(1);
    }

    private static SpeedMatrix corridor() {
        return TrafficSyntheticData.corridor(SENSORS, 3, 5);
    }

    /**
     * With patience 1 the run stops at the first epoch that does not improve, so its last epoch is
     * worse than the best: the saved parameters must reproduce the best epoch's validation RMSE,
     * not the last one's.
     */
    @Test
    void savesTheBestEpochsParametersNotTheWorseLastOnes(@TempDir Path root) {
        SpeedMatrix data = corridor();
        // a large learning rate makes validation bounce, so a worse epoch comes soon
        TrafficTrainingConfig config =
                quick().optMaxEpochs(40).optPatience(1).optLearningRate(0.03f).build();
        TrainingResult result =
                new TrafficTrainer(
                                data,
                                START,
                                STEP,
                                TrafficSyntheticData.corridorAdjacency(SENSORS),
                                config)
                        .train(root.resolve("m"), "traffic", "1", TrainingProgress.silent());

        assertThat(result.bestEpoch()).isEqualTo(result.epochsRun() - 1);
        TrainingProgress.EpochSummary last = result.epochs().get(result.epochsRun() - 1);
        assertThat(last.best()).isFalse();
        assertThat(last.validationRmse()).isGreaterThan(result.bestValidationRmse() + 1e-3);
        assertThat(result.epochs().get(result.bestEpoch() - 1).validationRmse())
                .isEqualTo(result.bestValidationRmse());

        double savedRmse = validationRmse(result.modelDir(), data, config);
        assertThat(savedRmse)
                .as("the saved model's validation RMSE")
                .isCloseTo(result.bestValidationRmse(), within(1e-4));
        ModelSpec spec = ModelStore.readSpec(result.modelDir());
        assertThat(spec.metrics())
                .containsEntry("best_epoch", result.bestEpoch())
                .containsEntry("epochs_run", result.epochsRun());
        assertThat(((Number) spec.metrics().get("validation_rmse_mph")).doubleValue())
                .isCloseTo(result.bestValidationRmse(), within(1e-4));
        assertThat(((Number) spec.metrics().get("validation_last_value_rmse_mph")).doubleValue())
                .isCloseTo(result.lastValueRmse(), within(1e-4));
    }

    /**
     * The validation tail's RMSE in mph of the saved model, recomputed through the direct forecast
     * path.
     */
    private static double validationRmse(Path dir, SpeedMatrix data, TrafficTrainingConfig config) {
        int validationRows = (int) Math.round(data.steps() * config.windows().validationFraction());
        int fitRows = data.steps() - validationRows;
        try (LoadedModel model = ModelStore.load(dir, Device.cpu())) {
            WindowEncoder encoder = TrafficPreprocessing.of(model.spec()).encoder();
            TrafficWindows windows =
                    new TrafficWindows(
                            data.rows(fitRows, data.steps()),
                            START + (long) fitRows * STEP * 1000L,
                            encoder,
                            config.windows().horizon());
            List<TimedWindow> inputs = new ArrayList<>();
            for (int i = 0; i < windows.size(); i++) {
                inputs.add(new TimedWindow(windows.input(i), windows.firstStepEpochMillis(i)));
            }
            List<Forecast> forecasts = encoder.forecast(model.model(), inputs);
            double sumSq = 0;
            long count = 0;
            for (int i = 0; i < windows.size(); i++) {
                for (int h = 0; h < config.windows().horizon(); h++) {
                    float[] truth =
                            data.speeds()[
                                    fitRows + windows.start(i) + config.windows().inputSteps() + h];
                    for (int n = 0; n < SENSORS; n++) {
                        if (!Float.isNaN(truth[n])) {
                            double e = forecasts.get(i).speeds()[h][n] - truth[n];
                            sumSq += e * e;
                            count++;
                        }
                    }
                }
            }
            return Math.sqrt(sumSq / count);
        }
    }

    @Test
    void modelJsonRecordsPreprocessingFromTheFitPartAndAFingerprintOfTheValues(@TempDir Path root) {
        SpeedMatrix data = corridor();
        TrainingResult result =
                new TrafficTrainer(data, START, STEP, null, quick().build())
                        .train(root.resolve("m"), "traffic", "7", TrainingProgress.silent());
        ModelSpec spec = ModelStore.readSpec(result.modelDir());
        int fitRows = data.steps() - (int) Math.round(data.steps() * 0.1);

        assertThat(spec.kind()).isEqualTo(TrafficModels.KIND);
        assertThat(spec.ref()).isEqualTo("traffic@7");
        assertThat(TrafficPreprocessing.of(spec).sensorIds()).isEqualTo(data.sensorIds());
        assertThat(TrafficPreprocessing.of(spec).normalisation())
                .isEqualTo(Normalisation.fit(data.rows(0, fitRows).speeds(), true));
        assertThat(TrafficPreprocessing.of(spec).stepSeconds()).isEqualTo(STEP);
        assertThat(TrafficPreprocessing.of(spec).inputSteps()).isEqualTo(12);
        assertThat(TrafficPreprocessing.of(spec).horizon()).isEqualTo(12);
        assertThat(TrafficPreprocessing.of(spec).zeroIsMissing()).isTrue();
        float max = 0;
        for (float[] row : data.speeds()) {
            for (float v : row) {
                max = Float.isNaN(v) ? max : Math.max(max, v);
            }
        }
        assertThat(TrafficPreprocessing.of(spec).maxSpeedMph()).isCloseTo(max * 1.5, within(1e-3));
        assertThat(spec.inputs().stream().map(ModelSpec.TensorSpec::toString))
                .containsExactly(
                        "speeds:float32[-1, 12, 6]",
                        "observed:float32[-1, 12, 6]",
                        "calendar:float32[-1, 12, 2]");
        assertThat(spec.outputs().stream().map(ModelSpec.TensorSpec::toString))
                .containsExactly(
                        "forecast:float32[-1, 12, 6]",
                        "temporal_attention:float32[-1, 6, 12]",
                        "spatial_attention:float32[-1, 6, 6]");
        assertThat(spec.metrics())
                .containsKeys(
                        "validation_rmse_mph",
                        "validation_mae_mph",
                        "validation_last_value_rmse_mph",
                        "validation_windows");

        String fingerprint = (String) spec.trainingData().get("fingerprint");
        assertThat(fingerprint).matches("values-sha256:[0-9a-f]{64}");
        assertThat((String) spec.trainingData().get("description"))
                .contains(
                        "6 sensors x 864 rows of 300 s from 2024-01-01T00:00:00Z",
                        "fit rows [0, 778)");

        float[][] changed = data.speeds().clone();
        changed[0] = changed[0].clone();
        changed[0][0] += 1;
        TrainingResult other =
                new TrafficTrainer(
                                new SpeedMatrix(data.sensorIds(), changed),
                                START,
                                STEP,
                                null,
                                quick().optMaxEpochs(1).optPatience(1).build())
                        .train(root.resolve("m2"), "traffic", "8", TrainingProgress.silent());
        assertThat(ModelStore.readSpec(other.modelDir()).trainingData().get("fingerprint"))
                .isNotEqualTo(fingerprint);
    }

    @Test
    void givenSourceFilesAreFingerprintedByTheirSha256(@TempDir Path root) throws Exception {
        SpeedMatrix data = corridor();
        Path csv =
                Files.writeString(
                        root.resolve("speeds.csv"), "stand-in for the file the matrix came from\n");
        Path adjacencyCsv = Files.writeString(root.resolve("adj.csv"), "stand-in adjacency\n");
        TrainingResult result =
                new TrafficTrainer(
                                data,
                                START,
                                STEP,
                                TrafficSyntheticData.corridorAdjacency(SENSORS),
                                quick().optMaxEpochs(1).optPatience(1).build())
                        .withSourceFiles(csv, adjacencyCsv)
                        .train(root.resolve("m"), "traffic", "1", TrainingProgress.silent());
        ModelSpec spec = ModelStore.readSpec(result.modelDir());
        assertThat(spec.trainingData())
                .containsEntry("fingerprint", "sha256:" + ModelStore.sha256(csv))
                .containsEntry(
                        "adjacency_fingerprint", "sha256:" + ModelStore.sha256(adjacencyCsv));
        assertThat((String) spec.trainingData().get("description"))
                .startsWith(csv + ": 6 sensors")
                .endsWith("adjacency adj.csv");
    }

    @Test
    void theSavedAdjacencyIsTheOneGivenUnchangedByTraining(@TempDir Path root) {
        float[][] adjacency = TrafficSyntheticData.corridorAdjacency(SENSORS);
        TrainingResult result =
                new TrafficTrainer(corridor(), START, STEP, adjacency, quick().build())
                        .train(root.resolve("m"), "traffic", "1", TrainingProgress.silent());
        try (LoadedModel model = ModelStore.load(result.modelDir(), Device.cpu())) {
            TrafficForecasterBlock block = (TrafficForecasterBlock) model.model().getBlock();
            assertThat(block.getAdjacencyBias().getArray().toFloatArray())
                    .containsExactly(TrafficForecasterBlock.adjacencyBias(adjacency, SENSORS));
        }
    }

    @Test
    void dataTooShortForAFitPartAndAValidationTailIsOneClearError(@TempDir Path root) {
        SpeedMatrix data = corridor().rows(0, 200); // a 10 % tail of 20 rows < T + H = 24
        assertThatThrownBy(
                        () ->
                                new TrafficTrainer(data, START, STEP, null, quick().build())
                                        .train(
                                                root.resolve("m"),
                                                "traffic",
                                                "1",
                                                TrainingProgress.silent()))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage(
                        "the speed data has 200 rows: with a validation tail of 20 rows, both parts"
                                + " need at least T + H = 24 rows");
    }

    @Test
    void adjacencyOfTheWrongSizeNamesItsFile(@TempDir Path root) {
        Path adjacencyCsv = root.resolve("adj.csv");
        assertThatThrownBy(
                        () ->
                                new TrafficTrainer(
                                                corridor(),
                                                START,
                                                STEP,
                                                new float[5][5],
                                                quick().build())
                                        .withSourceFiles(null, adjacencyCsv)
                                        .train(
                                                root.resolve("m"),
                                                "traffic",
                                                "1",
                                                TrainingProgress.silent()))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage(
                        adjacencyCsv
                                + " has 5 rows, but the speed data has 6 sensors: it must be 6 x 6"
                                + " in the speed data's column order");
    }

    @Test
    void consoleProgressDrawsABarThenOneLinePerEpoch() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TrainingProgress console =
                TrainingProgress.console(
                        new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        console.batch(3, 50, 10, 10, 0.3125);
        console.epoch(
                new TrainingProgress.EpochSummary(
                        3, 50, 0.3124, 4.812, 2.951, 5.404, 12.34, false));
        String out = bytes.toString(StandardCharsets.UTF_8);
        // the epoch line overwrites the bar (padded with spaces to its length) and ends the line
        assertThat(out)
                .matches(
                        "\r"
                            + "epoch 3/50 \\[#{30}\\] 10/10  loss 0\\.3125\r"
                            + "epoch 3/50  train MAE 0\\.312  val RMSE 4\\.81 mph  val MAE 2\\.95 "
                            + " last-value RMSE 5\\.40  12\\.3 s *\\R");
    }
}
