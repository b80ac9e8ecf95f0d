package io.attnstream.clicks.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;

/**
 * Sampled softmax cross-entropy over non-padding positions: labels [positives (B, T)] (0 =
 * padding), predictions [positive logits (B, T), negative logits (B, T, K)]; the mean over the
 * batch's positions of -log softmax([pos, neg_1..neg_K])[0].
 */
public final class SampledSoftmax extends Loss {
    public SampledSoftmax() {
        super("SampledSoftmax");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray mask = labels.get(0).neq(0).toType(DataType.FLOAT32, false); // (B, T)
        NDArray logits =
                predictions.get(0).expandDims(-1).concat(predictions.get(1), -1); // (B, T, 1+K)
        NDArray nll = logits.logSoftmax(-1).get("..., 0").neg(); // (B, T)
        return nll.mul(mask).sum().div(mask.sum().maximum(1f)); // ()
    }
}
