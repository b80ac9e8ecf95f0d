package io.attnstream.training;

/**
 * The settings every trainer's configuration has, for its builder to extend (as DJL's blocks'
 * builders extend {@code BaseBuilder}): the stopping rule, the batch size, Adam's learning rate and
 * clip, the seed and PyTorch's thread count. A family's builder passes its defaults to the
 * constructor, so they stand in one place.
 *
 * @param <B> the family's builder, returned by every {@code opt} method
 */
public abstract class TrainingConfigBuilder<B extends TrainingConfigBuilder<B>> {
    // protected: a family may check them together with its own settings, in its own words
    protected int maxEpochs;
    protected int patience;
    protected double maxMinutes;
    protected int batchSize;
    protected float learningRate;
    protected float gradientClip;
    private long seed = 42;
    private int threads = 1;

    /**
     * The family's defaults; no time budget, seed 42 and one thread for every family (one thread is
     * the safe choice on a shared machine: with the other core busy, two OpenMP threads made a step
     * 10-20x slower).
     */
    protected TrainingConfigBuilder(
            int maxEpochs, int patience, int batchSize, float learningRate, float gradientClip) {
        this.maxEpochs = maxEpochs;
        this.patience = patience;
        this.batchSize = batchSize;
        this.learningRate = learningRate;
        this.gradientClip = gradientClip;
    }

    protected abstract B self();

    public B optMaxEpochs(int maxEpochs) {
        this.maxEpochs = maxEpochs;
        return self();
    }

    public B optPatience(int patience) {
        this.patience = patience;
        return self();
    }

    /** 0 = no time budget. */
    public B optMaxMinutes(double maxMinutes) {
        this.maxMinutes = maxMinutes;
        return self();
    }

    public B optBatchSize(int batchSize) {
        this.batchSize = batchSize;
        return self();
    }

    public B optLearningRate(float learningRate) {
        this.learningRate = learningRate;
        return self();
    }

    /** Each gradient value is clipped to [-clip, clip]. */
    public B optGradientClip(float gradientClip) {
        this.gradientClip = gradientClip;
        return self();
    }

    /** Seeds the initial weights, dropout and the epoch order (and a family's own sampling). */
    public B optSeed(long seed) {
        this.seed = seed;
        return self();
    }

    /** PyTorch intra-op threads for the run; 0 = the engine's setting. */
    public B optThreads(int threads) {
        this.threads = threads;
        return self();
    }

    /**
     * @throws IllegalArgumentException naming the setting out of range
     */
    protected Stopping stopping() {
        return new Stopping(maxEpochs, patience, maxMinutes);
    }

    /**
     * The batch size, checked.
     *
     * @throws IllegalArgumentException when it is below 1
     */
    protected int batchSize() {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        return batchSize;
    }

    /**
     * Adam's learning rate, checked.
     *
     * @throws IllegalArgumentException unless it is positive
     */
    protected float learningRate() {
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException(
                    "learning rate must be positive, got " + learningRate);
        }
        return learningRate;
    }

    /**
     * The gradient clip, checked.
     *
     * @throws IllegalArgumentException unless it is positive
     */
    protected float gradientClip() {
        if (!(gradientClip > 0)) {
            throw new IllegalArgumentException(
                    "gradient clip must be positive, got " + gradientClip);
        }
        return gradientClip;
    }

    protected long seed() {
        return seed;
    }

    /**
     * @throws IllegalArgumentException when negative
     */
    protected int threads() {
        if (threads < 0) {
            throw new IllegalArgumentException(
                    "threads must be >= 0 (0 = the engine's setting), got " + threads);
        }
        return threads;
    }
}
