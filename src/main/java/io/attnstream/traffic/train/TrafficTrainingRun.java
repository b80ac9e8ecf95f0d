package io.attnstream.traffic.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.attnstream.traffic.model.MaskedMae;
import io.attnstream.training.EpochResult;
import io.attnstream.training.Parameters;
import io.attnstream.training.ProgressListener;
import io.attnstream.training.RateControl;
import io.attnstream.training.Stopping;
import io.attnstream.training.TrainingLoop;
import java.util.List;
import java.util.Random;

/**
 * The forecaster's epochs on the shared {@link TrainingLoop}: Adam with clipping at a fixed rate,
 * the masked MAE, and the loop's budget from the configuration; each epoch becomes a progress line.
 */
final class TrafficTrainingRun {
    private final TrafficTrainingConfig config;
    private final TrainingProgress progress;

    /**
     * @param best the epoch whose parameters the model holds after the run
     */
    record Outcome(
            TrainingProgress.EpochSummary best, List<TrainingProgress.EpochSummary> epochs) {}

    TrafficTrainingRun(TrafficTrainingConfig config, TrainingProgress progress) {
        this.config = config;
        this.progress = progress;
    }

    Outcome run(Model model, TrafficTrainingData data, long startedNanos) {
        TrafficTrainingConfig.Optimization optimization = config.optimization();
        Stopping stopping = config.stopping();
        DefaultTrainingConfig trainingConfig =
                new DefaultTrainingConfig(new MaskedMae())
                        .optOptimizer(
                                Optimizer.adam()
                                        .optLearningRateTracker(
                                                Tracker.fixed(optimization.learningRate()))
                                        .optWeightDecays(optimization.weightDecay())
                                        .optClipGrad(optimization.gradientClip())
                                        .build())
                        .optDevices(new Device[] {model.getNDManager().getDevice()});
        int b = optimization.batchSize();
        int t = config.windows().inputSteps();
        int n = data.fit().encoder().sensors();
        TrainingLoop loop = new TrainingLoop(stopping.budget(1), RateControl.FIXED);
        try (Trainer trainer = model.newTrainer(trainingConfig)) {
            // speeds (B, T, N), observed (B, T, N), calendar (B, T, 2)
            trainer.initialize(new Shape(b, t, n), new Shape(b, t, n), new Shape(b, t, 2));
            progress.started(
                    data.fit().size(),
                    data.validation().size(),
                    Parameters.trainableCount(model.getBlock()));
            ProgressListener<ForecastValidation, TrainingProgress.EpochSummary> listener =
                    new ProgressListener<>(progress, stopping.maxEpochs(), this::summary);
            TrainingLoop.Outcome<ForecastValidation> outcome =
                    loop.run(
                            trainer,
                            new TrafficTrainingTask(data, b),
                            new Random(config.seed()),
                            startedNanos,
                            listener);
            return new Outcome(listener.summaryOf(outcome.best()), listener.summaries());
        }
    }

    private TrainingProgress.EpochSummary summary(EpochResult<ForecastValidation> e) {
        return new TrainingProgress.EpochSummary(
                e.epoch(),
                config.stopping().maxEpochs(),
                e.trainLoss(),
                e.validation().rmse(),
                e.validation().mae(),
                e.validation().lastValueRmse(),
                e.seconds(),
                e.improved());
    }
}
