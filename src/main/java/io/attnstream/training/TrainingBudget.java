package io.attnstream.training;

/**
 * When {@link TrainingLoop} stops: after {@code maxEpochs}, after {@code patience} epochs without a
 * better validation score, or when {@code maxMinutes} (0 = no limit) of the run are used up. A time
 * budget ends the current epoch at the batch that would overrun it, leaving the last validation's
 * duration for that epoch's validation, so a 10-minute run takes about 10 minutes rather than 10
 * plus an epoch.
 *
 * @param validateEvery validate after every n-th epoch, and after the last; patience counts epochs
 * @param maxNonFinite batches in a row with a non-finite loss or gradient after which training
 *     stops as diverged
 */
public record TrainingBudget(
        int maxEpochs, int patience, int validateEvery, double maxMinutes, int maxNonFinite) {
    /**
     * Non-finite batches in a row after which a run is taken as diverged, unless a trainer says
     * otherwise.
     */
    public static final int DEFAULT_MAX_NON_FINITE = 10;

    public TrainingBudget {
        if (maxEpochs < 1 || patience < 1 || validateEvery < 1 || maxNonFinite < 1) {
            throw new IllegalArgumentException(
                    "epochs, patience, validate-every and the non-finite limit must be >= 1,"
                            + " got "
                            + maxEpochs
                            + ", "
                            + patience
                            + ", "
                            + validateEvery
                            + ", "
                            + maxNonFinite);
        }
        if (!(maxMinutes >= 0)) {
            throw new IllegalArgumentException(
                    "max minutes must be >= 0 (0 = no limit), got " + maxMinutes);
        }
    }

    public TrainingBudget(int maxEpochs, int patience, int validateEvery, double maxMinutes) {
        this(maxEpochs, patience, validateEvery, maxMinutes, DEFAULT_MAX_NON_FINITE);
    }
}
