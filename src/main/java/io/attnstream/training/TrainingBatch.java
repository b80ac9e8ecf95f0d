package io.attnstream.training;

import ai.djl.ndarray.NDList;

/**
 * One training step's inputs and labels, and the weight of its loss in the epoch's mean training
 * loss: what the loss averages over (non-padding positions, observed targets), or 1 when each batch
 * counts the same.
 */
public record TrainingBatch(NDList inputs, NDList labels, double weight) {
    public TrainingBatch {
        if (!(weight >= 0)) {
            throw new IllegalArgumentException("a batch's weight must be >= 0, got " + weight);
        }
    }
}
