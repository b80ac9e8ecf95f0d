package io.attnstream.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Multi-head self-attention (Vaswani et al. 2017): every position attends to every position of the
 * same sequence, in H heads of size D/H, and the heads' outputs are concatenated and projected back
 * to D.
 *
 * <p>Dimensions: B batch, T time/positions, D model size, H heads, Dh = D / H size per head.
 *
 * <p>Input: {@code NDList(x (B, T, D))} or {@code NDList(x (B, T, D), bias)} where bias is
 * broadcastable to (B, H, T, T) and added to the attention scores: 0 keeps a key, {@link
 * ScaledDotProductAttention#MASKED} drops it (a key-padding bias is (B, 1, 1, T), a causal one (1,
 * 1, T, T)). Output: {@code NDList(out (B, T, D), weights (B, H, T, T))}, where each row of the
 * weights sums to 1 (before any attention dropout, which applies only when training).
 *
 * <p>Parameters: the Q, K, V and output projections, each {@link Linear} D -> D with bias: 4 (D D +
 * D).
 */
public final class MultiHeadSelfAttention extends AbstractBlock {
    private static final byte VERSION = 1;
    private static final String[] SETTING_NAMES = {"modelSize", "heads"};

    private final int modelSize;
    private final int heads;
    private final float attentionDropout;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear output;

    private MultiHeadSelfAttention(Builder builder) {
        super(VERSION);
        modelSize = builder.modelSize;
        heads = builder.heads;
        attentionDropout = builder.attentionDropout;
        query = addChildBlock("query", Linear.builder().setUnits(modelSize).build());
        key = addChildBlock("key", Linear.builder().setUnits(modelSize).build());
        value = addChildBlock("value", Linear.builder().setUnits(modelSize).build());
        output = addChildBlock("output", Linear.builder().setUnits(modelSize).build());
    }

    public static Builder builder() {
        return new Builder();
    }

    public int getModelSize() {
        return modelSize;
    }

    public int getHeads() {
        return heads;
    }

    public float getAttentionDropout() {
        return attentionDropout;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0); // (B, T, D)
        Shape shape = x.getShape();
        if (shape.dimension() != 3 || shape.get(2) != modelSize) {
            throw new IllegalArgumentException(
                    "MultiHeadSelfAttention expects x of shape (B, T, "
                            + modelSize
                            + "), got "
                            + shape);
        }
        NDArray bias =
                inputs.size() > 1 ? inputs.get(1) : null; // broadcastable to (B, H, T, T), or none
        long batch = shape.get(0);
        long time = shape.get(1);

        NDArray q = splitHeads(project(query, ps, x, training), batch, time); // (B, H, T, Dh)
        NDArray k = splitHeads(project(key, ps, x, training), batch, time); // (B, H, T, Dh)
        NDArray v = splitHeads(project(value, ps, x, training), batch, time); // (B, H, T, Dh)

        NDList attended =
                ScaledDotProductAttention.apply(q, k, v, bias, attentionDropout, training);
        NDArray merged =
                attended.get(0).transpose(0, 2, 1, 3).reshape(batch, time, modelSize); // (B, T, D)
        NDArray out = project(output, ps, merged, training); // (B, T, D)
        return new NDList(out, attended.get(1)); // (B, T, D), (B, H, T, T)
    }

    private static NDArray project(Linear linear, ParameterStore ps, NDArray x, boolean training) {
        return linear.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, T, D)
    }

    /** (B, T, D) -> (B, H, T, Dh). */
    private NDArray splitHeads(NDArray x, long batch, long time) {
        return x.reshape(batch, time, heads, modelSize / heads) // (B, T, H, Dh)
                .transpose(0, 2, 1, 3); // (B, H, T, Dh)
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0]; // (B, T, D)
        for (Linear linear : new Linear[] {query, key, value, output}) {
            linear.initialize(manager, dataType, x);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0]; // (B, T, D)
        long batch = x.get(0);
        long time = x.get(1);
        return new Shape[] {new Shape(batch, time, modelSize), new Shape(batch, heads, time, time)};
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        BlockSettings.write(os, modelSize, heads);
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException(
                    "MultiHeadSelfAttention parameters have version "
                            + loadVersion
                            + ", expected "
                            + VERSION);
        }
        readInputShapes(is);
        BlockSettings.check(
                is, "MultiHeadSelfAttention", SETTING_NAMES, new int[] {modelSize, heads});
    }

    /**
     * {@code set*} settings are required, {@code opt*} ones optional; {@link #build()} validates
     * them.
     */
    public static final class Builder {
        private int modelSize;
        private int heads;
        private float attentionDropout;

        private Builder() {}

        /** Model size D (required); the input's last axis. */
        public Builder setModelSize(int modelSize) {
            this.modelSize = modelSize;
            return this;
        }

        /** Number of heads H (required); must divide D. */
        public Builder setHeads(int heads) {
            this.heads = heads;
            return this;
        }

        /** Dropout on the attention weights when training, in [0, 1); default 0. */
        public Builder optAttentionDropout(float attentionDropout) {
            this.attentionDropout = attentionDropout;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public MultiHeadSelfAttention build() {
            BlockSettings.requirePositive("model size D", modelSize);
            BlockSettings.requireHeadsDivide(modelSize, heads);
            BlockSettings.requireRate("attention dropout", attentionDropout);
            return new MultiHeadSelfAttention(this);
        }
    }
}
