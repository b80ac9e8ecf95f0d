package io.attnstream.video.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import io.attnstream.training.EpochResult;
import io.attnstream.training.LearningRateSchedule;
import io.attnstream.training.Parameters;
import io.attnstream.training.ProgressListener;
import io.attnstream.training.RateControl;
import io.attnstream.training.Stopping;
import io.attnstream.training.TrainingLoop;
import io.attnstream.video.eval.SegmentationEvaluation;
import io.attnstream.video.model.PixelCrossEntropy;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * The epochs of one run on a model holding the attention U-Net: Adam with its clip on the {@link
 * LearningRateSchedule}, the shared {@link TrainingLoop} over the {@link SegmentationTrainingTask},
 * progress turned into {@link SegmentationTrainingProgress} lines. The best epoch's parameters
 * (BatchNorm's running statistics included) are the model's when it returns.
 */
final class SegmentationTrainingRun {
    private final SegmentationTrainingConfig config;
    private final SegmentationTrainingProgress progress;
    private final LongSupplier nanoTime;

    record Outcome(
            SegmentationTrainingProgress.EpochSummary best,
            SegmentationEvaluation.Result bestValidation,
            List<SegmentationTrainingProgress.EpochSummary> epochs,
            int skippedBatches) {}

    /**
     * @param nanoTime the clock the time budget is measured on
     */
    SegmentationTrainingRun(
            SegmentationTrainingConfig config,
            SegmentationTrainingProgress progress,
            LongSupplier nanoTime) {
        this.config = config;
        this.progress = progress;
        this.nanoTime = nanoTime;
    }

    /**
     * @param started when the run started on the clock (data preparation counts to the budget)
     */
    Outcome run(
            Model model,
            SegmentationTrainingTask task,
            int trainingFrames,
            int validationFrames,
            long started) {
        SegmentationTrainingConfig.Optimization optimization = config.optimization();
        LearningRateSchedule schedule =
                new LearningRateSchedule(
                        optimization.learningRate(),
                        optimization.minLearningRate(),
                        optimization.warmupSteps());
        DefaultTrainingConfig trainingConfig =
                new DefaultTrainingConfig(new PixelCrossEntropy())
                        .optOptimizer(
                                Optimizer.adam()
                                        .optLearningRateTracker(schedule)
                                        .optWeightDecays(optimization.weightDecay())
                                        // clipping keeps a rare exploding step from ruining the run
                                        // (training is not bit-reproducible, so a run cannot simply
                                        // be repeated)
                                        .optClipGrad(optimization.gradientClip())
                                        .build())
                        .optDevices(new Device[] {model.getNDManager().getDevice()});
        Stopping stopping = config.stopping();
        TrainingLoop loop =
                new TrainingLoop(
                        stopping.budget(1),
                        new RateControl() {
                            @Override
                            public void beforeStep(long step, double done) {
                                // done: the larger of the epochs' and the time budget's share,
                                // so the decay reaches its floor when the run ends
                                schedule.update((int) step, done);
                            }
                        },
                        nanoTime);
        try (Trainer trainer = model.newTrainer(trainingConfig)) {
            SegmentationTrainingConfig.Input input = config.input();
            trainer.initialize(
                    new Shape(
                            optimization.batchSize(),
                            3,
                            input.height(),
                            input.width())); // (B, 3, H, W)
            progress.started(
                    trainingFrames, validationFrames, Parameters.trainableCount(model.getBlock()));
            ProgressListener<
                            SegmentationEvaluation.Result,
                            SegmentationTrainingProgress.EpochSummary>
                    listener =
                            new ProgressListener<>(
                                    progress, stopping.maxEpochs(), e -> summary(e, schedule));
            TrainingLoop.Outcome<SegmentationEvaluation.Result> outcome =
                    loop.run(trainer, task, new Random(config.seed()), started, listener);
            return new Outcome(
                    listener.summaryOf(outcome.best()),
                    outcome.best().validation(),
                    listener.summaries(),
                    outcome.skippedBatches());
        }
    }

    /** The rate is the schedule's at the epoch's last step. */
    private SegmentationTrainingProgress.EpochSummary summary(
            EpochResult<SegmentationEvaluation.Result> e, LearningRateSchedule schedule) {
        return new SegmentationTrainingProgress.EpochSummary(
                e.epoch(),
                config.stopping().maxEpochs(),
                e.trainLoss(),
                e.validation().metrics().meanIou(),
                e.validation().metrics().pixelAccuracy(),
                schedule.current(),
                e.batches(),
                e.seconds(),
                e.improved());
    }
}
