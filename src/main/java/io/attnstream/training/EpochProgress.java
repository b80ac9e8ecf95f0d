package io.attnstream.training;

/**
 * Where a trainer reports how training goes, epoch by epoch: a console bar for people ({@link
 * ConsoleEpochProgress}), silence for tests. Each pipeline extends it with its own epoch figures.
 *
 * @param <S> one epoch's figures
 */
public interface EpochProgress<S extends EpochProgress.Summary> {
    /** One epoch's figures. */
    interface Summary {
        /** The epoch as one console line, {@code *} marking a new best. */
        String line();
    }

    /**
     * Before the first epoch: how many examples (windows, users, frames) train and validate, and
     * the model's size.
     */
    default void started(int training, int validation, long parameters) {}

    /** After each training batch; {@code meanLoss} is the epoch's mean training loss so far. */
    default void batch(int epoch, int maxEpochs, int batch, int batches, double meanLoss) {}

    /** After each epoch. */
    void epoch(S summary);
}
