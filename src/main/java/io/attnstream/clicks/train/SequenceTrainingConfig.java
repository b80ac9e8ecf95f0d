package io.attnstream.clicks.train;

import io.attnstream.clicks.eval.RankingEvaluation;
import io.attnstream.clicks.model.SequenceLoss;
import io.attnstream.training.Stopping;
import io.attnstream.training.TrainingConfigBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link SequenceTrainer} trains, built with {@link #builder()}: a setting left unset takes the
 * builder's default, the one set of defaults that {@code train clicks} also reads, so the command
 * and the code cannot differ. They are the settings the README's amazon-games results were measured
 * with (the SASRec paper's recipe with a faster learning rate and objective, see {@link Builder}).
 *
 * @param seed seeds the initial weights, dropout, the epoch order and the training negatives
 * @param threads PyTorch intra-op threads for the run; 0 = the engine's setting
 */
public record SequenceTrainingConfig(
        Stopping stopping,
        Optimization optimization,
        Architecture architecture,
        Validation validation,
        long seed,
        int threads) {
    /** Negatives per position of the paper's BCE. */
    public static final int BCE_NEGATIVES = 1;

    /**
     * Negatives per batch of the sampled softmax: on amazon-games it learnt faster per minute than
     * 256.
     */
    public static final int SAMPLED_SOFTMAX_NEGATIVES = 1024;

    /**
     * @param rateDecayPatience halve the learning rate after this many validations without a better
     *     NDCG@10 (0 = fixed rate)
     * @param negatives K: per position for BCE, per batch for sampled softmax
     */
    public record Optimization(
            int batchSize,
            float learningRate,
            float gradientClip,
            int rateDecayPatience,
            SequenceLoss loss,
            int negatives) {}

    /**
     * @param maxLength L, the history length
     * @param modelSize d
     */
    public record Architecture(
            int maxLength, int modelSize, int heads, int layers, float dropout) {}

    /**
     * @param every validate after every n-th epoch (and the last); patience counts epochs
     * @param users validate on at most this many users (a fixed random subset if there are more)
     * @param seed seed of the validation's sampled negatives, fixed so epochs compare fairly
     */
    public record Validation(int every, int users, long seed) {}

    /** The checks of this family's own settings; the shared ones are the builder's. */
    public SequenceTrainingConfig {
        Objects.requireNonNull(optimization.loss(), "loss");
        if (validation.every() < 1 || validation.users() < 1 || optimization.negatives() < 1) {
            throw new IllegalArgumentException(
                    "validate-every, validation users and negatives must be >= 1, got "
                            + validation.every()
                            + ", "
                            + validation.users()
                            + ", "
                            + optimization.negatives());
        }
        if (optimization.rateDecayPatience() < 0) {
            throw new IllegalArgumentException(
                    "rate decay patience must be >= 0 (0 = fixed rate), got "
                            + optimization.rateDecayPatience());
        }
        if (architecture.maxLength() < 1
                || architecture.layers() < 1
                || architecture.heads() < 1
                || architecture.modelSize() % architecture.heads() != 0
                || !(architecture.dropout() >= 0 && architecture.dropout() < 1)) {
            throw new IllegalArgumentException(
                    "max length, layers and heads must be >= 1, the model size a multiple of the"
                            + " heads and the dropout in [0, 1), got "
                            + architecture);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every setting at its default. */
    public static SequenceTrainingConfig defaults() {
        return builder().build();
    }

    /** For model.json: these names and value types are read back by saved models' tools. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("max_epochs", stopping.maxEpochs());
        m.put("batch_size", optimization.batchSize());
        m.put("learning_rate", optimization.learningRate());
        m.put("patience", stopping.patience());
        m.put("validate_every", validation.every());
        m.put("validation_users", validation.users());
        m.put("max_minutes", stopping.maxMinutes());
        m.put("seed", seed);
        m.put("validation_seed", validation.seed());
        m.put("negatives", optimization.negatives());
        m.put("loss", optimization.loss().label());
        m.put("gradient_clip", optimization.gradientClip());
        m.put("rate_decay_patience", optimization.rateDecayPatience());
        return m;
    }

    /**
     * The settings, each at its default until set: d = 50, L = 20, 2 blocks, 1 head, dropout 0.5
     * (the paper's for sparse data, except L: on amazon-games, ~6 items per user, 20 learnt exactly
     * as 50 did at 2.5x less time per epoch); Adam 3e-3 (there it left the popularity plateau after
     * ~9 epochs, the paper's 1e-3 after ~22), halved after 5 validations without a better NDCG@10,
     * clip 5, batch 128; the sampled softmax with {@link #SAMPLED_SOFTMAX_NEGATIVES} negatives (the
     * loss's own count when the negatives are not set); 200 epochs at most, patience 20, no time
     * budget; validation every epoch on at most 10,000 users (as the paper's code), validation seed
     * 42; seed 42; one thread, the safe choice on a shared machine.
     */
    public static final class Builder extends TrainingConfigBuilder<Builder> {
        private int rateDecayPatience = 5;
        private SequenceLoss loss = SequenceLoss.SAMPLED_SOFTMAX;
        private Integer negatives; // unset: the loss's own count
        private int maxLength = 20;
        private int modelSize = 50;
        private int heads = 1;
        private int layers = 2;
        private float dropout = 0.5f;
        private int validateEvery = 1;
        private int validationUsers = 10_000;
        private long validationSeed = RankingEvaluation.DEFAULT_SEED;

        private Builder() {
            super(200, 20, 128, 3e-3f, 5f);
        }

        @Override
        protected Builder self() {
            return this;
        }

        public Builder optRateDecayPatience(int rateDecayPatience) {
            this.rateDecayPatience = rateDecayPatience;
            return this;
        }

        public Builder optLoss(SequenceLoss loss) {
            this.loss = loss;
            return this;
        }

        public Builder optNegatives(int negatives) {
            this.negatives = negatives;
            return this;
        }

        public Builder optMaxLength(int maxLength) {
            this.maxLength = maxLength;
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

        public Builder optLayers(int layers) {
            this.layers = layers;
            return this;
        }

        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        public Builder optValidateEvery(int validateEvery) {
            this.validateEvery = validateEvery;
            return this;
        }

        public Builder optValidationUsers(int validationUsers) {
            this.validationUsers = validationUsers;
            return this;
        }

        public Builder optValidationSeed(long validationSeed) {
            this.validationSeed = validationSeed;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the setting out of range and its value
         */
        public SequenceTrainingConfig build() {
            int k =
                    negatives != null
                            ? negatives
                            : loss == SequenceLoss.BCE ? BCE_NEGATIVES : SAMPLED_SOFTMAX_NEGATIVES;
            if (maxEpochs < 1
                    || batchSize < 1
                    || patience < 1
                    || validateEvery < 1
                    || validationUsers < 1
                    || k < 1) {
                throw new IllegalArgumentException(
                        "epochs, batch size, patience, validate-every, validation users"
                                + " and negatives must be >= 1, got "
                                + maxEpochs
                                + ", "
                                + batchSize
                                + ", "
                                + patience
                                + ", "
                                + validateEvery
                                + ", "
                                + validationUsers
                                + ", "
                                + k);
            }
            return new SequenceTrainingConfig(
                    stopping(),
                    new Optimization(
                            batchSize(),
                            learningRate(),
                            gradientClip(),
                            rateDecayPatience,
                            loss,
                            k),
                    new Architecture(maxLength, modelSize, heads, layers, dropout),
                    new Validation(validateEvery, validationUsers, validationSeed),
                    seed(),
                    threads());
        }
    }
}
