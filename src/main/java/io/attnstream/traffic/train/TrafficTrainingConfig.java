package io.attnstream.traffic.train;

import io.attnstream.training.Stopping;
import io.attnstream.training.TrainingConfigBuilder;

/**
 * How {@link TrafficTrainer} trains, built with {@link #builder()}: a setting left unset takes the
 * builder's default, the one set of defaults that {@code train traffic} also reads, so the command
 * and the code cannot differ.
 *
 * @param seed seeds the initial weights, dropout and the epoch order
 * @param threads PyTorch intra-op threads for the run; 0 = the engine's setting
 */
public record TrafficTrainingConfig(
        Stopping stopping,
        Optimization optimization,
        Windows windows,
        Architecture architecture,
        long seed,
        int threads) {

    /**
     * Adam's settings.
     *
     * @param batchSize windows per step
     * @param weightDecay 0 = none
     * @param gradientClip each gradient value is clipped to [-clip, clip]
     */
    public record Optimization(
            int batchSize, float learningRate, float weightDecay, float gradientClip) {}

    /**
     * @param inputSteps T
     * @param horizon H
     * @param validationFraction the chronological tail held out for model selection, in (0, 1)
     * @param zeroIsMissing whether a 0 speed means "no reading" in this data
     */
    public record Windows(
            int inputSteps, int horizon, double validationFraction, boolean zeroIsMissing) {}

    /**
     * @param modelSize D
     */
    public record Architecture(
            int modelSize, int heads, int temporalLayers, int spatialLayers, float dropout) {}

    /** The checks of this family's own settings; the shared ones are the builder's. */
    public TrafficTrainingConfig {
        if (!(optimization.weightDecay() >= 0)) {
            throw new IllegalArgumentException(
                    "weight decay must be non-negative, got " + optimization.weightDecay());
        }
        if (!(windows.validationFraction() > 0 && windows.validationFraction() < 1)) {
            throw new IllegalArgumentException(
                    "validation fraction must be in (0, 1), got " + windows.validationFraction());
        }
        if (windows.inputSteps() < 1 || windows.horizon() < 1) {
            throw new IllegalArgumentException(
                    "input steps and horizon must be >= 1, got " + windows);
        }
        if (architecture.modelSize() < 1
                || architecture.heads() < 1
                || architecture.modelSize() % architecture.heads() != 0
                || architecture.temporalLayers() < 1
                || architecture.spatialLayers() < 1
                || !(architecture.dropout() >= 0 && architecture.dropout() < 1)) {
            throw new IllegalArgumentException(
                    "the model size must be a positive multiple of the heads, the layers >= 1 and"
                            + " the dropout in [0, 1), got "
                            + architecture);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every setting at its default. */
    public static TrafficTrainingConfig defaults() {
        return builder().build();
    }

    /**
     * The settings, each at its default until set: 50 epochs at most, patience 10, no time limit;
     * batch 32, Adam 1e-3 without weight decay, clip 1 (clipping keeps a rare exploding step from
     * ruining a run that cannot simply be repeated: training is not bit-reproducible); T = H = 12,
     * validation tail 10 %, 0 is missing; D = 32, 2 heads, 1 temporal and 1 spatial layer, no
     * dropout; seed 42; one thread.
     *
     * <p>No dropout, unlike the block's default of 0.1: on Los-loop (one thread, 3 minutes each)
     * dropout 0.1 made an epoch take 16 s instead of 9.5 s (random masks over every (B, N, T, D)
     * token, several times per layer) and reached a validation RMSE of x0.96 the last value's
     * against x0.88 without, also per epoch (7.58 against 7.32 mph after 12 epochs); 3.5 M targets
     * per epoch leave 21 k parameters little to overfit.
     *
     * <p>One thread is the safe choice on a shared machine: measured here with the other core busy,
     * two threads made a step 10-20x slower (OpenMP threads wait for a core), one thread 1.5x.
     */
    public static final class Builder extends TrainingConfigBuilder<Builder> {
        private float weightDecay = 0f;
        private int inputSteps = 12;
        private int horizon = 12;
        private double validationFraction = 0.1;
        private boolean zeroIsMissing = true;
        private int modelSize = 32;
        private int heads = 2;
        private int temporalLayers = 1;
        private int spatialLayers = 1;
        private float dropout = 0f;

        private Builder() {
            super(50, 10, 32, 1e-3f, 1f);
        }

        @Override
        protected Builder self() {
            return this;
        }

        public Builder optWeightDecay(float weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public Builder optInputSteps(int inputSteps) {
            this.inputSteps = inputSteps;
            return this;
        }

        public Builder optHorizon(int horizon) {
            this.horizon = horizon;
            return this;
        }

        public Builder optValidationFraction(double validationFraction) {
            this.validationFraction = validationFraction;
            return this;
        }

        public Builder optZeroIsMissing(boolean zeroIsMissing) {
            this.zeroIsMissing = zeroIsMissing;
            return this;
        }

        public Builder optModelSize(int modelSize) {
            this.modelSize = modelSize;
            return this;
        }

        public Builder optHeads(int heads) {
            this.heads = heads;
            return this;
        }

        public Builder optTemporalLayers(int temporalLayers) {
            this.temporalLayers = temporalLayers;
            return this;
        }

        public Builder optSpatialLayers(int spatialLayers) {
            this.spatialLayers = spatialLayers;
            return this;
        }

        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the setting out of range and its value
         */
        public TrafficTrainingConfig build() {
            return new TrafficTrainingConfig(
                    stopping(),
                    new Optimization(batchSize(), learningRate(), weightDecay, gradientClip()),
                    new Windows(inputSteps, horizon, validationFraction, zeroIsMissing),
                    new Architecture(modelSize, heads, temporalLayers, spatialLayers, dropout),
                    seed(),
                    threads());
        }
    }
}
