package io.attnstream.inference;

/**
 * One request's result and how it was made.
 *
 * @param queueWaitNanos from submission until its batch started
 * @param inferenceNanos the batch's forward pass (with pre- and post-processing)
 * @param batchSize size of the batch it ran in
 */
public record InferenceResult<O>(
        O output,
        String modelName,
        String modelVersion,
        long queueWaitNanos,
        long inferenceNanos,
        int batchSize) {}
