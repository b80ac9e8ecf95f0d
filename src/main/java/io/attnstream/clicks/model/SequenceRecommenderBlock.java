package io.attnstream.clicks.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.attnstream.nn.BlockSettings;
import io.attnstream.nn.HyperParameters;
import io.attnstream.nn.ScaledDotProductAttention;
import io.attnstream.nn.TransformerEncoderLayer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SASRec (Kang &amp; McAuley, "Self-Attentive Sequential Recommendation", ICDM 2018): causal
 * self-attention over a user's last T items; the next item is scored by the dot product of the last
 * position's hidden state with every item's embedding (the same table that embeds the input, as in
 * the paper).
 *
 * <p>Dimensions: B batch, T time/positions (the history length, at most {@code maxLength}), D model
 * size, H heads, N layers, F feed-forward size, V vocabulary (item ids 1..V; id 0 is padding).
 *
 * <pre>
 *   x      = (E[items] sqrt(D) + P[positions]) * notPadding          E (V+1, D), P (maxLength, D)
 *   x      = Dropout(x)
 *   x      = TransformerEncoderLayer(x, bias)   N times              bias: causal + key padding, (B, 1, T, T)
 *   hidden = LayerNorm(x)                                            (B, T, D)
 *   scores = hidden[:, T-1] . E^T, padding column set to MASKED      (B, V+1)
 * </pre>
 *
 * <p>Input: {@code NDList(items (B, T))}, int32 or int64, left-padded with 0 (the most recent item
 * last), with ids in 0..V. T may be shorter than {@code maxLength}: positions are aligned to the
 * right, so the most recent item always has position maxLength-1 and a shorter input gives exactly
 * the scores of the same input left-padded to maxLength. Output: {@code NDList(scores (B, V+1),
 * attention (B, T), headAttention (B, H, T))}, where attention is the last layer's weights from the
 * last position averaged over heads and headAttention the same weights per head (each row sums to
 * 1; ~0 on padding).
 *
 * <p>Masking: a position attends to itself and to earlier non-padding positions only. Keeping the
 * diagonal means no row is ever fully masked (a padding position attends to itself alone), so an
 * all-padding history gives finite scores, and padding positions never see later items. {@link
 * Embedding} has no padding index: the padding row of E is masked here instead (inputs at padding
 * positions are 0, the padding item's score is {@link ScaledDotProductAttention#MASKED}, and {@link
 * #itemEmbeddings} returns 0 for id 0), so it receives no gradient.
 */
public final class SequenceRecommenderBlock extends AbstractBlock {
    private static final byte VERSION = 1;
    private static final String[] SETTING_NAMES = {
        "vocabularySize", "maxLength", "modelSize", "heads", "layers", "ffnSize"
    };

    /** Keys of {@link #hyperParameters()}. */
    public static final String VOCABULARY_SIZE = "vocabularySize";

    public static final String MAX_LENGTH = "maxLength";
    public static final String MODEL_SIZE = "modelSize";
    public static final String HEADS = "heads";
    public static final String LAYERS = "layers";
    public static final String FFN_SIZE = "ffnSize";
    public static final String DROPOUT = "dropout";
    private static final Set<String> KEYS =
            Set.of(VOCABULARY_SIZE, MAX_LENGTH, MODEL_SIZE, HEADS, LAYERS, FFN_SIZE, DROPOUT);

    private final int vocabularySize;
    private final int maxLength;
    private final int modelSize;
    private final int heads;
    private final int layers;
    private final int ffnSize;
    private final float dropout;

    private final Parameter itemEmbedding;
    private final Parameter positionEmbedding;
    private final List<TransformerEncoderLayer> encoderLayers = new ArrayList<>();
    private final LayerNorm finalNorm;

    private SequenceRecommenderBlock(Builder builder) {
        super(VERSION);
        vocabularySize = builder.vocabularySize;
        maxLength = builder.maxLength;
        modelSize = builder.modelSize;
        heads = builder.heads;
        layers = builder.layers;
        ffnSize = builder.ffnSize != null ? builder.ffnSize : builder.modelSize;
        dropout = builder.dropout;

        itemEmbedding =
                addParameter(
                        Parameter.builder()
                                .setName("itemEmbedding")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(vocabularySize + 1L, modelSize)) // (V+1, D)
                                .build());
        positionEmbedding =
                addParameter(
                        Parameter.builder()
                                .setName("positionEmbedding")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(maxLength, modelSize)) // (maxLength, D)
                                .build());
        for (int i = 0; i < layers; i++) {
            encoderLayers.add(
                    addChildBlock(
                            "layer" + i,
                            TransformerEncoderLayer.builder()
                                    .setModelSize(modelSize)
                                    .setHeads(heads)
                                    .optFfnSize(ffnSize)
                                    .optDropout(dropout)
                                    .optAttentionDropout(dropout)
                                    .build()));
        }
        finalNorm = addChildBlock("finalNorm", LayerNorm.builder().axis(2).build());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** V: item ids run 1..V, 0 is padding. */
    public int getVocabularySize() {
        return vocabularySize;
    }

    /** The longest history T the positional embedding covers. */
    public int getMaxLength() {
        return maxLength;
    }

    public int getModelSize() {
        return modelSize;
    }

    public int getHeads() {
        return heads;
    }

    public int getLayers() {
        return layers;
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
        NDArray items = inputs.get(0); // (B, T)
        NDList encoded = encode(ps, items, training);
        NDArray last = encoded.get(0).get(":, -1, :"); // (B, D)
        NDArray table = ps.getValue(itemEmbedding, last.getDevice(), training); // (V+1, D)
        // Linear.linear computes last . table^T with the result in the input's manager (an op
        // called on the parameter itself would allocate in the model's manager, which lives as long
        // as the model)
        NDArray allScores = Linear.linear(last, table).singletonOrThrow(); // (B, V+1)
        NDArray padding =
                items.getManager()
                        .full(
                                new Shape(last.getShape().get(0), 1),
                                ScaledDotProductAttention.MASKED); // (B, 1)
        NDArray scores =
                padding.concat(allScores.get(":, 1:"), 1); // (B, V+1), never recommends padding
        NDArray perHead =
                encoded.get(1).get(":, :, -1, :"); // (B, H, T), the last position's row per head
        NDArray attention = perHead.mean(new int[] {1}); // (B, T)
        return new NDList(scores, attention, perHead);
    }

    /**
     * The encoder alone, for training objectives other than full softmax (e.g. sampled negatives at
     * every position, as in the paper).
     *
     * @param items (B, T) int32 or int64, left-padded with 0
     * @param training true for a training forward pass (dropout on)
     * @return [hidden (B, T, D), last layer's attention weights (B, H, T, T)]
     */
    public NDList encode(ParameterStore ps, NDArray items, boolean training) {
        checkItems(items.getShape(), items.getDataType());
        NDManager manager = items.getManager();
        long time = items.getShape().get(1);
        NDArray ids = items.toType(DataType.INT64, false); // (B, T)
        NDArray notPadding = ids.neq(0); // (B, T) boolean

        NDArray table = ps.getValue(itemEmbedding, items.getDevice(), training); // (V+1, D)
        NDArray positions =
                ps.getValue(positionEmbedding, items.getDevice(), training); // (maxLength, D)
        if (time < maxLength) {
            positions =
                    positions.get(
                            manager, new NDIndex("{}:", maxLength - time)); // (T, D), right-aligned
        }
        NDArray x =
                Embedding.embedding(ids, table, SparseFormat.DENSE)
                        .singletonOrThrow() // (B, T, D)
                        .mul((float) Math.sqrt(modelSize)) // (B, T, D)
                        .add(positions) // (B, T, D)
                        .mul(
                                notPadding
                                        .toType(DataType.FLOAT32, false)
                                        .expandDims(-1)); // (B, T, D), 0 at padding
        if (training && dropout > 0) {
            x = Dropout.dropout(x, dropout, true).singletonOrThrow(); // (B, T, D)
        }

        NDArray bias = attentionBias(notPadding); // (B, 1, T, T)
        NDArray weights = null;
        for (TransformerEncoderLayer layer : encoderLayers) {
            NDList out = layer.forward(ps, new NDList(x, bias), training);
            x = out.get(0); // (B, T, D)
            weights = out.get(1); // (B, H, T, T)
        }
        NDArray hidden =
                finalNorm.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, T, D)
        return new NDList(hidden, weights);
    }

    /**
     * The output embeddings of the given items, the vectors {@link #forward} scores against
     * (unscaled), for training with sampled negatives: {@code score = sum(hidden *
     * itemEmbeddings(ids), -1)}. Id 0 (padding) gives a zero vector.
     *
     * @param ids any shape (...), int32 or int64, values in 0..V
     * @return (..., D)
     */
    public NDArray itemEmbeddings(ParameterStore ps, NDArray ids) {
        NDArray index = ids.toType(DataType.INT64, false); // (...)
        // training = true only matters if this is the store's first look at the table and it copies
        // parameters: the copy then gets a gradient, which a sampled-negatives loss needs
        NDArray table = ps.getValue(itemEmbedding, ids.getDevice(), true); // (V+1, D)
        return Embedding.embedding(index, table, SparseFormat.DENSE)
                .singletonOrThrow() // (..., D)
                .mul(
                        index.neq(0)
                                .toType(DataType.FLOAT32, false)
                                .expandDims(-1)); // (..., D), 0 for padding
    }

    /**
     * Additive attention bias: query i may attend key j iff j <= i and (item j is not padding or j
     * == i).
     *
     * @param notPadding (B, T) boolean
     * @return (B, 1, T, T): 0 to keep, {@link ScaledDotProductAttention#MASKED} to drop
     */
    private static NDArray attentionBias(NDArray notPadding) {
        long time = notPadding.getShape().get(1);
        NDArray position = notPadding.getManager().arange((int) time); // (T)
        NDArray queries = position.expandDims(1); // (T, 1)
        NDArray keys = position.expandDims(0); // (1, T)
        NDArray causal = keys.lte(queries); // (T, T)
        NDArray self = keys.eq(queries); // (T, T)
        NDArray keyKept = notPadding.expandDims(1).expandDims(1); // (B, 1, 1, T)
        NDArray allowed = keyKept.logicalOr(self).logicalAnd(causal); // (B, 1, T, T)
        return allowed.logicalNot()
                .toType(DataType.FLOAT32, false)
                .mul(ScaledDotProductAttention.MASKED); // (B, 1, T, T)
    }

    private void checkItems(Shape shape, DataType type) {
        if (shape.dimension() != 2 || shape.get(1) < 1 || shape.get(1) > maxLength) {
            throw new IllegalArgumentException(
                    "SequenceRecommenderBlock expects items of shape (B, T) with"
                            + " 1 <= T <= "
                            + maxLength
                            + ", got "
                            + shape);
        }
        if (type != DataType.INT32 && type != DataType.INT64) {
            throw new IllegalArgumentException("item ids must be int32 or int64, got " + type);
        }
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        checkItems(inputShapes[0], DataType.INT64);
        super.beforeInitialize(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape items = inputShapes[0]; // (B, T)
        long batch = items.get(0);
        long time = items.get(1);
        Shape x = new Shape(batch, time, modelSize); // (B, T, D)
        Shape bias = new Shape(batch, 1, time, time); // (B, 1, T, T)
        for (TransformerEncoderLayer layer : encoderLayers) {
            layer.initialize(manager, dataType, x, bias);
        }
        finalNorm.initialize(manager, dataType, x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape items = inputShapes[0]; // (B, T)
        return new Shape[] {
            new Shape(items.get(0), vocabularySize + 1L),
            new Shape(items.get(0), items.get(1)),
            new Shape(items.get(0), heads, items.get(1))
        };
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        BlockSettings.write(os, settings());
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException(
                    "SequenceRecommenderBlock parameters have version "
                            + loadVersion
                            + ", expected "
                            + VERSION);
        }
        readInputShapes(is);
        BlockSettings.check(is, "SequenceRecommenderBlock", SETTING_NAMES, settings());
    }

    private int[] settings() {
        return new int[] {vocabularySize, maxLength, modelSize, heads, layers, ffnSize};
    }

    /**
     * The settings that rebuild this block with {@link #fromHyperParameters}, for a model
     * directory's model.json.
     */
    public Map<String, Object> hyperParameters() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(VOCABULARY_SIZE, vocabularySize);
        map.put(MAX_LENGTH, maxLength);
        map.put(MODEL_SIZE, modelSize);
        map.put(HEADS, heads);
        map.put(LAYERS, layers);
        map.put(FFN_SIZE, ffnSize);
        map.put(DROPOUT, dropout); // a Float: JSON writes 0.2, not 0.20000000298023224
        return map;
    }

    /**
     * Rebuilds a block from {@link #hyperParameters()}, e.g. after a JSON round trip: numbers may
     * be any {@link Number} (Integer, Long, Double), integer settings must have integral values,
     * {@code ffnSize} and {@code dropout} are optional.
     *
     * @throws IllegalArgumentException for a missing, unknown, non-numeric or invalid setting
     */
    public static SequenceRecommenderBlock fromHyperParameters(Map<String, ?> map) {
        HyperParameters.requireKnown(map, KEYS, "SequenceRecommenderBlock");
        Builder builder =
                builder()
                        .setVocabularySize(HyperParameters.integer(map, VOCABULARY_SIZE))
                        .setMaxLength(HyperParameters.integer(map, MAX_LENGTH))
                        .setModelSize(HyperParameters.integer(map, MODEL_SIZE))
                        .setHeads(HyperParameters.integer(map, HEADS))
                        .setLayers(HyperParameters.integer(map, LAYERS));
        if (map.get(FFN_SIZE) != null) {
            builder.optFfnSize(HyperParameters.integer(map, FFN_SIZE));
        }
        if (map.get(DROPOUT) != null) {
            builder.optDropout(HyperParameters.number(map, DROPOUT).floatValue());
        }
        return builder.build();
    }

    /**
     * {@code set*} settings are required, {@code opt*} ones optional; {@link #build()} validates
     * them.
     */
    public static final class Builder {
        private int vocabularySize;
        private int maxLength;
        private int modelSize;
        private int heads;
        private int layers;
        private Integer ffnSize;
        private float dropout = 0.2f;

        private Builder() {}

        /** V (required): item ids run 1..V; the embedding table has V+1 rows, row 0 for padding. */
        public Builder setVocabularySize(int vocabularySize) {
            this.vocabularySize = vocabularySize;
            return this;
        }

        /** T (required): the longest history, i.e. the rows of the positional embedding. */
        public Builder setMaxLength(int maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        /** D (required). */
        public Builder setModelSize(int modelSize) {
            this.modelSize = modelSize;
            return this;
        }

        /** H (required); must divide D. */
        public Builder setHeads(int heads) {
            this.heads = heads;
            return this;
        }

        /** N (required): the number of {@link TransformerEncoderLayer}s. */
        public Builder setLayers(int layers) {
            this.layers = layers;
            return this;
        }

        /** F: the feed-forward size; default D, as in the paper. */
        public Builder optFfnSize(int ffnSize) {
            this.ffnSize = ffnSize;
            return this;
        }

        /**
         * Dropout when training, in [0, 1), on the input embeddings, the attention weights, both
         * residual branches and inside the FFN; default 0.2 (the paper uses 0.2 on MovieLens-1M,
         * 0.5 on sparse data).
         */
        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public SequenceRecommenderBlock build() {
            BlockSettings.requirePositive("vocabulary size V", vocabularySize);
            BlockSettings.requirePositive("max length T", maxLength);
            BlockSettings.requirePositive("model size D", modelSize);
            BlockSettings.requireHeadsDivide(modelSize, heads);
            BlockSettings.requirePositive("layers N", layers);
            if (ffnSize != null) {
                BlockSettings.requirePositive("ffn size F", ffnSize);
            }
            BlockSettings.requireRate("dropout", dropout);
            return new SequenceRecommenderBlock(this);
        }
    }
}
