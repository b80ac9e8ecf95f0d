package io.attnstream.traffic.train;

import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import io.attnstream.traffic.eval.ForecastMetrics;
import io.attnstream.traffic.model.WindowEncoder;
import io.attnstream.training.EpochOrder;
import io.attnstream.training.TrainingBatch;
import io.attnstream.training.TrainingTask;
import java.util.Random;

/**
 * What the forecaster brings to the shared loop: the fit part's windows in a shuffled order per
 * epoch, each batch weighted by its observed targets (what the masked MAE averages over), and a
 * validation in mph; the best epoch is the one of the lowest validation RMSE.
 *
 * <p>Dimensions: B batch, T input steps, N sensors, H horizon.
 */
final class TrafficTrainingTask implements TrainingTask<ForecastValidation> {
    private final TrafficTrainingData data;
    private final int batchSize;
    private final EpochOrder order;

    TrafficTrainingTask(TrafficTrainingData data, int batchSize) {
        this.data = data;
        this.batchSize = batchSize;
        this.order = new EpochOrder(data.fit().size(), batchSize);
    }

    @Override
    public int startEpoch(int epoch, Random random) {
        return order.shuffle(random);
    }

    @Override
    public TrainingBatch batch(NDManager manager, int index, Random random) {
        TrafficWindows.Batch step =
                data.fit().batch(manager, order.order(), order.from(index), order.to(index));
        return new TrainingBatch(step.inputs(), step.labels(), step.observedTargets());
    }

    /**
     * Inference-mode RMSE and MAE in mph over the validation windows, and the last value's on the
     * same targets (the T-GCN protocol's, as {@code evaluate traffic} scores).
     */
    @Override
    public ForecastValidation validate(Trainer trainer) {
        TrafficWindows validation = data.validation();
        WindowEncoder.Normalisation normalisation = data.normalisation();
        int[] all = new int[validation.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        int t = validation.encoder().inputSteps();
        int n = validation.encoder().sensors();
        int h = validation.horizon();
        ForecastMetrics model = new ForecastMetrics(h);
        ForecastMetrics lastValue = new ForecastMetrics(h);
        for (int from = 0; from < all.length; from += batchSize) {
            int to = Math.min(all.length, from + batchSize);
            try (NDManager manager = trainer.getManager().newSubManager()) {
                TrafficWindows.Batch batch = validation.batch(manager, all, from, to);
                float[] z = trainer.evaluate(batch.inputs()).get(0).toFloatArray(); // (B, H, N)
                float[] speeds = batch.encoded().speeds(); // (B, T, N)
                for (int b = 0; b < batch.size(); b++) {
                    for (int step = 0; step < h; step++) {
                        for (int s = 0; s < n; s++) {
                            int k = (b * h + step) * n + s;
                            float truth = batch.targetMph()[k];
                            float last = speeds[(b * t + t - 1) * n + s];
                            model.add(step + 1, truth, normalisation.denormalise(z[k]));
                            lastValue.add(step + 1, truth, normalisation.denormalise(last));
                        }
                    }
                }
            }
        }
        return new ForecastValidation(model.rmse(), model.mae(), lastValue.rmse());
    }

    @Override
    public double score(ForecastValidation validation) {
        return -validation.rmse();
    }
}
