package io.attnstream.inference;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.Serializable;
import java.util.List;

/**
 * A model family's pre- and post-processing of a whole batch: Java requests to tensors of the
 * model's one fixed input shape, and output tensors back to Java results. Everything it allocates
 * lives in the given manager, which the runtime closes after the batch. Testable without a model.
 *
 * @param <I> one request
 * @param <O> one result
 */
public interface BatchTranslator<I, O> extends Serializable {
    /** Builds the batch's input tensors, e.g. (B, T) item ids, left-padded to T. */
    NDList toTensors(NDManager manager, List<I> batch);

    /** Splits the batch's output tensors into one result per request, in request order. */
    List<O> fromTensors(NDList outputs, List<I> batch);

    /**
     * The attention weights a result publishes, for the attention-entropy metric; null when it has
     * none.
     */
    default float[] attentionOf(O result) {
        return null;
    }
}
