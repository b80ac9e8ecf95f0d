package io.attnstream.clicks.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;

/**
 * Binary cross-entropy with logits over non-padding positions: labels [positives (B, T)] (0 =
 * padding), predictions [positive logits (B, T), negative logits (B, T, K)]; the mean over the
 * batch's positions of -log sigmoid(pos) - sum_k log sigmoid(-neg_k), the paper's loss for K = 1.
 */
public final class SampledBce extends Loss {
    public SampledBce() {
        super("SampledBCE");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray mask = labels.get(0).neq(0).toType(DataType.FLOAT32, false); // (B, T)
        NDArray positive = softplus(predictions.get(0).neg()); // (B, T): -log sigmoid(pos)
        NDArray negative =
                softplus(predictions.get(1)).sum(new int[] {-1}); // (B, T): -sum log sigmoid(-neg)
        return positive.add(negative).mul(mask).sum().div(mask.sum().maximum(1f)); // ()
    }

    /** log(1 + e^x) without overflow: max(x, 0) + log(1 + e^-|x|). */
    private static NDArray softplus(NDArray x) {
        return x.maximum(0f).add(x.abs().neg().exp().add(1f).log());
    }
}
