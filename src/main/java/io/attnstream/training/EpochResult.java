package io.attnstream.training;

/**
 * One epoch of {@link TrainingLoop}.
 *
 * @param trainLoss the epoch's mean training loss over its finite batches, weighted by {@link
 *     TrainingBatch#weight}
 * @param validation this epoch's validation, or null if it was not validated ({@link
 *     TrainingBudget#validateEvery})
 * @param batches batches run (fewer than the epoch's when the time budget ended it)
 * @param seconds the epoch's duration, validation included
 * @param improved whether its validation is the best so far (its parameters are the ones kept)
 * @param <V> one validation's figures
 */
public record EpochResult<V>(
        int epoch, double trainLoss, V validation, int batches, double seconds, boolean improved) {}
