package io.attnstream.training;

/**
 * When a training run stops, as every trainer's configuration states it: after {@code maxEpochs},
 * after {@code patience} epochs without a better validation score, or when {@code maxMinutes} of
 * the run (validations included) are used up; 0 minutes is no limit. See {@link TrainingBudget} for
 * how the loop honours it.
 */
public record Stopping(int maxEpochs, int patience, double maxMinutes) {
    public Stopping {
        if (maxEpochs < 1 || patience < 1) {
            throw new IllegalArgumentException(
                    "max epochs and patience must be >= 1, got " + maxEpochs + ", " + patience);
        }
        if (!(maxMinutes >= 0)) {
            throw new IllegalArgumentException(
                    "max minutes must be >= 0 (0 = no limit), got " + maxMinutes);
        }
    }

    /** The loop's budget for this rule, validating after every {@code validateEvery}-th epoch. */
    public TrainingBudget budget(int validateEvery) {
        return new TrainingBudget(maxEpochs, patience, validateEvery, maxMinutes);
    }
}
