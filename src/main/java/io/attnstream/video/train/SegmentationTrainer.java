package io.attnstream.video.train;

import ai.djl.Model;
import io.attnstream.inference.DjlEngine;
import io.attnstream.platform.AttnstreamException;
import io.attnstream.training.LearningRateSchedule;
import io.attnstream.training.TrainingBudget;
import io.attnstream.training.TrainingLoop;
import io.attnstream.video.data.SegmentationClasses;
import io.attnstream.video.data.SegmentationSample;
import io.attnstream.video.eval.SegmentationEvaluation;
import io.attnstream.video.model.AttentionUNetBlock;
import io.attnstream.video.model.ImageTensors;
import io.attnstream.video.model.PixelCrossEntropy;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Trains the attention U-Net segmenter on labelled frames and writes its model directory; the parts
 * are {@link SegmentationTrainingTask} (augmented batches, validation), {@link
 * SegmentationTrainingRun} (optimizer, schedule and the shared loop) and {@link
 * SegmentationModelWriter}, configured by {@link SegmentationTrainingConfig}.
 *
 * <p>Every epoch visits the training frames in a seeded random order, each one augmented ({@link
 * Augmentation}: flips by default, optionally random scale and crop and colour jitter) at the
 * training resolution, with the class-weighted per-pixel cross-entropy that ignores void ({@link
 * PixelCrossEntropy}, median-frequency class weights from {@link ClassWeights}, optionally
 * softened). Adam follows a {@link LearningRateSchedule}: warm-up, then cosine decay to the minimum
 * learning rate over the run, where the run is the epoch budget or, with a time budget, whichever
 * of the two is used up first. After each epoch the validation frames, resized once to the training
 * resolution, are scored (mean IoU over the classes, void ignored) in inference mode; the
 * parameters (BatchNorm's running statistics included) of the best mean IoU are kept and saved,
 * never those of a worse last epoch. The epochs run on the shared {@link TrainingLoop}: training
 * stops after the most epochs, after {@code patience} epochs without a better mean IoU, or when the
 * time budget is used up: then the current epoch stops at the batch that would overrun it (leaving
 * time for its validation, measured on the previous one) and is validated as it is, so a 10-minute
 * run takes about 10 minutes rather than 10 plus an epoch.
 *
 * <p>A batch whose loss or gradient is not finite is skipped (its gradients zeroed) instead of
 * writing NaN into every parameter through Adam; training gives up after {@value
 * TrainingBudget#DEFAULT_MAX_NON_FINITE} in a row.
 */
public final class SegmentationTrainer {
    private final List<SegmentationSample> training;
    private final List<SegmentationSample> validation;
    private final SegmentationClasses classes;
    private final SegmentationTrainingConfig config;
    private final String source;
    private final LongSupplier nanoTime;

    /**
     * @param training labelled frames of any sizes (each is resized or augmented to the training
     *     resolution)
     * @param validation labelled frames for model selection
     * @param classes the labels' classes and void index
     */
    public SegmentationTrainer(
            List<SegmentationSample> training,
            List<SegmentationSample> validation,
            SegmentationClasses classes,
            SegmentationTrainingConfig config) {
        this(training, validation, classes, config, null, System::nanoTime);
    }

    private SegmentationTrainer(
            List<SegmentationSample> training,
            List<SegmentationSample> validation,
            SegmentationClasses classes,
            SegmentationTrainingConfig config,
            String source,
            LongSupplier nanoTime) {
        this.training = List.copyOf(training);
        this.validation = List.copyOf(validation);
        this.classes = classes;
        this.config = config;
        this.source = source;
        this.nanoTime = nanoTime;
    }

    /**
     * Where the frames came from (e.g. the data folder and splits), for model.json's description.
     */
    public SegmentationTrainer withSource(String source) {
        return new SegmentationTrainer(training, validation, classes, config, source, nanoTime);
    }

    /**
     * The clock the time budget is measured on ({@link System#nanoTime} by default): a test's clock
     * makes the batch the budget stops at, and the learning rates on the way, independent of the
     * machine's load.
     */
    SegmentationTrainer withClock(LongSupplier nanoTime) {
        return new SegmentationTrainer(training, validation, classes, config, source, nanoTime);
    }

    /**
     * Trains and writes {@code modelDir} (parameters of the best epoch + model.json with the input
     * size, normalisation, classes, validation metrics and the data's fingerprint).
     *
     * <p>With {@code config.threads() > 0} PyTorch's intra-op thread count is set for the run and
     * restored afterwards (it is per process); one thread is the safe choice on a shared 2-core
     * machine.
     *
     * @throws AttnstreamException when there are no training or no validation frames, or training
     *     diverges
     */
    public TrainingResult train(
            Path modelDir, String name, String version, SegmentationTrainingProgress progress) {
        long started = nanoTime.getAsLong();
        if (training.isEmpty() || validation.isEmpty()) {
            throw new AttnstreamException(
                    describe()
                            + ": no "
                            + (training.isEmpty() ? "training" : "validation")
                            + " frames, nothing to train on");
        }
        float[] weights =
                ClassWeights.medianFrequency(
                        training,
                        classes.count(),
                        classes.voidIndex(),
                        config.input().classWeightExponent());
        ImageTensors.Normalisation normalisation =
                ImageTensors.Normalisation.fit(
                        training.stream().map(SegmentationSample::image).toList());
        SegmentationTrainingTask task =
                new SegmentationTrainingTask(
                        training, validation, classes, weights, normalisation, config);
        SegmentationTrainingConfig.Architecture architecture = config.architecture();
        AttentionUNetBlock block =
                AttentionUNetBlock.builder()
                        .setClasses(classes.count())
                        .optWidths(
                                architecture.widths().stream()
                                        .mapToInt(Integer::intValue)
                                        .toArray())
                        .optHeads(architecture.heads())
                        .optDropout(architecture.dropout())
                        .build();
        DjlEngine.pytorch()
                .setRandomSeed((int) config.seed()); // initial weights (never inside a collector)
        try (DjlEngine.Scope threads = DjlEngine.intraOpThreads(config.threads());
                Model model = Model.newInstance(name)) {
            model.setBlock(block);
            SegmentationTrainingRun.Outcome outcome =
                    new SegmentationTrainingRun(config, progress, nanoTime)
                            .run(model, task, training.size(), validation.size(), started);
            double seconds = (nanoTime.getAsLong() - started) / 1e9;
            Path dir =
                    new SegmentationModelWriter(training, validation, classes, config, describe())
                            .write(
                                    model,
                                    block,
                                    modelDir,
                                    name,
                                    version,
                                    normalisation,
                                    weights,
                                    outcome,
                                    seconds);
            return new TrainingResult(
                    outcome.epochs().size(),
                    outcome.best().epoch(),
                    outcome.bestValidation(),
                    seconds,
                    dir,
                    outcome.skippedBatches(),
                    weights,
                    outcome.epochs());
        }
    }

    private String describe() {
        return source != null ? source : "the labelled frames";
    }

    /**
     * The outcome of a training run.
     *
     * @param bestValidation the validation scores of the epoch whose parameters were saved
     *     (training resolution)
     * @param modelDir the model directory written
     * @param skippedBatches batches skipped for a non-finite loss or gradient
     * @param classWeights the loss's class weights
     * @param epochs every epoch's figures, in order
     */
    public record TrainingResult(
            int epochsRun,
            int bestEpoch,
            SegmentationEvaluation.Result bestValidation,
            double seconds,
            Path modelDir,
            int skippedBatches,
            float[] classWeights,
            List<SegmentationTrainingProgress.EpochSummary> epochs) {}
}
