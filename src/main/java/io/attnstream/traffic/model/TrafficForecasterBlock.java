package io.attnstream.traffic.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
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
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import io.attnstream.nn.HyperParameters;
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
 * Spatio-temporal attention forecaster for a road network: every sensor's reading at every input
 * step is a token; temporal self-attention runs along each sensor's own history, then spatial
 * attention mixes the sensors at the last step, with the road graph as an additive attention bias;
 * a linear head predicts the change from the last observed speed for each of the next H steps.
 *
 * <p>Dimensions: B batch, T input steps, N sensors, D model size, A attention heads, H horizon
 * (forecast steps).
 *
 * <pre>
 *   token[b,n,t] = Linear(z, observed) + Linear(sin, cos of 2 pi f and 4 pi f)
 *                  + Dow[day] + Step[t] + Sensor[n]                                             (B, N, T, D)
 *   x            = TransformerEncoderLayer over each sensor's T tokens   temporalLayers times    (B*N, T, D)
 *   s            = x at the last step                                                           (B, N, D)
 *   s            = TransformerEncoderLayer over the N sensors, bias log(A_norm + I + 0.01)
 *                  spatialLayers times                                                          (B, N, D)
 *   forecast     = z[:, T-1, :] + Linear(LayerNorm(s))                                          (B, H, N)
 * </pre>
 *
 * <p>Input (the fixed contract of {@link WindowEncoder}): {@code NDList(speeds (B, T, N), observed
 * (B, T, N), calendar (B, T, 2))}, float32: normalised speeds with missing values already imputed,
 * 1/0 observed flags, and [time of day in [0, 1), day of week 0..6 with Monday = 0] per step.
 * Output: {@code NDList(forecast (B, H, N), temporal_attention (B, N, T), spatial_attention (B, N,
 * N))}: normalised forecasts; the last temporal layer's weights of each sensor's last step over its
 * T steps, and the last spatial layer's weights of each sensor over all sensors, both averaged over
 * heads (rows sum to 1).
 *
 * <p>The adjacency lives in the model as the non-trainable parameter {@code adjacencyBias} (N, N),
 * so it is saved with the other parameters and covered by the model store's checksum; the optimizer
 * skips it because it does not require a gradient. A block rebuilt by {@link #fromHyperParameters}
 * starts with a zero bias and receives the saved one when its parameters are loaded.
 */
public final class TrafficForecasterBlock extends AbstractBlock {
    private static final byte VERSION = 1;
    private static final String[] SETTING_NAMES = {
        "sensors", "inputSteps", "horizon", "modelSize", "heads", "temporalLayers", "spatialLayers"
    };
    private static final int DAYS_PER_WEEK = 7;

    /**
     * sin/cos of the daily cycle and of its second harmonic (rush hours are narrower than a day).
     */
    private static final int TIME_FEATURES = 4;

    /** Added to A_norm + I before the log: a non-neighbour keeps a small weight instead of -inf. */
    private static final float ADJACENCY_FLOOR = 0.01f;

    /** Keys of {@link #hyperParameters()}. */
    public static final String SENSORS = "sensors";

    public static final String INPUT_STEPS = "inputSteps";
    public static final String HORIZON = "horizon";
    public static final String MODEL_SIZE = "modelSize";
    public static final String HEADS = "heads";
    public static final String TEMPORAL_LAYERS = "temporalLayers";
    public static final String SPATIAL_LAYERS = "spatialLayers";
    public static final String DROPOUT = "dropout";
    private static final Set<String> KEYS =
            Set.of(
                    SENSORS,
                    INPUT_STEPS,
                    HORIZON,
                    MODEL_SIZE,
                    HEADS,
                    TEMPORAL_LAYERS,
                    SPATIAL_LAYERS,
                    DROPOUT);

    private final int sensors;
    private final int inputSteps;
    private final int horizon;
    private final int modelSize;
    private final int heads;
    private final int temporalLayers;
    private final int spatialLayers;
    private final float dropout;

    private final Linear readingProjection;
    private final Linear timeOfDayProjection;
    private final Parameter dayOfWeekEmbedding;
    private final Parameter stepEmbedding;
    private final Parameter sensorEmbedding;
    private final Parameter adjacencyBias;
    private final List<TransformerEncoderLayer> temporal = new ArrayList<>();
    private final List<TransformerEncoderLayer> spatial = new ArrayList<>();
    private final LayerNorm finalNorm;
    private final Linear head;

    private TrafficForecasterBlock(Builder builder) {
        super(VERSION);
        sensors = builder.sensors;
        inputSteps = builder.inputSteps;
        horizon = builder.horizon;
        modelSize = builder.modelSize;
        heads = builder.heads;
        temporalLayers = builder.temporalLayers;
        spatialLayers = builder.spatialLayers;
        dropout = builder.dropout;

        readingProjection =
                addChildBlock("readingProjection", Linear.builder().setUnits(modelSize).build());
        timeOfDayProjection =
                addChildBlock("timeOfDayProjection", Linear.builder().setUnits(modelSize).build());
        dayOfWeekEmbedding = addParameter(embedding("dayOfWeekEmbedding", DAYS_PER_WEEK)); // (7, D)
        stepEmbedding = addParameter(embedding("stepEmbedding", inputSteps)); // (T, D)
        sensorEmbedding = addParameter(embedding("sensorEmbedding", sensors)); // (N, D)
        float[] bias = adjacencyBias(builder.adjacency, sensors); // N*N
        adjacencyBias =
                addParameter(
                        Parameter.builder()
                                .setName("adjacencyBias")
                                .setType(
                                        Parameter.Type
                                                .OTHER) // no trainer initializer touches OTHER
                                // parameters
                                .optShape(new Shape(sensors, sensors)) // (N, N)
                                .optInitializer(new ConstantArray(bias))
                                // structure, not a weight: Trainer.step() updates only parameters
                                // that require a gradient
                                .optRequiresGrad(false)
                                .build());
        for (int i = 0; i < temporalLayers; i++) {
            temporal.add(addChildBlock("temporal" + i, encoderLayer()));
        }
        for (int i = 0; i < spatialLayers; i++) {
            spatial.add(addChildBlock("spatial" + i, encoderLayer()));
        }
        // pre-LN layers leave the residual stream unnormalised: normalise once before the head
        finalNorm = addChildBlock("finalNorm", LayerNorm.builder().axis(2).build());
        head = addChildBlock("head", Linear.builder().setUnits(horizon).build());
    }

    private Parameter embedding(String name, int rows) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(rows, modelSize)) // (rows, D)
                .build();
    }

    private TransformerEncoderLayer encoderLayer() {
        return TransformerEncoderLayer.builder()
                .setModelSize(modelSize)
                .setHeads(heads)
                .optDropout(dropout)
                .optAttentionDropout(dropout)
                .build();
    }

    /**
     * log(A_norm + I + 0.01) with A_norm = A / max(A), or all zeros (full attention) without an
     * adjacency or when it has no edge at all.
     *
     * @return row-major (N, N)
     */
    public static float[] adjacencyBias(float[][] adjacency, int sensors) {
        float[] bias = new float[sensors * sensors];
        if (adjacency == null) {
            return bias;
        }
        float max = 0;
        for (float[] row : adjacency) {
            for (float w : row) {
                max = Math.max(max, w);
            }
        }
        for (int i = 0; i < sensors; i++) {
            for (int j = 0; j < sensors; j++) {
                float normalised = max > 0 ? adjacency[i][j] / max : 0;
                bias[i * sensors + j] =
                        (float) Math.log(normalised + (i == j ? 1 : 0) + ADJACENCY_FLOOR);
            }
        }
        return bias;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** N. */
    public int getSensors() {
        return sensors;
    }

    /** T. */
    public int getInputSteps() {
        return inputSteps;
    }

    /** H. */
    public int getHorizon() {
        return horizon;
    }

    /** D. */
    public int getModelSize() {
        return modelSize;
    }

    /** A. */
    public int getHeads() {
        return heads;
    }

    public int getTemporalLayers() {
        return temporalLayers;
    }

    public int getSpatialLayers() {
        return spatialLayers;
    }

    public float getDropout() {
        return dropout;
    }

    /**
     * The spatial attention bias (N, N) held as a non-trainable parameter; saved and loaded with
     * the others.
     */
    public Parameter getAdjacencyBias() {
        return adjacencyBias;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        checkInputs(inputs.getShapes());
        NDArray speeds = inputs.get(0); // (B, T, N)
        NDArray observed = inputs.get(1); // (B, T, N)
        NDArray calendar = inputs.get(2); // (B, T, 2)
        long batch = speeds.getShape().get(0);

        NDArray x = tokens(ps, speeds, observed, calendar, training); // (B, N, T, D)
        if (training && dropout > 0) {
            x = Dropout.dropout(x, dropout, true).singletonOrThrow(); // (B, N, T, D)
        }

        // Temporal attention along each sensor's own T steps. No mask: every step is a token
        // (WindowEncoder imputes missing readings and flags them observed = 0 inside the token), so
        // there is no padding to hide, and the flag lets the model learn how much to trust an
        // imputed step.
        x = x.reshape(batch * sensors, inputSteps, modelSize); // (B*N, T, D)
        NDArray temporalWeights = null;
        for (TransformerEncoderLayer layer : temporal) {
            NDList out = layer.forward(ps, new NDList(x), training);
            x = out.get(0); // (B*N, T, D)
            temporalWeights = out.get(1); // (B*N, A, T, T)
        }
        NDArray temporalAttention =
                temporalWeights
                        .get(":, :, -1, :") // (B*N, A, T): the last step's query
                        .mean(new int[] {1}) // (B*N, T)
                        .reshape(batch, sensors, inputSteps); // (B, N, T)

        // Spatial attention on the last step only: the head reads nothing but the last step's
        // tokens, so mixing sensors at the earlier T-1 steps would only matter to a later temporal
        // layer, and it would cost T times the compute and memory (for Los-loop, B = 32, N = 207:
        // 33 M attention weights per layer instead of 2.7 M).
        NDArray s = x.get(":, -1, :").reshape(batch, sensors, modelSize); // (B, N, D)
        NDArray bias =
                ps.getValue(
                        adjacencyBias,
                        speeds.getDevice(),
                        training); // (N, N), broadcasts to (B, A, N, N)
        NDArray spatialWeights = null;
        for (TransformerEncoderLayer layer : spatial) {
            NDList out = layer.forward(ps, new NDList(s, bias), training);
            s = out.get(0); // (B, N, D)
            spatialWeights = out.get(1); // (B, A, N, N)
        }
        NDArray spatialAttention = spatialWeights.mean(new int[] {1}); // (B, N, N)

        s = finalNorm.forward(ps, new NDList(s), training).singletonOrThrow(); // (B, N, D)
        NDArray change =
                head.forward(ps, new NDList(s), training)
                        .singletonOrThrow() // (B, N, H)
                        .transpose(0, 2, 1); // (B, H, N)
        // Residual on persistence: the network learns the change from the last observed (or
        // imputed) speed, which is what made training stable on Los-loop.
        NDArray last = speeds.get(":, -1, :").expandDims(1); // (B, 1, N)
        NDArray forecast = change.add(last); // (B, H, N)
        return new NDList(forecast, temporalAttention, spatialAttention);
    }

    /**
     * The per-sensor, per-step tokens; every op starts from an input array so results live in its
     * manager.
     */
    private NDArray tokens(
            ParameterStore ps,
            NDArray speeds,
            NDArray observed,
            NDArray calendar,
            boolean training) {
        NDManager manager = speeds.getManager();
        NDArray reading =
                NDArrays.stack(new NDList(speeds, observed), -1) // (B, T, N, 2)
                        .transpose(0, 2, 1, 3); // (B, N, T, 2)
        NDArray x =
                readingProjection
                        .forward(ps, new NDList(reading), training)
                        .singletonOrThrow(); // (B, N, T, D)

        NDArray angle = calendar.get(":, :, 0").mul((float) (2 * Math.PI)); // (B, T)
        NDArray angle2 = angle.mul(2f); // (B, T)
        NDArray cycle =
                NDArrays.stack(
                        new NDList(angle.sin(), angle.cos(), angle2.sin(), angle2.cos()),
                        -1); // (B, T, 4)
        NDArray timeOfDay =
                timeOfDayProjection
                        .forward(ps, new NDList(cycle), training)
                        .singletonOrThrow(); // (B, T, D)

        NDArray day =
                calendar.get(":, :, 1")
                        .round()
                        .clip(0, DAYS_PER_WEEK - 1)
                        .toType(DataType.INT64, false); // (B, T)
        NDArray dayOfWeek =
                Embedding.embedding(
                                day,
                                ps.getValue(dayOfWeekEmbedding, speeds.getDevice(), training),
                                SparseFormat.DENSE)
                        .singletonOrThrow(); // (B, T, D)

        NDArray sensorIds =
                manager.arange(0, sensors, 1, DataType.INT64).reshape(sensors, 1); // (N, 1)
        NDArray sensor =
                Embedding.embedding(
                                sensorIds,
                                ps.getValue(sensorEmbedding, speeds.getDevice(), training),
                                SparseFormat.DENSE)
                        .singletonOrThrow(); // (N, 1, D)
        NDArray step = ps.getValue(stepEmbedding, speeds.getDevice(), training); // (T, D)

        return x.add(timeOfDay.add(dayOfWeek).expandDims(1)) // (B, N, T, D) + (B, 1, T, D)
                .add(step) // + (T, D)
                .add(sensor); // + (N, 1, D) -> (B, N, T, D)
    }

    private void checkInputs(Shape[] shapes) {
        if (shapes.length != 3) {
            throw new IllegalArgumentException(
                    "TrafficForecasterBlock expects 3 inputs (speeds, observed, calendar),"
                            + " got "
                            + shapes.length);
        }
        Shape readings = new Shape(shapes[0].get(0), inputSteps, sensors);
        if (!shapes[0].equals(readings)
                || !shapes[1].equals(readings)
                || !shapes[2].equals(new Shape(shapes[0].get(0), inputSteps, 2))) {
            throw new IllegalArgumentException(
                    "TrafficForecasterBlock expects speeds and observed of shape (B, "
                            + inputSteps
                            + ", "
                            + sensors
                            + ") and calendar (B, "
                            + inputSteps
                            + ", 2), got "
                            + shapes[0]
                            + ", "
                            + shapes[1]
                            + ", "
                            + shapes[2]);
        }
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        checkInputs(inputShapes);
        super.beforeInitialize(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        readingProjection.initialize(
                manager, dataType, new Shape(batch, sensors, inputSteps, 2)); // (B, N, T, 2)
        timeOfDayProjection.initialize(
                manager, dataType, new Shape(batch, inputSteps, TIME_FEATURES)); // (B, T, 4)
        Shape perSensor = new Shape(batch * sensors, inputSteps, modelSize); // (B*N, T, D)
        for (TransformerEncoderLayer layer : temporal) {
            layer.initialize(manager, dataType, perSensor);
        }
        Shape lastStep = new Shape(batch, sensors, modelSize); // (B, N, D)
        for (TransformerEncoderLayer layer : spatial) {
            layer.initialize(manager, dataType, lastStep, new Shape(sensors, sensors));
        }
        finalNorm.initialize(manager, dataType, lastStep);
        head.initialize(manager, dataType, lastStep);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        checkInputs(inputShapes);
        long batch = inputShapes[0].get(0);
        return new Shape[] {
            new Shape(batch, horizon, sensors), // forecast (B, H, N)
            new Shape(batch, sensors, inputSteps), // temporal_attention (B, N, T)
            new Shape(batch, sensors, sensors) // spatial_attention (B, N, N)
        };
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        int[] values = settings();
        os.writeInt(values.length);
        for (int value : values) {
            os.writeInt(value);
        }
    }

    /**
     * Checks the saved settings against this block's: DJL's {@code Parameter.load} takes whatever
     * array the file holds, so parameters of another network (other N, or other heads, which
     * changes no shape) would otherwise load and predict nonsense.
     */
    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException(
                    "TrafficForecasterBlock parameters have version "
                            + loadVersion
                            + ", expected "
                            + VERSION);
        }
        readInputShapes(is);
        int[] expected = settings();
        int count = is.readInt();
        if (count != expected.length) {
            throw new MalformedModelException(
                    "TrafficForecasterBlock parameters hold "
                            + count
                            + " settings, expected "
                            + expected.length
                            + ": not parameters of this block");
        }
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int saved = is.readInt();
            if (saved != expected[i]) {
                mismatches.add(SETTING_NAMES[i] + " saved " + saved + ", built " + expected[i]);
            }
        }
        if (!mismatches.isEmpty()) {
            throw new MalformedModelException(
                    "TrafficForecasterBlock parameters do not match the block's settings: "
                            + String.join("; ", mismatches));
        }
    }

    private int[] settings() {
        return new int[] {
            sensors, inputSteps, horizon, modelSize, heads, temporalLayers, spatialLayers
        };
    }

    /**
     * The settings that rebuild this block with {@link #fromHyperParameters}, for a model
     * directory's model.json. The adjacency is not among them: it is a parameter.
     */
    public Map<String, Object> hyperParameters() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(SENSORS, sensors);
        map.put(INPUT_STEPS, inputSteps);
        map.put(HORIZON, horizon);
        map.put(MODEL_SIZE, modelSize);
        map.put(HEADS, heads);
        map.put(TEMPORAL_LAYERS, temporalLayers);
        map.put(SPATIAL_LAYERS, spatialLayers);
        map.put(DROPOUT, dropout); // a Float: JSON writes 0.1, not 0.10000000149011612
        return map;
    }

    /**
     * Rebuilds a block from {@link #hyperParameters()}, e.g. after a JSON round trip: numbers may
     * be any {@link Number}, integer settings must have integral values; all but {@code sensors}
     * are optional (builder defaults). Its adjacency bias is zero until the saved parameters are
     * loaded into it.
     *
     * @throws IllegalArgumentException for a missing, unknown, non-numeric or invalid setting
     */
    public static TrafficForecasterBlock fromHyperParameters(Map<String, ?> map) {
        HyperParameters.requireKnown(map, KEYS, "TrafficForecasterBlock");
        Builder builder = builder().setSensors(HyperParameters.integer(map, SENSORS));
        if (map.get(INPUT_STEPS) != null) {
            builder.setInputSteps(HyperParameters.integer(map, INPUT_STEPS));
        }
        if (map.get(HORIZON) != null) {
            builder.setHorizon(HyperParameters.integer(map, HORIZON));
        }
        if (map.get(MODEL_SIZE) != null) {
            builder.optModelSize(HyperParameters.integer(map, MODEL_SIZE));
        }
        if (map.get(HEADS) != null) {
            builder.optHeads(HyperParameters.integer(map, HEADS));
        }
        if (map.get(TEMPORAL_LAYERS) != null) {
            builder.optTemporalLayers(HyperParameters.integer(map, TEMPORAL_LAYERS));
        }
        if (map.get(SPATIAL_LAYERS) != null) {
            builder.optSpatialLayers(HyperParameters.integer(map, SPATIAL_LAYERS));
        }
        if (map.get(DROPOUT) != null) {
            builder.optDropout(HyperParameters.number(map, DROPOUT).floatValue());
        }
        return builder.build();
    }

    /**
     * Initialises a parameter with fixed values (the adjacency bias), whatever the trainer's
     * initializers.
     */
    private record ConstantArray(float[] values) implements Initializer {
        @Override
        public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
            return manager.create(values, shape).toType(dataType, false);
        }
    }

    /**
     * {@code set*} settings are required (T and H have the published protocol's default), {@code
     * opt*} ones optional; {@link #build()} validates them.
     */
    public static final class Builder {
        private int sensors;
        private int inputSteps = 12;
        private int horizon = 12;
        private int modelSize = 32;
        private int heads = 2;
        private int temporalLayers = 1;
        private int spatialLayers = 1;
        private float dropout = 0.1f;
        private float[][] adjacency;

        private Builder() {}

        /** N (required): the sensors, in the column order of the speed matrix. */
        public Builder setSensors(int sensors) {
            this.sensors = sensors;
            return this;
        }

        /** T: input steps; default 12 (one hour of 5-minute steps, the published protocol). */
        public Builder setInputSteps(int inputSteps) {
            this.inputSteps = inputSteps;
            return this;
        }

        /** H: forecast steps; default 12. */
        public Builder setHorizon(int horizon) {
            this.horizon = horizon;
            return this;
        }

        /** D; default 32 (the size measured on Los-loop). */
        public Builder optModelSize(int modelSize) {
            this.modelSize = modelSize;
            return this;
        }

        /** A; default 2; must divide D. */
        public Builder optHeads(int heads) {
            this.heads = heads;
            return this;
        }

        /** Temporal attention layers; default 1. */
        public Builder optTemporalLayers(int temporalLayers) {
            this.temporalLayers = temporalLayers;
            return this;
        }

        /** Spatial attention layers; default 1. */
        public Builder optSpatialLayers(int spatialLayers) {
            this.spatialLayers = spatialLayers;
            return this;
        }

        /**
         * Dropout when training, in [0, 1), on the tokens, the attention weights and inside each
         * layer; default 0.1 (the trainer's default is 0: see {@code
         * train.TrafficTrainingConfig.Builder}).
         */
        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        /**
         * The road graph: N x N non-negative weights (row i, column j: how strongly sensor j
         * relates to sensor i), in the column order of the speed matrix; it becomes the spatial
         * bias log(A / max(A) + I + 0.01). Without one, spatial attention is unbiased.
         */
        public Builder optAdjacency(float[][] adjacency) {
            this.adjacency = adjacency;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public TrafficForecasterBlock build() {
            requirePositive("sensors N", sensors);
            requirePositive("input steps T", inputSteps);
            requirePositive("horizon H", horizon);
            requirePositive("model size D", modelSize);
            requirePositive("heads A", heads);
            if (modelSize % heads != 0) {
                throw new IllegalArgumentException(
                        "model size D ("
                                + modelSize
                                + ") must be divisible by heads A ("
                                + heads
                                + ")");
            }
            requirePositive("temporal layers", temporalLayers);
            requirePositive("spatial layers", spatialLayers);
            if (!(dropout >= 0 && dropout < 1)) { // also rejects NaN
                throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
            }
            if (adjacency != null) {
                checkAdjacency();
            }
            return new TrafficForecasterBlock(this);
        }

        private void checkAdjacency() {
            if (adjacency.length != sensors) {
                throw new IllegalArgumentException(
                        "adjacency must be "
                                + sensors
                                + " x "
                                + sensors
                                + " (one row per"
                                + " sensor), got "
                                + adjacency.length
                                + " rows");
            }
            for (int i = 0; i < sensors; i++) {
                if (adjacency[i] == null || adjacency[i].length != sensors) {
                    throw new IllegalArgumentException(
                            "adjacency row "
                                    + i
                                    + " must have "
                                    + sensors
                                    + " values, got "
                                    + (adjacency[i] == null ? 0 : adjacency[i].length));
                }
                for (int j = 0; j < sensors; j++) {
                    float w = adjacency[i][j];
                    if (!(w >= 0) || Float.isInfinite(w)) {
                        throw new IllegalArgumentException(
                                "adjacency weights must be finite and non-negative, got "
                                        + w
                                        + " at row "
                                        + i
                                        + ", column "
                                        + j);
                    }
                }
            }
        }

        private static void requirePositive(String name, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
        }
    }
}
