package io.attnstream.video.train;

import io.attnstream.training.LearningRateSchedule;
import io.attnstream.training.Stopping;
import io.attnstream.training.TrainingConfigBuilder;
import io.attnstream.video.model.AttentionUNetBlock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link SegmentationTrainer} trains, built with {@link #builder()}: a setting left unset takes
 * the builder's default, the one set of defaults that {@code train video} also reads, so the
 * command and the code cannot differ. They are the settings the README's CamVid figures were
 * measured with through that command (see {@link Builder}).
 *
 * @param seed seeds the initial weights, the frame order and the augmentation
 * @param threads PyTorch intra-op threads for the run; 0 = the engine's setting
 */
public record SegmentationTrainingConfig(
        Stopping stopping,
        Optimization optimization,
        Architecture architecture,
        Input input,
        long seed,
        int threads) {

    /**
     * Adam's settings and its {@link LearningRateSchedule}: linear warm-up to the peak rate, then
     * cosine decay to the floor over the run (the epoch budget, or the time budget if it is used up
     * first).
     *
     * @param batchSize frames per step
     * @param learningRate the peak rate, after warm-up
     * @param minLearningRate the rate the cosine decay ends at
     * @param warmupSteps steps of linear warm-up
     * @param weightDecay L2 weight decay (0 = none)
     * @param gradientClip each gradient value is clipped to [-clip, clip]
     */
    public record Optimization(
            int batchSize,
            float learningRate,
            float minLearningRate,
            int warmupSteps,
            float weightDecay,
            float gradientClip) {
        public Optimization {
            require(batchSize >= 1, "batch size must be >= 1, got " + batchSize);
            require(learningRate > 0, "learning rate must be > 0, got " + learningRate);
            require(minLearningRate >= 0, "min learning rate must be >= 0, got " + minLearningRate);
            require(
                    minLearningRate <= learningRate,
                    "min learning rate " + minLearningRate + " > learning rate " + learningRate);
            require(warmupSteps >= 0, "warm-up steps must be >= 0, got " + warmupSteps);
            require(weightDecay >= 0, "weight decay must be >= 0, got " + weightDecay);
            require(gradientClip > 0, "gradient clip must be > 0, got " + gradientClip);
        }
    }

    /**
     * The attention U-Net's shape (the block checks the rest of its rules when it is built).
     *
     * @param widths the stage widths, at least 2 stages
     * @param heads the bottleneck's attention heads
     * @param dropout in the bottleneck's transformer layer
     */
    public record Architecture(List<Integer> widths, int heads, float dropout) {
        public Architecture {
            widths = List.copyOf(widths);
            require(widths.size() >= 2, "the U-Net needs at least 2 stage widths, got " + widths);
            require(heads >= 1, "heads must be >= 1, got " + heads);
            require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got " + dropout);
        }
    }

    /**
     * What the model sees of a training frame.
     *
     * @param width W: frames and labels are resized to W x H; a multiple of 2^(stages-1)
     * @param height H, likewise
     * @param augmentation what each training frame goes through
     * @param classWeightExponent the loss's class weights are the median-frequency weights to this
     *     power: 1 full, 0.5 their square root, 0 every class weighs 1 (see {@link ClassWeights})
     */
    public record Input(
            int width, int height, Augmentation augmentation, float classWeightExponent) {
        public Input {
            Objects.requireNonNull(augmentation, "augmentation");
            require(
                    classWeightExponent >= 0 && classWeightExponent <= 1,
                    "the loss needs a class weight exponent in [0, 1], got " + classWeightExponent);
        }
    }

    public SegmentationTrainingConfig {
        // each stage halves the resolution: the decoder's skips must meet the encoder's sizes
        int stages = architecture.widths().size();
        int multiple = 1 << (stages - 1);
        int w = input.width();
        int h = input.height();
        require(
                w >= multiple && h >= multiple && w % multiple == 0 && h % multiple == 0,
                String.format(
                        Locale.ROOT,
                        "the input size must be a multiple of 2^(stages-1) = %d for %d stages,"
                                + " got %d x %d",
                        multiple,
                        stages,
                        w,
                        h));
        require(threads >= 0, "threads must be >= 0 (0 = the engine's setting), got " + threads);
    }

    /** A NaN setting fails every check, as it should. */
    private static void require(boolean valid, String message) {
        if (!valid) {
            throw new IllegalArgumentException(message);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every setting at its default. */
    public static SegmentationTrainingConfig defaults() {
        return builder().build();
    }

    /** For model.json: these names and value types are read back by saved models' tools. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("max_epochs", stopping.maxEpochs());
        m.put("batch_size", optimization.batchSize());
        m.put("learning_rate", optimization.learningRate());
        m.put("min_learning_rate", optimization.minLearningRate());
        m.put("warmup_steps", optimization.warmupSteps());
        m.put("weight_decay", optimization.weightDecay());
        m.put("patience", stopping.patience());
        m.put("max_minutes", stopping.maxMinutes());
        m.put("seed", seed);
        m.put("gradient_clip", optimization.gradientClip());
        m.put("class_weight_exponent", input.classWeightExponent());
        m.put("augmentation", input.augmentation().toString());
        return m;
    }

    /**
     * The settings, each at its default until set: 100 epochs at most, patience 15, no time limit;
     * batch 4, Adam 1e-3 after 100 warm-up steps with cosine decay to 1e-5, no weight decay, clip 1
     * (clipping keeps a rare exploding step from ruining a run that cannot simply be repeated:
     * training is not bit-reproducible); widths 16-32-64-128, 2 heads, no dropout; 240 x 176
     * (CamVid's 240 x 180 rounded down to a multiple of 8), flips only ({@link Augmentation#flips}:
     * the full augmentation paid off only in runs longer than an hour here), full class weights;
     * seed 42; one thread, the safe choice on a shared 2-core machine.
     */
    public static final class Builder extends TrainingConfigBuilder<Builder> {
        private float minLearningRate = 1e-5f;
        private int warmupSteps = 100;
        private float weightDecay = 0f;
        private List<Integer> widths = AttentionUNetBlock.DEFAULT_WIDTHS;
        private int heads = 2;
        private float dropout = 0f;
        private int inputWidth = 240;
        private int inputHeight = 176;
        private Augmentation augmentation = Augmentation.flips();
        private float classWeightExponent = 1f;

        private Builder() {
            super(100, 15, 4, 1e-3f, 1f);
        }

        @Override
        protected Builder self() {
            return this;
        }

        public Builder optMinLearningRate(float minLearningRate) {
            this.minLearningRate = minLearningRate;
            return this;
        }

        public Builder optWarmupSteps(int warmupSteps) {
            this.warmupSteps = warmupSteps;
            return this;
        }

        public Builder optWeightDecay(float weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public Builder optWidths(List<Integer> widths) {
            this.widths = widths;
            return this;
        }

        public Builder optHeads(int heads) {
            this.heads = heads;
            return this;
        }

        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        public Builder optInputSize(int inputWidth, int inputHeight) {
            this.inputWidth = inputWidth;
            this.inputHeight = inputHeight;
            return this;
        }

        public Builder optAugmentation(Augmentation augmentation) {
            this.augmentation = augmentation;
            return this;
        }

        public Builder optClassWeightExponent(float classWeightExponent) {
            this.classWeightExponent = classWeightExponent;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the setting out of range and its value
         */
        public SegmentationTrainingConfig build() {
            // the optimization's own record checks its values, in its own words
            return new SegmentationTrainingConfig(
                    stopping(),
                    new Optimization(
                            batchSize,
                            learningRate,
                            minLearningRate,
                            warmupSteps,
                            weightDecay,
                            gradientClip),
                    new Architecture(widths, heads, dropout),
                    new Input(inputWidth, inputHeight, augmentation, classWeightExponent),
                    seed(),
                    threads());
        }
    }
}
