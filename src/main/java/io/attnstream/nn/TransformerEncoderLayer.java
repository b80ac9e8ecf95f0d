package io.attnstream.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A pre-LayerNorm transformer encoder layer (as in GPT-2; Xiong et al. 2020 show why pre-LN trains
 * without learning-rate warm-up). SASRec's reference code differs slightly: it normalises only the
 * queries and adds the residual to the normalised input.
 *
 * <pre>
 *   h   = x + Dropout(MultiHeadSelfAttention(LN1(x), bias))
 *   out = h + Dropout(FFN(LN2(h)))        FFN = Linear(D -> F) -> ReLU -> Dropout -> Linear(F -> D)
 * </pre>
 *
 * <p>Dimensions: B batch, T time/positions, D model size, H heads, F feed-forward size.
 *
 * <p>Input: {@code NDList(x (B, T, D))} or {@code NDList(x (B, T, D), bias)}, bias broadcastable to
 * (B, H, T, T) as in {@link MultiHeadSelfAttention}. Output: {@code NDList(out (B, T, D), weights
 * (B, H, T, T))}.
 *
 * <p>Parameters: two LayerNorms 2 (2 D), attention 4 (D D + D), FFN (D F + F) + (F D + D).
 */
public final class TransformerEncoderLayer extends AbstractBlock {
    private static final byte VERSION = 1;
    private static final String[] SETTING_NAMES = {"modelSize", "heads", "ffnSize"};

    private final int modelSize;
    private final int heads;
    private final int ffnSize;
    private final float dropout;
    private final LayerNorm attentionNorm;
    private final MultiHeadSelfAttention attention;
    private final LayerNorm ffnNorm;
    private final Linear ffnIn;
    private final Linear ffnOut;

    private TransformerEncoderLayer(Builder builder) {
        super(VERSION);
        modelSize = builder.modelSize;
        heads = builder.heads;
        ffnSize = builder.ffnSize != null ? builder.ffnSize : builder.modelSize;
        dropout = builder.dropout;
        // axis 2: normalise each position's D features; the default (all axes but batch) would mix
        // positions
        attentionNorm = addChildBlock("attentionNorm", LayerNorm.builder().axis(2).build());
        attention =
                addChildBlock(
                        "attention",
                        MultiHeadSelfAttention.builder()
                                .setModelSize(modelSize)
                                .setHeads(heads)
                                .optAttentionDropout(builder.attentionDropout)
                                .build());
        ffnNorm = addChildBlock("ffnNorm", LayerNorm.builder().axis(2).build());
        ffnIn = addChildBlock("ffnIn", Linear.builder().setUnits(ffnSize).build());
        ffnOut = addChildBlock("ffnOut", Linear.builder().setUnits(modelSize).build());
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

    public int getFfnSize() {
        return ffnSize;
    }

    public float getDropout() {
        return dropout;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0); // (B, T, D)
        NDArray normed =
                attentionNorm.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, T, D)
        NDList attentionInput =
                inputs.size() > 1 ? new NDList(normed, inputs.get(1)) : new NDList(normed);
        NDList attended =
                attention.forward(ps, attentionInput, training); // (B, T, D), (B, H, T, T)
        NDArray h = x.add(dropout(attended.get(0), training)); // (B, T, D)

        NDArray f = ffnNorm.forward(ps, new NDList(h), training).singletonOrThrow(); // (B, T, D)
        f = ffnIn.forward(ps, new NDList(f), training).singletonOrThrow(); // (B, T, F)
        f = dropout(Activation.relu(f), training); // (B, T, F)
        f = ffnOut.forward(ps, new NDList(f), training).singletonOrThrow(); // (B, T, D)
        NDArray out = h.add(dropout(f, training)); // (B, T, D)
        return new NDList(out, attended.get(1)); // (B, T, D), (B, H, T, T)
    }

    private NDArray dropout(NDArray x, boolean training) {
        return training && dropout > 0 ? Dropout.dropout(x, dropout, true).singletonOrThrow() : x;
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0]; // (B, T, D)
        attentionNorm.initialize(manager, dataType, x);
        attention.initialize(manager, dataType, inputShapes);
        ffnNorm.initialize(manager, dataType, x);
        ffnIn.initialize(manager, dataType, x);
        ffnOut.initialize(manager, dataType, new Shape(x.get(0), x.get(1), ffnSize)); // (B, T, F)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return attention.getOutputShapes(inputShapes); // (B, T, D), (B, H, T, T)
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        BlockSettings.write(os, modelSize, heads, ffnSize);
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException(
                    "TransformerEncoderLayer parameters have version "
                            + loadVersion
                            + ", expected "
                            + VERSION);
        }
        readInputShapes(is);
        BlockSettings.check(
                is,
                "TransformerEncoderLayer",
                SETTING_NAMES,
                new int[] {modelSize, heads, ffnSize});
    }

    /**
     * {@code set*} settings are required, {@code opt*} ones optional; {@link #build()} validates
     * them.
     */
    public static final class Builder {
        private int modelSize;
        private int heads;
        private Integer ffnSize;
        private float dropout = 0.1f;
        private float attentionDropout;

        private Builder() {}

        /** Model size D (required). */
        public Builder setModelSize(int modelSize) {
            this.modelSize = modelSize;
            return this;
        }

        /** Number of heads H (required); must divide D. */
        public Builder setHeads(int heads) {
            this.heads = heads;
            return this;
        }

        /** Feed-forward size F; default D (as in SASRec; Vaswani et al. use 4 D). */
        public Builder optFfnSize(int ffnSize) {
            this.ffnSize = ffnSize;
            return this;
        }

        /**
         * Dropout on both residual branches and inside the FFN when training, in [0, 1); default
         * 0.1.
         */
        public Builder optDropout(float dropout) {
            this.dropout = dropout;
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
        public TransformerEncoderLayer build() {
            BlockSettings.requirePositive("model size D", modelSize);
            BlockSettings.requireHeadsDivide(modelSize, heads);
            if (ffnSize != null) {
                BlockSettings.requirePositive("ffn size F", ffnSize);
            }
            BlockSettings.requireRate("dropout", dropout);
            BlockSettings.requireRate("attention dropout", attentionDropout);
            return new TransformerEncoderLayer(this);
        }
    }
}
