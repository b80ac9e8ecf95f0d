package io.attnstream.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/** Helpers shared by the attention-block tests. */
public final class NnFixtures {
    public static final float MASKED = ScaledDotProductAttention.MASKED;

    private NnFixtures() {}

    /** An inference-mode forward pass (dropout off) whose results live in {@code manager}. */
    public static NDList infer(Block block, NDManager manager, NDArray... inputs) {
        return block.forward(new ParameterStore(manager, false), new NDList(inputs), false);
    }

    /** A training-mode forward pass (dropout on), without gradients. */
    public static NDList train(Block block, NDManager manager, NDArray... inputs) {
        return block.forward(new ParameterStore(manager, false), new NDList(inputs), true);
    }

    public static long parameterCount(Block block) {
        return block.getParameters().values().stream()
                .map(Parameter::getArray)
                .mapToLong(NDArray::size)
                .sum();
    }

    /** (B, T) int64 item ids, each row left-padded with 0 to {@code time}. */
    public static NDArray leftPadded(NDManager manager, int time, long[]... histories) {
        long[] ids = new long[histories.length * time];
        for (int b = 0; b < histories.length; b++) {
            long[] history = histories[b];
            System.arraycopy(history, 0, ids, b * time + time - history.length, history.length);
        }
        return manager.create(ids, new Shape(histories.length, time));
    }

    /** (B, T) key-padding bias (B, 1, 1, T): MASKED where {@code keep} is false. */
    public static NDArray keyPaddingBias(NDManager manager, boolean[][] keep) {
        int batch = keep.length;
        int time = keep[0].length;
        float[] bias = new float[batch * time];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < time; t++) {
                bias[b * time + t] = keep[b][t] ? 0 : MASKED;
            }
        }
        return manager.create(bias, new Shape(batch, 1, 1, time));
    }

    public static boolean allFinite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
