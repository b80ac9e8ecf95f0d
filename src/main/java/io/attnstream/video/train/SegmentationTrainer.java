package io.attnstream.video.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import io.attnstream.inference.DjlEngine;
import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.ModelStore;
import io.attnstream.platform.AttnstreamException;
import io.attnstream.training.EpochOrder;
import io.attnstream.training.LearningRateSchedule;
import io.attnstream.training.Parameters;
import io.attnstream.training.ProgressListener;
import io.attnstream.training.RateControl;
import io.attnstream.training.TrainingBatch;
import io.attnstream.training.TrainingBudget;
import io.attnstream.training.TrainingLoop;
import io.attnstream.training.TrainingTask;
import io.attnstream.video.data.SegmentationClasses;
import io.attnstream.video.data.SegmentationSample;
import io.attnstream.video.eval.SegmentationEvaluation;
import io.attnstream.video.eval.SegmentationMetrics;
import io.attnstream.video.image.LabelMap;
import io.attnstream.video.model.AttentionUNetBlock;
import io.attnstream.video.model.FrameSegmenter;
import io.attnstream.video.model.ImageTensors;
import io.attnstream.video.model.PixelCrossEntropy;
import io.attnstream.video.model.SegmentationModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * Trains the attention U-Net segmenter on labelled frames and writes its model directory.
 *
 * <p>Every epoch visits the training frames in a seeded random order, each one augmented ({@link
 * Augmentation}: random scale and crop, flip, colour jitter) at the training resolution, with the
 * class-weighted per-pixel cross-entropy that ignores void ({@link PixelCrossEntropy},
 * median-frequency class weights from {@link ClassWeights}, optionally softened). Adam follows a
 * {@link LearningRateSchedule}: warm-up, then cosine decay to {@code minLearningRate} over the run,
 * where the run is the epoch budget or, with {@code maxMinutes}, whichever of the two is used up
 * first. After each epoch the validation frames, resized once to the training resolution, are
 * scored (mean IoU over the classes, void ignored) in inference mode; the parameters (BatchNorm's
 * running statistics included) of the best mean IoU are kept and saved, never those of a worse last
 * epoch. Training stops after {@code maxEpochs}, after {@code patience} epochs without a better
 * mean IoU, or when the time budget is used up: then the current epoch stops at the batch that
 * would overrun it (leaving time for its validation, measured on the previous one) and is validated
 * as it is, so a 10-minute run takes about 10 minutes rather than 10 plus an epoch.
 *
 * <p>A batch whose loss or gradient is not finite is skipped (its gradients zeroed) instead of
 * writing NaN into every parameter through Adam; training gives up after {@value
 * TrainingBudget#DEFAULT_MAX_NON_FINITE} in a row.
 *
 * <p>Dimensions: B batch, C classes, H x W the training resolution.
 */
public final class SegmentationTrainer {
    private final List<SegmentationSample> training;
    private final List<SegmentationSample> validation;
    private final SegmentationClasses classes;
    private final TrainingConfig config;
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
            TrainingConfig config) {
        this(training, validation, classes, config, null, System::nanoTime);
    }

    private SegmentationTrainer(
            List<SegmentationSample> training,
            List<SegmentationSample> validation,
            SegmentationClasses classes,
            TrainingConfig config,
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
                        config.classWeightExponent());
        ImageTensors.Normalisation normalisation =
                ImageTensors.Normalisation.fit(
                        training.stream().map(SegmentationSample::image).toList());
        List<SegmentationSample> validationAtInput = new ArrayList<>(validation.size());
        for (SegmentationSample s : validation) {
            validationAtInput.add(
                    Augmentation.none()
                            .apply(
                                    s,
                                    config.inputWidth(),
                                    config.inputHeight(),
                                    classes.voidIndex(),
                                    new Random(0))); // no randomness is drawn
        }

        AttentionUNetBlock block =
                AttentionUNetBlock.builder()
                        .setClasses(classes.count())
                        .optWidths(config.widths().stream().mapToInt(Integer::intValue).toArray())
                        .optHeads(config.heads())
                        .optDropout(config.dropout())
                        .build();
        DjlEngine.pytorch()
                .setRandomSeed((int) config.seed()); // initial weights (never inside a collector)
        try (DjlEngine.Scope threads = DjlEngine.intraOpThreads(config.threads());
                Model model = Model.newInstance(name)) {
            model.setBlock(block);
            Loop loop = new Loop(model, block, weights, normalisation, validationAtInput, progress);
            Loop.Outcome outcome = loop.run(started);
            double seconds = (nanoTime.getAsLong() - started) / 1e9;
            SegmentationMetrics best = outcome.bestValidation.metrics();
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("validation_mean_iou", round(best.meanIou()));
            metrics.put("validation_pixel_accuracy", round(best.pixelAccuracy()));
            metrics.put("validation_mean_class_accuracy", round(best.meanClassAccuracy()));
            metrics.put("validation_class_iou", outcome.bestValidation.toMap().get("class_iou"));
            metrics.put("validation_frames", validation.size());
            metrics.put("validation_resolution", config.inputWidth() + "x" + config.inputHeight());
            metrics.put("best_epoch", outcome.best.epoch());
            metrics.put("epochs_run", outcome.epochs.size());
            metrics.put("skipped_batches", outcome.skippedBatches);
            metrics.put("training_seconds", Math.round(seconds * 10) / 10.0);
            ModelSpec spec =
                    SegmentationModels.spec(
                            name,
                            version,
                            block,
                            config.inputWidth(),
                            config.inputHeight(),
                            normalisation,
                            classes,
                            trainingData(weights),
                            metrics);
            Path dir = ModelStore.save(model, spec, modelDir);
            return new TrainingResult(
                    outcome.epochs.size(),
                    outcome.best.epoch(),
                    outcome.bestValidation,
                    seconds,
                    dir,
                    outcome.skippedBatches,
                    weights,
                    outcome.epochs);
        }
    }

    /**
     * The epochs of one training run, with its trainer open; keeps the best parameters in memory.
     */
    private final class Loop {
        private final Model model;
        private final AttentionUNetBlock block;
        private final float[] weights;
        private final ImageTensors.Normalisation normalisation;
        private final List<SegmentationSample> validationAtInput;
        private final SegmentationTrainingProgress progress;

        record Outcome(
                SegmentationTrainingProgress.EpochSummary best,
                SegmentationEvaluation.Result bestValidation,
                List<SegmentationTrainingProgress.EpochSummary> epochs,
                int skippedBatches) {}

        Loop(
                Model model,
                AttentionUNetBlock block,
                float[] weights,
                ImageTensors.Normalisation normalisation,
                List<SegmentationSample> validationAtInput,
                SegmentationTrainingProgress progress) {
            this.model = model;
            this.block = block;
            this.weights = weights;
            this.normalisation = normalisation;
            this.validationAtInput = validationAtInput;
            this.progress = progress;
        }

        Outcome run(long started) {
            LearningRateSchedule schedule =
                    new LearningRateSchedule(
                            config.learningRate(), config.minLearningRate(), config.warmupSteps());
            DefaultTrainingConfig trainingConfig =
                    new DefaultTrainingConfig(new PixelCrossEntropy())
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(schedule)
                                            .optWeightDecays(config.weightDecay())
                                            // clipping keeps a rare exploding step from ruining the
                                            // run (training is not
                                            // bit-reproducible, so a run cannot simply be repeated)
                                            .optClipGrad(config.gradientClip())
                                            .build())
                            .optDevices(new Device[] {model.getNDManager().getDevice()});
            int batch = config.batchSize();
            TrainingLoop loop =
                    new TrainingLoop(
                            new TrainingBudget(
                                    config.maxEpochs(), config.patience(), 1, config.maxMinutes()),
                            new RateControl() {
                                @Override
                                public void beforeStep(long step, double done) {
                                    schedule.update((int) step, done);
                                }
                            },
                            nanoTime);
            try (Trainer trainer = model.newTrainer(trainingConfig)) {
                trainer.initialize(new Shape(batch, 3, config.inputHeight(), config.inputWidth()));
                progress.started(
                        training.size(), validation.size(), Parameters.trainableCount(block));
                ProgressListener<
                                SegmentationEvaluation.Result,
                                SegmentationTrainingProgress.EpochSummary>
                        listener =
                                new ProgressListener<>(
                                        progress,
                                        config.maxEpochs(),
                                        e ->
                                                new SegmentationTrainingProgress.EpochSummary(
                                                        e.epoch(),
                                                        config.maxEpochs(),
                                                        e.trainLoss(),
                                                        e.validation().metrics().meanIou(),
                                                        e.validation().metrics().pixelAccuracy(),
                                                        schedule.current(),
                                                        e.batches(),
                                                        e.seconds(),
                                                        e.improved()));
                TrainingLoop.Outcome<SegmentationEvaluation.Result> outcome =
                        loop.run(
                                trainer,
                                new Frames(),
                                new Random(config.seed()),
                                started,
                                listener);
                return new Outcome(
                        listener.summaryOf(outcome.best()),
                        outcome.best().validation(),
                        listener.summaries(),
                        outcome.skippedBatches());
            }
        }

        /**
         * The training frames in a shuffled order per epoch, each augmented; mean IoU on the
         * validation frames.
         */
        private final class Frames implements TrainingTask<SegmentationEvaluation.Result> {
            private final EpochOrder order = new EpochOrder(training.size(), config.batchSize());

            @Override
            public int startEpoch(int epoch, Random random) {
                return order.shuffle(random);
            }

            @Override
            public TrainingBatch batch(NDManager manager, int index, Random random) {
                Batch inputs =
                        Loop.this.batch(
                                manager, order.order(), order.from(index), order.to(index), random);
                return new TrainingBatch(inputs.frames, inputs.labels, 1);
            }

            @Override
            public SegmentationEvaluation.Result validate(Trainer trainer) {
                FrameSegmenter segmenter =
                        new FrameSegmenter(
                                trainer::evaluate,
                                trainer.getManager(),
                                config.inputWidth(),
                                config.inputHeight(),
                                normalisation,
                                2 * config.batchSize());
                return SegmentationEvaluation.evaluate(segmenter, validationAtInput, classes);
            }

            @Override
            public double score(SegmentationEvaluation.Result scores) {
                return scores.metrics().meanIou();
            }
        }

        /** The batch's augmented frames and the loss's labels. */
        private Batch batch(NDManager manager, int[] order, int from, int to, Random random) {
            int w = config.inputWidth();
            int h = config.inputHeight();
            float[] frames = new float[(to - from) * 3 * w * h];
            List<LabelMap> labels = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                SegmentationSample sample =
                        config.augmentation()
                                .apply(training.get(order[i]), w, h, classes.voidIndex(), random);
                ImageTensors.writeChw(sample.image(), normalisation, frames, i - from);
                labels.add(sample.labels());
            }
            NDArray input = manager.create(frames, new Shape(to - from, 3, h, w)); // (B, 3, H, W)
            return new Batch(
                    new NDList(input),
                    PixelCrossEntropy.labels(manager, labels, weights, classes.voidIndex()));
        }
    }

    private record Batch(NDList frames, NDList labels) {}

    private Map<String, Object> trainingData(float[] weights) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("fingerprint", "values-sha256:" + fingerprint());
        map.put(
                "description",
                String.format(
                        Locale.ROOT,
                        "%s: %d training frames, %d validation frames; trained at" + " %d x %d",
                        describe(),
                        training.size(),
                        validation.size(),
                        config.inputWidth(),
                        config.inputHeight()));
        List<Double> classWeights = new ArrayList<>();
        for (float w : weights) {
            classWeights.add(round(w));
        }
        map.put("class_weights", classWeights);
        map.put("config", config.toMap());
        return map;
    }

    /** SHA-256 of the training and validation frames and labels, names included, in order. */
    private String fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (List<SegmentationSample> part : List.of(training, validation)) {
                for (SegmentationSample s : part) {
                    digest.update(s.name().getBytes(StandardCharsets.UTF_8));
                    digest.update(s.image().rgb());
                    digest.update(s.labels().classes());
                }
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String describe() {
        return source != null ? source : "the labelled frames";
    }

    private static double round(double value) {
        return Math.round(value * 1e4) / 1e4;
    }

    /**
     * What to train and for how long.
     *
     * @param maxEpochs upper bound on epochs
     * @param batchSize frames per step
     * @param learningRate Adam's peak rate, after warm-up
     * @param minLearningRate the rate the cosine decay ends at
     * @param warmupSteps steps of linear warm-up
     * @param weightDecay Adam's L2 weight decay (0 = none)
     * @param patience stop after this many epochs without a better validation mean IoU
     * @param maxMinutes the run's time budget, validations included (0 = none); see the class
     *     comment
     * @param seed initial weights, frame order and augmentation
     * @param inputWidth W: frames and labels are resized to W x H; a multiple of 2^(stages-1)
     * @param inputHeight H, likewise
     * @param widths the U-Net's stage widths
     * @param heads the bottleneck's attention heads
     * @param dropout in the bottleneck's transformer layer
     * @param gradientClip each gradient value is clipped to [-clip, clip]
     * @param classWeightExponent the loss's class weights are the median-frequency weights to this
     *     power: 1 full, 0.5 their square root, 0 every class weighs 1 (see {@link ClassWeights})
     * @param augmentation what each training frame goes through
     * @param threads PyTorch intra-op threads for the run; 0 = the engine's setting
     */
    public record TrainingConfig(
            int maxEpochs,
            int batchSize,
            float learningRate,
            float minLearningRate,
            int warmupSteps,
            float weightDecay,
            int patience,
            double maxMinutes,
            long seed,
            int inputWidth,
            int inputHeight,
            List<Integer> widths,
            int heads,
            float dropout,
            float gradientClip,
            float classWeightExponent,
            Augmentation augmentation,
            int threads) {
        public TrainingConfig {
            if (maxEpochs < 1 || batchSize < 1 || patience < 1 || warmupSteps < 0) {
                throw new IllegalArgumentException(
                        "epochs, batch size and patience must be >= 1 and warm-up >= 0,"
                                + " got "
                                + maxEpochs
                                + ", "
                                + batchSize
                                + ", "
                                + patience
                                + ", "
                                + warmupSteps);
            }
            if (!(learningRate > 0)
                    || !(minLearningRate >= 0)
                    || minLearningRate > learningRate
                    || !(gradientClip > 0)
                    || !(weightDecay >= 0)
                    || !(classWeightExponent >= 0 && classWeightExponent <= 1)) {
                throw new IllegalArgumentException(
                        "need 0 <= min learning rate <= learning rate, learning rate > 0, gradient"
                            + " clip > 0, weight decay >= 0 and a class weight exponent in [0, 1],"
                            + " got "
                                + minLearningRate
                                + ", "
                                + learningRate
                                + ", "
                                + gradientClip
                                + ", "
                                + weightDecay
                                + ", "
                                + classWeightExponent);
            }
            if (!(maxMinutes >= 0)) {
                throw new IllegalArgumentException(
                        "max minutes must be >= 0 (0 = no limit), got " + maxMinutes);
            }
            if (threads < 0) {
                throw new IllegalArgumentException(
                        "threads must be >= 0 (0 = the engine's setting), got " + threads);
            }
            widths = List.copyOf(widths);
            int multiple = 1 << Math.max(0, widths.size() - 1);
            if (inputWidth < multiple
                    || inputHeight < multiple
                    || inputWidth % multiple != 0
                    || inputHeight % multiple != 0) {
                throw new IllegalArgumentException(
                        "the input size must be a multiple of 2^(stages-1) = "
                                + multiple
                                + " for "
                                + widths.size()
                                + " stages, got "
                                + inputWidth
                                + " x "
                                + inputHeight);
            }
        }

        /**
         * 100 epochs, batch 4, Adam 1e-3 with 100 warm-up steps and cosine decay to 1e-5, no weight
         * decay, patience 15, no time limit, seed 42, 240 x 176 (CamVid's 240 x 180 rounded to a
         * multiple of 8), widths 16-32-64-128, 2 heads, no dropout, clip 1, full class weights,
         * default augmentation, the engine's threads.
         */
        public static TrainingConfig defaults() {
            return new TrainingConfig(
                    100,
                    4,
                    1e-3f,
                    1e-5f,
                    100,
                    0f,
                    15,
                    0,
                    42,
                    240,
                    176,
                    AttentionUNetBlock.DEFAULT_WIDTHS,
                    2,
                    0f,
                    1f,
                    1f,
                    Augmentation.defaults(),
                    0);
        }

        public TrainingConfig withEpochs(int maxEpochs, int patience) {
            return new TrainingConfig(
                    maxEpochs,
                    batchSize,
                    learningRate,
                    minLearningRate,
                    warmupSteps,
                    weightDecay,
                    patience,
                    maxMinutes,
                    seed,
                    inputWidth,
                    inputHeight,
                    widths,
                    heads,
                    dropout,
                    gradientClip,
                    classWeightExponent,
                    augmentation,
                    threads);
        }

        public TrainingConfig withMaxMinutes(double maxMinutes) {
            return new TrainingConfig(
                    maxEpochs,
                    batchSize,
                    learningRate,
                    minLearningRate,
                    warmupSteps,
                    weightDecay,
                    patience,
                    maxMinutes,
                    seed,
                    inputWidth,
                    inputHeight,
                    widths,
                    heads,
                    dropout,
                    gradientClip,
                    classWeightExponent,
                    augmentation,
                    threads);
        }

        public TrainingConfig withOptimizer(
                int batchSize,
                float learningRate,
                float minLearningRate,
                int warmupSteps,
                float weightDecay,
                float gradientClip) {
            return new TrainingConfig(
                    maxEpochs,
                    batchSize,
                    learningRate,
                    minLearningRate,
                    warmupSteps,
                    weightDecay,
                    patience,
                    maxMinutes,
                    seed,
                    inputWidth,
                    inputHeight,
                    widths,
                    heads,
                    dropout,
                    gradientClip,
                    classWeightExponent,
                    augmentation,
                    threads);
        }

        public TrainingConfig withInputSize(int inputWidth, int inputHeight) {
            return new TrainingConfig(
                    maxEpochs,
                    batchSize,
                    learningRate,
                    minLearningRate,
                    warmupSteps,
                    weightDecay,
                    patience,
                    maxMinutes,
                    seed,
                    inputWidth,
                    inputHeight,
                    widths,
                    heads,
                    dropout,
                    gradientClip,
                    classWeightExponent,
                    augmentation,
                    threads);
        }

        public TrainingConfig withModel(List<Integer> widths, int heads, float dropout) {
            return new TrainingConfig(
                    maxEpochs,
                    batchSize,
                    learningRate,
                    minLearningRate,
                    warmupSteps,
                    weightDecay,
                    patience,
                    maxMinutes,
                    seed,
                    inputWidth,
                    inputHeight,
                    widths,
                    heads,
                    dropout,
                    gradientClip,
                    classWeightExponent,
                    augmentation,
                    threads);
        }

        /**
         * {@code classWeighting}: full median-frequency weights (exponent 1), or none (exponent 0).
         */
        public TrainingConfig withAugmentation(Augmentation augmentation, boolean classWeighting) {
            return withAugmentation(augmentation, classWeighting ? 1f : 0f);
        }

        public TrainingConfig withAugmentation(
                Augmentation augmentation, float classWeightExponent) {
            return new TrainingConfig(
                    maxEpochs,
                    batchSize,
                    learningRate,
                    minLearningRate,
                    warmupSteps,
                    weightDecay,
                    patience,
                    maxMinutes,
                    seed,
                    inputWidth,
                    inputHeight,
                    widths,
                    heads,
                    dropout,
                    gradientClip,
                    classWeightExponent,
                    augmentation,
                    threads);
        }

        public TrainingConfig withSeed(long seed) {
            return new TrainingConfig(
                    maxEpochs,
                    batchSize,
                    learningRate,
                    minLearningRate,
                    warmupSteps,
                    weightDecay,
                    patience,
                    maxMinutes,
                    seed,
                    inputWidth,
                    inputHeight,
                    widths,
                    heads,
                    dropout,
                    gradientClip,
                    classWeightExponent,
                    augmentation,
                    threads);
        }

        public TrainingConfig withThreads(int threads) {
            return new TrainingConfig(
                    maxEpochs,
                    batchSize,
                    learningRate,
                    minLearningRate,
                    warmupSteps,
                    weightDecay,
                    patience,
                    maxMinutes,
                    seed,
                    inputWidth,
                    inputHeight,
                    widths,
                    heads,
                    dropout,
                    gradientClip,
                    classWeightExponent,
                    augmentation,
                    threads);
        }

        /** For model.json. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("max_epochs", maxEpochs);
            m.put("batch_size", batchSize);
            m.put("learning_rate", learningRate);
            m.put("min_learning_rate", minLearningRate);
            m.put("warmup_steps", warmupSteps);
            m.put("weight_decay", weightDecay);
            m.put("patience", patience);
            m.put("max_minutes", maxMinutes);
            m.put("seed", seed);
            m.put("gradient_clip", gradientClip);
            m.put("class_weight_exponent", classWeightExponent);
            m.put("augmentation", augmentation.toString());
            return m;
        }
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
