package io.attnstream.clicks.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import io.attnstream.clicks.eval.RankingEvaluation;
import io.attnstream.clicks.eval.RankingMetrics;
import io.attnstream.clicks.model.SequenceObjective;
import io.attnstream.training.EpochResult;
import io.attnstream.training.Parameters;
import io.attnstream.training.PlateauRate;
import io.attnstream.training.ProgressListener;
import io.attnstream.training.RateControl;
import io.attnstream.training.Stopping;
import io.attnstream.training.TrainingLoop;
import java.util.List;
import java.util.Random;

/**
 * The epochs of one run on a model holding the {@link SequenceObjective}: Adam with its clip and
 * plateau rate, the shared {@link TrainingLoop} over the {@link SequenceTrainingTask}, progress
 * turned into {@link SequenceTrainingProgress} lines. The best epoch's parameters are the model's
 * when it returns.
 */
final class SequenceTrainingRun {
    private final SequenceTrainingConfig config;
    private final SequenceTrainingProgress progress;

    record Outcome(
            SequenceTrainingProgress.EpochSummary best,
            RankingMetrics bestMetrics,
            RankingMetrics popularMetrics,
            List<SequenceTrainingProgress.EpochSummary> epochs,
            int skippedBatches) {}

    SequenceTrainingRun(SequenceTrainingConfig config, SequenceTrainingProgress progress) {
        this.config = config;
        this.progress = progress;
    }

    Outcome run(
            Model model, SequenceTrainingTask task, int users, int validationUsers, long started) {
        SequenceTrainingConfig.Optimization optimization = config.optimization();
        // halved on a validation plateau, down to 1/64 of the start: a long run's last epochs then
        // fine-tune instead of bouncing around the best parameters at the full rate
        PlateauRate rate =
                new PlateauRate(
                        optimization.learningRate(),
                        optimization.rateDecayPatience(),
                        0.5f,
                        optimization.learningRate() / 64);
        DefaultTrainingConfig trainingConfig =
                new DefaultTrainingConfig(SequenceObjective.lossOf(optimization.loss()))
                        .optOptimizer(
                                Optimizer.adam()
                                        .optLearningRateTracker(rate)
                                        // clipping keeps a rare exploding step from ruining the run
                                        // (training is not bit-reproducible, so a run cannot simply
                                        // be repeated)
                                        .optClipGrad(optimization.gradientClip())
                                        .build())
                        .optDevices(new Device[] {model.getNDManager().getDevice()});
        Stopping stopping = config.stopping();
        TrainingLoop loop =
                new TrainingLoop(
                        stopping.budget(config.validation().every()),
                        new RateControl() {
                            @Override
                            public void validated(int epoch, boolean improved) {
                                if (rate.validated(improved)) {
                                    progress.rateCut(epoch, rate.rate());
                                }
                            }
                        });
        try (Trainer trainer = model.newTrainer(trainingConfig)) {
            trainer.initialize(
                    new Shape(optimization.batchSize(), config.architecture().maxLength()));
            progress.started(users, validationUsers, Parameters.trainableCount(model.getBlock()));
            ProgressListener<RankingEvaluation.Result, SequenceTrainingProgress.EpochSummary>
                    listener =
                            new ProgressListener<>(progress, stopping.maxEpochs(), this::summary);
            TrainingLoop.Outcome<RankingEvaluation.Result> outcome =
                    loop.run(trainer, task, new Random(config.seed()), started, listener);
            return new Outcome(
                    listener.summaryOf(outcome.best()),
                    outcome.best().validation().model(),
                    task.popularMetrics(),
                    listener.summaries(),
                    outcome.skippedBatches());
        }
    }

    /** An epoch between validations (validate-every) has no figures: NaN. */
    private SequenceTrainingProgress.EpochSummary summary(EpochResult<RankingEvaluation.Result> e) {
        RankingMetrics metrics = e.validation() == null ? null : e.validation().model();
        return new SequenceTrainingProgress.EpochSummary(
                e.epoch(),
                config.stopping().maxEpochs(),
                e.trainLoss(),
                metrics == null ? Double.NaN : metrics.hr10(),
                metrics == null ? Double.NaN : metrics.ndcg10(),
                e.seconds(),
                e.improved());
    }
}
