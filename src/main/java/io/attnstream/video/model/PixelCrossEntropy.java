package io.attnstream.video.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import io.attnstream.video.image.LabelMap;
import java.util.List;

/**
 * Class-weighted per-pixel cross-entropy that ignores void pixels, as PyTorch's {@code
 * CrossEntropyLoss(weight=w, ignore_index=void)}:
 *
 * <pre>
 *   loss = - sum_p w[y_p] log softmax(z_p)[y_p] / sum_p w[y_p]       over the non-void pixels p
 * </pre>
 *
 * The denominator is the weights' sum, not the pixel count, so the loss's scale does not depend on
 * how many rare pixels a batch happens to hold.
 *
 * <p>Dimensions: B batch, C classes, H x W the training size.
 *
 * <p>Labels: {@code NDList(target (B, H, W) int64, weight (B, H, W) float32)} from {@link #labels},
 * where a void pixel has target 0 and weight 0. Predictions: {@code NDList(logits (B, C, H, W),
 * ...)}; only the logits are used.
 */
public final class PixelCrossEntropy extends Loss {
    public PixelCrossEntropy() {
        super("PixelCrossEntropy");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logits = predictions.get(0); // (B, C, H, W)
        NDArray target = labels.get(0).expandDims(1); // (B, 1, H, W)
        NDArray weight = labels.get(1); // (B, H, W)
        NDArray logProbability = logits.logSoftmax(1).gather(target, 1).squeeze(1); // (B, H, W)
        NDArray total = weight.sum(); // ()
        // all-void batch: 0 / tiny = 0, not NaN
        return logProbability.mul(weight).sum().neg().div(total.maximum(1e-12f)); // ()
    }

    /**
     * The loss's labels for a batch of label maps of one size.
     *
     * @param weights C class weights (all 1 for plain cross-entropy)
     * @return [target (B, H, W) int64, weight (B, H, W) float32] in {@code manager}
     */
    public static NDList labels(
            NDManager manager, List<LabelMap> batch, float[] weights, int voidIndex) {
        int width = batch.get(0).width();
        int height = batch.get(0).height();
        int plane = width * height;
        long[] target = new long[batch.size() * plane];
        float[] weight = new float[target.length];
        for (int b = 0; b < batch.size(); b++) {
            LabelMap labels = batch.get(b);
            if (labels.width() != width || labels.height() != height) {
                throw new IllegalArgumentException(
                        "a batch's label maps must have one size, got "
                                + width
                                + " x "
                                + height
                                + " and "
                                + labels.width()
                                + " x "
                                + labels.height());
            }
            byte[] classes = labels.classes();
            for (int p = 0; p < plane; p++) {
                int v = classes[p] & 0xFF;
                if (v != voidIndex) {
                    if (v >= weights.length) {
                        throw new IllegalArgumentException(
                                "label "
                                        + v
                                        + " is neither a class 0.."
                                        + (weights.length - 1)
                                        + " nor void "
                                        + voidIndex);
                    }
                    target[b * plane + p] = v;
                    weight[b * plane + p] = weights[v];
                }
            }
        }
        Shape shape = new Shape(batch.size(), height, width);
        return new NDList(
                manager.create(target, shape), manager.create(weight, shape)); // (B, H, W) each
    }
}
