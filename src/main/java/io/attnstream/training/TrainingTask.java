package io.attnstream.training;

import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import java.util.Random;

/**
 * What a model family brings to {@link TrainingLoop}: its batches, its validation and what "better"
 * means. The loop owns everything else (steps, non-finite handling, budgets, the best epoch's
 * parameters).
 *
 * <p>The loop's seeded {@link Random} is passed in the order a hand-written loop would use it (the
 * epoch's shuffle, then each batch's sampling or augmentation), so a run is repeatable from the
 * seed.
 *
 * @param <V> one validation's figures
 */
public interface TrainingTask<V> {
    /**
     * Starts an epoch (typically: shuffles the training examples) and returns how many batches it
     * has (>= 1).
     */
    int startEpoch(int epoch, Random random);

    /**
     * Batch {@code index} of the current epoch; its arrays belong to {@code manager}, closed after
     * the step.
     */
    TrainingBatch batch(NDManager manager, int index, Random random);

    /** Scores the model as it is now, in inference mode ({@link Trainer#evaluate}). */
    V validate(Trainer trainer);

    /** The figure the best epoch is chosen by: higher is better (an error is negated). */
    double score(V validation);
}
