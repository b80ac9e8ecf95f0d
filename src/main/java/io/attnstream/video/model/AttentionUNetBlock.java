package io.attnstream.video.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.attnstream.nn.BlockSettings;
import io.attnstream.nn.HyperParameters;
import io.attnstream.nn.TransformerEncoderLayer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Attention U-Net (Oktay et al., "Attention U-Net: Learning Where to Look for the Pancreas", MIDL
 * 2018) for per-pixel classification, with a transformer layer at the bottleneck: an encoder of S
 * stages that halves the resolution between stages, self-attention over the bottleneck's pixels
 * (every pixel sees the whole frame), and a decoder that upsamples by bilinear interpolation +
 * convolution (DJL's PyTorch engine has no transposed convolution) and takes each encoder stage's
 * skip feature through an {@link AttentionGate}.
 *
 * <p>Dimensions: B batch, H x W input size (both divisible by 2^(S-1)), S stages, c_s the width of
 * stage s (default 16, 32, 64, 128), h_s x w_s = H/2^s x W/2^s, D = c_{S-1} the bottleneck width, T
 * = h_{S-1} w_{S-1} bottleneck pixels, Hh heads, F feed-forward size, C classes.
 *
 * <pre>
 *   e_0     = Conv(Conv(x))                                      (B, c_0, H, W)       Conv = {@link ConvBnRelu} 3x3
 *   e_s     = Conv(Conv(MaxPool2x2(e_{s-1})))     s = 1..S-1     (B, c_s, h_s, w_s)
 *   tokens  = flatten(e_{S-1}) + P2d                             (B, T, D)            P2d fixed sinusoidal
 *   tokens  = TransformerEncoderLayer(tokens)                    (B, T, D), weights (B, Hh, T, T)
 *   d_{S-1} = unflatten(tokens)                                  (B, D, h_{S-1}, w_{S-1})
 *   for s = S-2 .. 0:
 *     gated, alpha_s = AttentionGate(e_s, g = d_{s+1})           (B, c_s, h_s, w_s), (B, 1, h_s, w_s)
 *     up      = Conv(Bilinear(d_{s+1}, h_s x w_s))               (B, c_s, h_s, w_s)
 *     d_s     = Conv(Conv(concat(gated, up)))                    (B, c_s, h_s, w_s)
 *   logits  = Conv1x1(d_0) + bias                                (B, C, H, W)
 *   heatmap = mean over heads and queries of weights, / its max  (B, h_{S-1}, w_{S-1})
 * </pre>
 *
 * <p>Input: {@code NDList(x (B, 3, H, W))} float32, normalised RGB. Output: {@code NDList(logits
 * (B, C, H, W), alpha_0 (B, H, W), alpha_1 (B, H/2, W/2), ..., alpha_{S-2} (B, h_{S-2}, w_{S-2}),
 * heatmap (B, h_{S-1}, w_{S-1}))}: the logits, then one attention map per scale from the finest to
 * the coarsest, so output 1 + s has size H/2^s x W/2^s, and the bottleneck heatmap is always the
 * last. Every map is in [0, 1]: a gate's alpha is a sigmoid; the heatmap is the attention each
 * bottleneck pixel receives (averaged over heads and queries, which sums to 1 over the pixels)
 * divided by its largest value, so the most attended pixel is 1.
 *
 * <p>Parameters: each {@link ConvBnRelu} 9 Cin Cout + 4 Cout (two per encoder stage, three per
 * decoder level: the upsampling one and two after the concatenation), each {@link AttentionGate}
 * with F = c_s / 2, the {@link TransformerEncoderLayer} at D, and the head c_0 C + C; about 0.65 M
 * with the default widths and C = 11.
 *
 * <p>The positional encoding is computed for the bottleneck's actual size (y in the first D/2
 * channels, x in the last D/2, sin and cos at D/4 frequencies each, as in the 1-D encoding of
 * Vaswani et al.), so one model takes any input size divisible by 2^(S-1); there is no learned
 * table tied to one resolution.
 */
public final class AttentionUNetBlock extends AbstractBlock {
    private static final byte VERSION = 1;
    private static final String[] SETTING_NAMES = {"classes", "heads", "ffnSize", "stages"};

    /** Keys of {@link #hyperParameters()}. */
    public static final String CLASSES = "classes";

    public static final String WIDTHS = "widths";
    public static final String HEADS = "heads";
    public static final String FFN_SIZE = "ffnSize";
    public static final String DROPOUT = "dropout";
    private static final Set<String> KEYS = Set.of(CLASSES, WIDTHS, HEADS, FFN_SIZE, DROPOUT);

    /** The default stage widths c_0..c_{S-1}. */
    public static final List<Integer> DEFAULT_WIDTHS = List.of(16, 32, 64, 128);

    /** Input channels: RGB. */
    public static final int CHANNELS = 3;

    private final int classes;
    private final int[] widths;
    private final int heads;
    private final int ffnSize;
    private final float dropout;

    private final List<ConvBnRelu> encoderA = new ArrayList<>();
    private final List<ConvBnRelu> encoderB = new ArrayList<>();
    private final TransformerEncoderLayer bottleneck;
    private final List<AttentionGate> gates = new ArrayList<>();
    private final List<ConvBnRelu> upConvs = new ArrayList<>();
    private final List<ConvBnRelu> decoderA = new ArrayList<>();
    private final List<ConvBnRelu> decoderB = new ArrayList<>();
    private final Conv2d head;

    private AttentionUNetBlock(Builder builder) {
        super(VERSION);
        classes = builder.classes;
        widths = builder.widths.clone();
        heads = builder.heads;
        int d = widths[widths.length - 1];
        ffnSize = builder.ffnSize != null ? builder.ffnSize : d;
        dropout = builder.dropout;
        for (int s = 0; s < widths.length; s++) {
            encoderA.add(addChildBlock("encoder" + s + "a", ConvBnRelu.of(widths[s], 3)));
            encoderB.add(addChildBlock("encoder" + s + "b", ConvBnRelu.of(widths[s], 3)));
        }
        bottleneck =
                addChildBlock(
                        "bottleneck",
                        TransformerEncoderLayer.builder()
                                .setModelSize(d)
                                .setHeads(heads)
                                .optFfnSize(ffnSize)
                                .optDropout(dropout)
                                .build());
        for (int s = 0; s + 1 < widths.length; s++) {
            gates.add(addChildBlock("gate" + s, AttentionGate.of(Math.max(1, widths[s] / 2))));
            upConvs.add(addChildBlock("up" + s, ConvBnRelu.of(widths[s], 3)));
            decoderA.add(addChildBlock("decoder" + s + "a", ConvBnRelu.of(widths[s], 3)));
            decoderB.add(addChildBlock("decoder" + s + "b", ConvBnRelu.of(widths[s], 3)));
        }
        head =
                addChildBlock(
                        "head",
                        Conv2d.builder()
                                .setKernelShape(new Shape(1, 1))
                                .setFilters(classes)
                                .build());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** C. */
    public int getClasses() {
        return classes;
    }

    /** c_0..c_{S-1}. */
    public int[] getWidths() {
        return widths.clone();
    }

    /** S. */
    public int getStages() {
        return widths.length;
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

    /** 2^(S-1): H and W must be multiples of it. */
    public int getSizeMultiple() {
        return 1 << (widths.length - 1);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0); // (B, 3, H, W)
        checkInput(x.getShape());
        int stages = widths.length;
        List<NDArray> skips = new ArrayList<>(stages - 1);
        for (int s = 0; s < stages; s++) {
            if (s > 0) {
                x =
                        Pool.maxPool2d(
                                x,
                                new Shape(2, 2),
                                new Shape(2, 2),
                                new Shape(0, 0),
                                false); // (B, c_{s-1}, h_s, w_s)
            }
            x = forward(encoderA.get(s), ps, x, training); // (B, c_s, h_s, w_s)
            x = forward(encoderB.get(s), ps, x, training); // (B, c_s, h_s, w_s)
            if (s + 1 < stages) {
                skips.add(x);
            }
        }

        Shape bottom = x.getShape(); // (B, D, h, w)
        long batch = bottom.get(0);
        long d = bottom.get(1);
        long h = bottom.get(2);
        long w = bottom.get(3);
        NDArray tokens =
                x.reshape(batch, d, h * w)
                        .transpose(0, 2, 1) // (B, T, D)
                        .add(
                                positionalEncoding(
                                        x.getManager(), (int) h, (int) w, (int) d)); // (B, T, D)
        NDList attended = bottleneck.forward(ps, new NDList(tokens), training);
        x = attended.get(0).transpose(0, 2, 1).reshape(batch, d, h, w); // (B, D, h, w)
        // PyTorch's engine in DJL reduces one axis at a time
        NDArray received =
                attended.get(1).mean(new int[] {1}).mean(new int[] {1}); // (B, T), sums to 1 over T
        NDArray heatmap =
                received.div(received.max(new int[] {1}, true)).reshape(batch, h, w); // (B, h, w)

        NDArray[] alphas = new NDArray[stages - 1];
        for (int s = stages - 2; s >= 0; s--) {
            NDArray skip = skips.get(s); // (B, c_s, h_s, w_s)
            NDList gated =
                    gates.get(s)
                            .forward(
                                    ps,
                                    new NDList(skip, x),
                                    training); // (B, c_s, h_s, w_s), (B, 1, h_s, w_s)
            NDArray up =
                    Bilinear.resize(
                            x,
                            skip.getShape().get(2),
                            skip.getShape().get(3)); // (B, c_{s+1}, h_s, w_s)
            up = forward(upConvs.get(s), ps, up, training); // (B, c_s, h_s, w_s)
            x = gated.get(0).concat(up, 1); // (B, 2 c_s, h_s, w_s)
            x = forward(decoderA.get(s), ps, x, training); // (B, c_s, h_s, w_s)
            x = forward(decoderB.get(s), ps, x, training); // (B, c_s, h_s, w_s)
            alphas[s] = gated.get(1).squeeze(1); // (B, h_s, w_s)
        }
        NDArray logits =
                head.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, C, H, W)

        NDList out = new NDList(stages + 1);
        out.add(logits);
        out.addAll(Arrays.asList(alphas));
        out.add(heatmap);
        return out;
    }

    private static NDArray forward(
            ConvBnRelu block, ParameterStore ps, NDArray x, boolean training) {
        return block.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    /**
     * The fixed 2-D sinusoidal encoding of an h x w grid, row-major like the flattened pixels:
     * channels [0, D/4) sin(y f_k), [D/4, D/2) cos(y f_k), [D/2, 3D/4) sin(x f_k), [3D/4, D) cos(x
     * f_k), with f_k = 10000^(-k / (D/4)).
     *
     * @return (h w, D), in {@code manager}
     */
    static NDArray positionalEncoding(NDManager manager, int h, int w, int d) {
        int quarter = d / 4;
        float[] table = new float[h * w * d];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int base = (y * w + x) * d;
                for (int k = 0; k < quarter; k++) {
                    double frequency = Math.pow(10000, -(double) k / quarter);
                    table[base + k] = (float) Math.sin(y * frequency);
                    table[base + quarter + k] = (float) Math.cos(y * frequency);
                    table[base + 2 * quarter + k] = (float) Math.sin(x * frequency);
                    table[base + 3 * quarter + k] = (float) Math.cos(x * frequency);
                }
            }
        }
        return manager.create(table, new Shape((long) h * w, d)); // (T, D)
    }

    private void checkInput(Shape shape) {
        if (shape.dimension() != 4 || shape.get(1) != CHANNELS) {
            throw new IllegalArgumentException(
                    "AttentionUNetBlock expects images of shape (B, 3, H, W), got " + shape);
        }
        int multiple = getSizeMultiple();
        if (shape.get(2) % multiple != 0
                || shape.get(3) % multiple != 0
                || shape.get(2) == 0
                || shape.get(3) == 0) {
            throw new IllegalArgumentException(
                    "AttentionUNetBlock with "
                            + widths.length
                            + " stages needs H and W"
                            + " divisible by 2^(stages-1) = "
                            + multiple
                            + ", got H x W = "
                            + shape.get(2)
                            + " x "
                            + shape.get(3)
                            + " (resize the frames to e.g. "
                            + roundTo(shape.get(2), multiple)
                            + " x "
                            + roundTo(shape.get(3), multiple)
                            + ")");
        }
    }

    private static long roundTo(long value, int multiple) {
        return Math.max(multiple, Math.round((double) value / multiple) * multiple);
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        checkInput(inputShapes[0]);
        super.beforeInitialize(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0]; // (B, 3, H, W)
        long batch = x.get(0);
        int stages = widths.length;
        for (int s = 0; s < stages; s++) {
            long h = x.get(2) >> s;
            long w = x.get(3) >> s;
            int in = s == 0 ? CHANNELS : widths[s - 1];
            encoderA.get(s).initialize(manager, dataType, new Shape(batch, in, h, w));
            encoderB.get(s).initialize(manager, dataType, new Shape(batch, widths[s], h, w));
        }
        long tokens = (x.get(2) >> (stages - 1)) * (x.get(3) >> (stages - 1));
        bottleneck.initialize(
                manager, dataType, new Shape(batch, tokens, widths[stages - 1])); // (B, T, D)
        for (int s = 0; s + 1 < stages; s++) {
            long h = x.get(2) >> s;
            long w = x.get(3) >> s;
            Shape skip = new Shape(batch, widths[s], h, w); // (B, c_s, h_s, w_s)
            gates.get(s)
                    .initialize(
                            manager, dataType, skip, new Shape(batch, widths[s + 1], h / 2, w / 2));
            upConvs.get(s).initialize(manager, dataType, new Shape(batch, widths[s + 1], h, w));
            decoderA.get(s).initialize(manager, dataType, new Shape(batch, 2L * widths[s], h, w));
            decoderB.get(s).initialize(manager, dataType, skip);
        }
        head.initialize(manager, dataType, new Shape(batch, widths[0], x.get(2), x.get(3)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0]; // (B, 3, H, W)
        checkInput(x);
        int stages = widths.length;
        Shape[] out = new Shape[stages + 1];
        out[0] = new Shape(x.get(0), classes, x.get(2), x.get(3)); // (B, C, H, W)
        for (int s = 0; s < stages; s++) {
            out[1 + s] = new Shape(x.get(0), x.get(2) >> s, x.get(3) >> s); // (B, h_s, w_s)
        }
        return out;
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        BlockSettings.write(os, classes, heads, ffnSize, widths.length);
        BlockSettings.write(os, widths);
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException(
                    "AttentionUNetBlock parameters have version "
                            + loadVersion
                            + ", expected "
                            + VERSION);
        }
        readInputShapes(is);
        // the stage count first, so that other widths of the same length are named one by one below
        BlockSettings.check(
                is,
                "AttentionUNetBlock",
                SETTING_NAMES,
                new int[] {classes, heads, ffnSize, widths.length});
        String[] widthNames = new String[widths.length];
        for (int s = 0; s < widths.length; s++) {
            widthNames[s] = "width" + s;
        }
        BlockSettings.check(is, "AttentionUNetBlock", widthNames, widths);
    }

    /**
     * The settings that rebuild this block with {@link #fromHyperParameters}, for a model
     * directory's model.json.
     */
    public Map<String, Object> hyperParameters() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(CLASSES, classes);
        map.put(WIDTHS, Arrays.stream(widths).boxed().toList());
        map.put(HEADS, heads);
        map.put(FFN_SIZE, ffnSize);
        map.put(DROPOUT, dropout); // a Float: JSON writes 0.1, not 0.10000000149011612
        return map;
    }

    /**
     * Rebuilds a block from {@link #hyperParameters()}, e.g. after a JSON round trip: numbers may
     * be any {@link Number}, integer settings must have integral values; {@code widths}, {@code
     * heads}, {@code ffnSize} and {@code dropout} are optional.
     *
     * @throws IllegalArgumentException for a missing, unknown, non-numeric or invalid setting
     */
    public static AttentionUNetBlock fromHyperParameters(Map<String, ?> map) {
        HyperParameters.requireKnown(map, KEYS, "AttentionUNetBlock");
        Builder builder = builder().setClasses(HyperParameters.integer(map, CLASSES));
        if (map.containsKey(WIDTHS)) {
            builder.optWidths(integers(map, WIDTHS));
        }
        if (map.containsKey(HEADS)) {
            builder.optHeads(HyperParameters.integer(map, HEADS));
        }
        if (map.containsKey(FFN_SIZE)) {
            builder.optFfnSize(HyperParameters.integer(map, FFN_SIZE));
        }
        if (map.containsKey(DROPOUT)) {
            builder.optDropout(HyperParameters.number(map, DROPOUT).floatValue());
        }
        return builder.build();
    }

    private static int[] integers(Map<String, ?> map, String key) {
        Object value = map.get(key);
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException(
                    "hyper-parameter '"
                            + key
                            + "' must be a list of integers, got '"
                            + value
                            + "'");
        }
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object element = list.get(i);
            double d = element instanceof Number n ? n.doubleValue() : Double.NaN;
            if (d != Math.rint(d)
                    || d < Integer.MIN_VALUE
                    || d > Integer.MAX_VALUE) { // NaN fails the first test
                throw new IllegalArgumentException(
                        "hyper-parameter '"
                                + key
                                + "' must be a list of integers, got '"
                                + value
                                + "'");
            }
            out[i] = (int) d;
        }
        return out;
    }

    /**
     * {@code set*} settings are required, {@code opt*} ones optional; {@link #build()} validates
     * them.
     */
    public static final class Builder {
        private int classes;
        private int[] widths = DEFAULT_WIDTHS.stream().mapToInt(Integer::intValue).toArray();
        private int heads = 2;
        private Integer ffnSize;
        private float dropout;

        private Builder() {}

        /** C (required): the classes the logits score (void is not one of them). */
        public Builder setClasses(int classes) {
            this.classes = classes;
            return this;
        }

        /**
         * c_0..c_{S-1}: the widths of the S stages, at least 2; default 16, 32, 64, 128. The last
         * one is the bottleneck's model size D, which must be divisible by 4 (the 2-D positional
         * encoding) and by the heads.
         */
        public Builder optWidths(int... widths) {
            this.widths = widths.clone();
            return this;
        }

        /** Hh: the bottleneck's attention heads; default 2. */
        public Builder optHeads(int heads) {
            this.heads = heads;
            return this;
        }

        /** F: the bottleneck's feed-forward size; default D. */
        public Builder optFfnSize(int ffnSize) {
            this.ffnSize = ffnSize;
            return this;
        }

        /** Dropout in the bottleneck's transformer layer when training, in [0, 1); default 0. */
        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public AttentionUNetBlock build() {
            BlockSettings.requirePositive("classes C", classes);
            if (widths.length < 2) {
                throw new IllegalArgumentException(
                        "an attention U-Net needs at least 2 stage widths, got "
                                + Arrays.toString(widths));
            }
            for (int s = 0; s < widths.length; s++) {
                BlockSettings.requirePositive("width of stage " + s, widths[s]);
            }
            int d = widths[widths.length - 1];
            if (d % 4 != 0) {
                throw new IllegalArgumentException(
                        "the bottleneck width D ("
                                + d
                                + ") must be divisible by 4 for"
                                + " the 2-D positional encoding");
            }
            BlockSettings.requireHeadsDivide(d, heads);
            if (ffnSize != null) {
                BlockSettings.requirePositive("ffn size F", ffnSize);
            }
            BlockSettings.requireRate("dropout", dropout);
            return new AttentionUNetBlock(this);
        }
    }
}
