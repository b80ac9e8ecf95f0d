package io.attnstream.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.attnstream.nn.HyperParameters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model that does no work: its forward pass returns constant tensors of fixed per-sample shapes,
 * with the batch dimension B of its first input. Served through the same model store, runtime,
 * translator and job as a real model, it measures everything around the forward pass (the
 * benchmarks' null model).
 *
 * <p>Dimensions: B batch; each output i has shape (B, S_i...) for its per-sample shape S_i and
 * holds one value everywhere. It has no parameters.
 *
 * <p>Hyper-parameters: {@code outputs}, the per-sample shapes (lists of positive integers), and
 * {@code values}, one constant per output.
 */
public final class ConstantOutputsBlock extends AbstractBlock {
    /** The model.json kind of such a model. */
    public static final String KIND = "constant-outputs";

    public static final String OUTPUTS = "outputs";
    public static final String VALUES = "values";
    private static final byte VERSION = 1;

    private final long[][] shapes;
    private final float[] values;

    /**
     * @param shapes per-sample shape of each output, without the batch dimension
     * @param values the constant of each output
     */
    public ConstantOutputsBlock(long[][] shapes, float[] values) {
        super(VERSION);
        if (shapes.length == 0 || shapes.length != values.length) {
            throw new IllegalArgumentException(
                    "one value per output and at least one output, got "
                            + shapes.length
                            + " shape(s) and "
                            + values.length
                            + " value(s)");
        }
        for (long[] s : shapes) {
            for (long d : s) {
                if (d < 1) {
                    throw new IllegalArgumentException(
                            "output dimensions must be >= 1, got " + Arrays.toString(s));
                }
            }
        }
        this.shapes = shapes.clone();
        this.values = values.clone();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray first = inputs.get(0); // (B, ...)
        long batch = first.getShape().get(0);
        NDList out = new NDList(shapes.length);
        for (int i = 0; i < shapes.length; i++) {
            // in the input's manager, which the runtime closes after the batch
            out.add(first.getManager().full(withBatch(batch, shapes[i]), values[i])); // (B, S_i...)
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        Shape[] out = new Shape[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            out[i] = withBatch(batch, shapes[i]);
        }
        return out;
    }

    private static Shape withBatch(long batch, long[] perSample) {
        long[] s = new long[perSample.length + 1];
        s[0] = batch;
        System.arraycopy(perSample, 0, s, 1, perSample.length);
        return new Shape(s);
    }

    /** The settings that rebuild this block with {@link #fromHyperParameters}. */
    public Map<String, Object> hyperParameters() {
        List<List<Long>> outs = new ArrayList<>();
        List<Float> vals = new ArrayList<>();
        for (int i = 0; i < shapes.length; i++) {
            outs.add(Arrays.stream(shapes[i]).boxed().toList());
            vals.add(values[i]);
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(OUTPUTS, outs);
        map.put(VALUES, vals);
        return map;
    }

    /**
     * Rebuilds the block from {@link #hyperParameters()} after a JSON round trip (numbers of any
     * type).
     *
     * @throws IllegalArgumentException for a missing or malformed setting
     */
    public static ConstantOutputsBlock fromHyperParameters(Map<String, ?> map) {
        HyperParameters.requireKnown(map, Set.of(OUTPUTS, VALUES), "ConstantOutputsBlock");
        if (!(map.get(OUTPUTS) instanceof List<?> outs)
                || !(map.get(VALUES) instanceof List<?> vals)) {
            throw new IllegalArgumentException(
                    "hyper-parameters '"
                            + OUTPUTS
                            + "' (a list of shapes) and '"
                            + VALUES
                            + "' (a list of numbers) are required");
        }
        long[][] shapes = new long[outs.size()][];
        for (int i = 0; i < shapes.length; i++) {
            if (!(outs.get(i) instanceof List<?> dims)) {
                throw new IllegalArgumentException(
                        "output " + i + " is not a list of dimensions: " + outs.get(i));
            }
            shapes[i] = new long[dims.size()];
            for (int j = 0; j < dims.size(); j++) {
                shapes[i][j] =
                        HyperParameters.integer(Map.of("dimension", dims.get(j)), "dimension");
            }
        }
        float[] values = new float[vals.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = HyperParameters.number(Map.of("value", vals.get(i)), "value").floatValue();
        }
        return new ConstantOutputsBlock(shapes, values);
    }
}
