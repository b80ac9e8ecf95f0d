package io.attnstream.traffic.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * The forecaster's training loss: the mean absolute error over the observed targets only, in
 * normalised units so that every sensor weighs the same (measured better than MSE on Los-loop).
 * Labels are [target (B, H, N), mask (B, H, N)], predictions [forecast (B, H, N), ...].
 */
public final class MaskedMae extends Loss {
    public MaskedMae() {
        super("MaskedMAE");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray target = labels.get(0); // (B, H, N)
        NDArray mask = labels.get(1); // (B, H, N)
        NDArray errors = predictions.get(0).sub(target).abs().mul(mask); // (B, H, N)
        return errors.sum().div(mask.sum().maximum(1f)); // ()
    }
}
