package io.attnstream.traffic;

import ai.djl.Device;
import io.attnstream.inference.LoadedModel;
import io.attnstream.inference.ModelStore;
import io.attnstream.traffic.TrafficTrainer.TrainingConfig;
import io.attnstream.traffic.TrafficTrainer.TrainingResult;
import io.attnstream.traffic.WindowEncoder.Forecast;
import io.attnstream.traffic.WindowEncoder.TimedWindow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whether the forecaster learns at all: on a synthetic corridor whose rush hours and upstream-moving incidents
 * are partly foreseeable, a short training run must beat the last value clearly on a day it never saw.
 */
class TrafficTrainerLearningTest {
    private static final int SENSORS = 10;
    private static final int TRAIN_DAYS = 10;

    @Test
    void learnsToForecastTheCorridorClearlyBetterThanTheLastValue(@TempDir Path root) {
        SpeedMatrix all = TrafficSyntheticData.corridor(SENSORS, TRAIN_DAYS + 1, 3);
        int trainRows = TRAIN_DAYS * TrafficSyntheticData.STEPS_PER_DAY;
        SpeedMatrix training = all.rows(0, trainRows);
        SpeedMatrix heldOut = all.rows(trainRows, all.steps());
        // one thread: with two, a step took 10-20x longer whenever another process held the other core
        TrainingConfig config = TrainingConfig.defaults().withEpochs(12, 12).withMaxMinutes(0.4)
                .withOptimizer(64, 3e-3f, 0f, 1f).withThreads(1);
        TrainingResult result = new TrafficTrainer(training, TrafficSyntheticData.START,
                TrafficSyntheticData.STEP_SECONDS, TrafficSyntheticData.corridorAdjacency(SENSORS), config)
                .train(root.resolve("traffic/1"), "traffic", "1", TrainingProgress.silent());

        double[] heldOutRmse = heldOutRmse(result.modelDir(), heldOut,
                TrafficSyntheticData.START + (long) trainRows * TrafficSyntheticData.STEP_SECONDS * 1000L);
        double firstLoss = result.epochs().get(0).trainMae();
        double lastLoss = result.epochs().get(result.epochsRun() - 1).trainMae();
        String summary = String.format(Locale.ROOT, "%d epochs in %.1f s, best %d: val RMSE %.2f vs last value %.2f;"
                + " held-out day RMSE %.2f vs last value %.2f; train MAE first %.3f last %.3f", result.epochsRun(),
                result.seconds(), result.bestEpoch(), result.bestValidationRmse(), result.lastValueRmse(),
                heldOutRmse[0], heldOutRmse[1], firstLoss, lastLoss);
        assertThat(heldOutRmse[0]).as("held-out RMSE, at least 20 %% below the last value's; %s", summary)
                .isLessThan(0.8 * heldOutRmse[1]);
        assertThat(result.bestValidationRmse()).as("validation RMSE; %s", summary)
                .isLessThan(0.85 * result.lastValueRmse());
        assertThat(result.epochsRun()).as("epochs; %s", summary).isGreaterThanOrEqualTo(2);
        assertThat(lastLoss).as("last epoch's training loss; %s", summary).isLessThan(0.75 * firstLoss);
    }

    /**
     * [model RMSE, last-value RMSE] in mph over all H steps of every window inside the held-out rows, for targets
     * that are observed and whose sensor has a reading in the window (so both forecasts are defined).
     */
    private static double[] heldOutRmse(Path dir, SpeedMatrix heldOut, long firstRowMillis) {
        try (LoadedModel model = ModelStore.load(dir, Device.cpu())) {
            WindowEncoder encoder = TrafficModels.encoder(model.spec());
            int t = encoder.inputSteps();
            int h = TrafficModels.horizon(model.spec());
            List<TimedWindow> windows = new ArrayList<>();
            for (int start = 0; start + t + h <= heldOut.steps(); start++) {
                float[][] window = new float[t][];
                System.arraycopy(heldOut.speeds(), start, window, 0, t);
                windows.add(new TimedWindow(window, firstRowMillis + start * TrafficSyntheticData.STEP_SECONDS * 1000L));
            }
            List<Forecast> forecasts = encoder.forecast(model.model(), windows);
            double modelSq = 0;
            double lastSq = 0;
            long count = 0;
            for (int w = 0; w < windows.size(); w++) {
                float[] last = lastObserved(windows.get(w).speeds());
                for (int step = 0; step < h; step++) {
                    float[] truth = heldOut.speeds()[w + t + step];
                    for (int n = 0; n < truth.length; n++) {
                        if (Float.isNaN(truth[n]) || Float.isNaN(last[n])) {
                            continue;
                        }
                        double e = forecasts.get(w).speeds()[step][n] - truth[n];
                        double l = last[n] - truth[n];
                        modelSq += e * e;
                        lastSq += l * l;
                        count++;
                    }
                }
            }
            return new double[] {Math.sqrt(modelSq / count), Math.sqrt(lastSq / count)};
        }
    }

    private static float[] lastObserved(float[][] window) {
        float[] last = new float[window[0].length];
        Arrays.fill(last, Float.NaN);
        for (float[] row : window) {
            for (int n = 0; n < row.length; n++) {
                last[n] = Float.isNaN(row[n]) ? last[n] : row[n];
            }
        }
        return last;
    }
}
