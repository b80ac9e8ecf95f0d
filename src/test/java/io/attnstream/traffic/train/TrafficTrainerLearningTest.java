package io.attnstream.traffic.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.attnstream.inference.LoadedModel;
import io.attnstream.inference.ModelStore;
import io.attnstream.traffic.data.SpeedMatrix;
import io.attnstream.traffic.eval.ForecastEvaluation;
import io.attnstream.traffic.eval.ModelForecaster;
import io.attnstream.traffic.sim.RoadNetworkSimulator;
import io.attnstream.traffic.train.TrafficTrainer.TrainingResult;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether the forecaster learns at all: on the simulated road network, whose rush hours and
 * upstream-moving incidents are partly foreseeable, a short training run must beat the last value
 * clearly on a day it never saw, scored with the evaluation protocol's own code.
 */
class TrafficTrainerLearningTest {
    private static final int SENSORS = 10;
    private static final int TRAIN_DAYS = 10;

    @Test
    void learnsToForecastTheSimulatedNetworkClearlyBetterThanTheLastValue(@TempDir Path root) {
        RoadNetworkSimulator sim = RoadNetworkSimulator.builder().sensors(SENSORS).seed(3).build();
        SpeedMatrix all = sim.simulate((TRAIN_DAYS + 1) * sim.stepsPerDay());
        int trainRows = TRAIN_DAYS * sim.stepsPerDay();
        // one thread: with two, a step took 10-20x longer whenever another process held the other
        // core
        TrafficTrainingConfig config =
                TrafficTrainingConfig.builder()
                        .optMaxEpochs(30)
                        .optPatience(30)
                        .optMaxMinutes(0.5)
                        .optBatchSize(64)
                        .optLearningRate(3e-3f)
                        .optThreads(1)
                        .build();
        TrainingResult result =
                new TrafficTrainer(
                                all.rows(0, trainRows),
                                sim.startEpochMillis(),
                                sim.stepSeconds(),
                                sim.adjacency().weights(),
                                config)
                        .train(
                                root.resolve("traffic/1"),
                                "traffic",
                                "1",
                                TrainingProgress.silent());

        ForecastEvaluation.Result heldOut;
        try (LoadedModel model = ModelStore.load(result.modelDir(), Device.cpu())) {
            Map<String, ForecastEvaluation.BatchForecaster> forecasters = new LinkedHashMap<>();
            forecasters.put("model", new ModelForecaster(model, sim.sensorIds()));
            forecasters.put("last-value", ForecastEvaluation.LAST_VALUE);
            heldOut =
                    ForecastEvaluation.evaluate(
                            all.rows(trainRows, all.steps()),
                            sim.startEpochMillis() + (long) trainRows * sim.stepSeconds() * 1000L,
                            sim.stepSeconds(),
                            12,
                            new int[] {12},
                            forecasters);
        }
        double modelRmse = heldOut.metrics("model").get(0).rmse(); // all 12 steps
        double lastRmse = heldOut.metrics("last-value").get(0).rmse();
        double firstLoss = result.epochs().get(0).trainMae();
        double lastLoss = result.epochs().get(result.epochsRun() - 1).trainMae();
        String summary =
                String.format(
                        Locale.ROOT,
                        "%d epochs in %.1f s, best %d: val RMSE %.2f vs last value %.2f; held-out"
                            + " day RMSE %.2f vs last value %.2f; train MAE first %.3f last %.3f",
                        result.epochsRun(),
                        result.seconds(),
                        result.bestEpoch(),
                        result.bestValidationRmse(),
                        result.lastValueRmse(),
                        modelRmse,
                        lastRmse,
                        firstLoss,
                        lastLoss);
        assertThat(result.bestValidationRmse())
                .as("validation RMSE, at least 20 %% below the last value's; %s", summary)
                .isLessThan(0.8 * result.lastValueRmse());
        assertThat(modelRmse)
                .as("held-out day RMSE, at least 20 %% below the last value's; %s", summary)
                .isLessThan(0.8 * lastRmse);
        assertThat(result.epochsRun()).as("epochs; %s", summary).isGreaterThanOrEqualTo(2);
        assertThat(lastLoss)
                .as("last epoch's training loss; %s", summary)
                .isLessThan(0.75 * firstLoss);
    }
}
