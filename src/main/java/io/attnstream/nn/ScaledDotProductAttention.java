package io.attnstream.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.norm.Dropout;

/**
 * softmax(Q K^T / sqrt(d) + bias) V, returning the weights as well, since attnstream publishes
 * them.
 *
 * <p>Dimensions: B batch, H heads, Tq query positions, Tk key positions, Dh size per head. Masks
 * are additive biases with a large finite negative value ({@link #MASKED}) rather than -inf: a
 * fully masked row (padding) then never gives NaN (its weights are uniform while its raw scores
 * differ by less than float precision near 1e9 allows, about 64, which holds for padding rows; they
 * are ignored downstream anyway).
 */
public final class ScaledDotProductAttention {
    /**
     * Additive bias that removes a position from the softmax without producing NaN for all-masked
     * rows.
     */
    public static final float MASKED = -1e9f;

    private ScaledDotProductAttention() {}

    /**
     * @param q (B, H, Tq, Dh)
     * @param k (B, H, Tk, Dh)
     * @param v (B, H, Tk, Dh)
     * @param bias null, or broadcastable to (B, H, Tq, Tk): 0 to keep, {@link #MASKED} to drop, or
     *     any learned or structural bias (e.g. log adjacency)
     * @return [output (B, H, Tq, Dh), weights (B, H, Tq, Tk)]
     */
    public static NDList apply(NDArray q, NDArray k, NDArray v, NDArray bias) {
        return apply(q, k, v, bias, 0f, false);
    }

    /**
     * As {@link #apply(NDArray, NDArray, NDArray, NDArray)}, with dropout on the weights before
     * they mix the values when training. The returned weights are those before dropout (rows sum to
     * 1): they are what attnstream publishes, and in inference mode the two are the same.
     *
     * @param dropout probability of dropping a weight, in [0, 1); only applied when {@code
     *     training}
     * @param training true for a training forward pass
     * @return [output (B, H, Tq, Dh), weights (B, H, Tq, Tk)]
     */
    public static NDList apply(
            NDArray q, NDArray k, NDArray v, NDArray bias, float dropout, boolean training) {
        long dh = q.getShape().get(q.getShape().dimension() - 1);
        NDArray scores =
                q.matMul(k.transpose(0, 1, 3, 2)).div((float) Math.sqrt(dh)); // (B, H, Tq, Tk)
        if (bias != null) {
            scores = scores.add(bias);
        }
        NDArray weights = scores.softmax(-1); // (B, H, Tq, Tk), rows sum to 1
        NDArray mixing =
                training && dropout > 0
                        ? Dropout.dropout(weights, dropout, true)
                                .singletonOrThrow() // (B, H, Tq, Tk)
                        : weights;
        NDArray out = mixing.matMul(v); // (B, H, Tq, Dh)
        return new NDList(out, weights);
    }
}
