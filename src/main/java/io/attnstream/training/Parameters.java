package io.attnstream.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Operations on a block's parameters that a training loop needs: counting, gradient checks,
 * snapshots.
 */
public final class Parameters {
    private Parameters() {}

    /** Learnt parameters: BatchNorm's running statistics (no gradient) are not counted. */
    public static long trainableCount(Block block) {
        long count = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            count += p.getValue().requiresGradient() ? p.getValue().getArray().size() : 0;
        }
        return count;
    }

    /**
     * One scalar sum over every gradient: NaN or infinite if any element is (one device sync per
     * step).
     */
    static boolean gradientsFinite(Block block, NDManager manager) {
        NDArray total = manager.zeros(new Shape());
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                total = total.add(gradient(p.getValue(), manager).sum()); // ()
            }
        }
        return Float.isFinite(total.getFloat());
    }

    /**
     * Sets every gradient to 0, in place: DJL zeroes them in {@code step()} only, so a skipped NaN
     * would stay.
     */
    static void zeroGradients(Block block, NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    gradient(p.getValue(), scope).set(new NDIndex("..."), 0f);
                }
            }
        }
    }

    /**
     * The parameter's gradient as a handle owned by {@code manager}: getGradient() would otherwise
     * attach a new handle to the model's manager every step, freed only with the model.
     */
    public static NDArray gradient(Parameter parameter, NDManager manager) {
        NDArray gradient = parameter.getArray().getGradient();
        gradient.attach(manager);
        return gradient;
    }

    /** Every parameter's values, BatchNorm's running statistics included (inference uses them). */
    public static Map<String, float[]> snapshot(Block block) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            values.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return values;
    }

    /** Writes a {@link #snapshot} back, in place. */
    public static void restore(Block block, Map<String, float[]> values, NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray array = p.getValue().getArray();
                // an indexed copy, in place (set(Buffer) makes PyTorch print a deprecation warning)
                array.set(
                        new NDIndex("..."), scope.create(values.get(p.getKey()), array.getShape()));
            }
        }
    }
}
