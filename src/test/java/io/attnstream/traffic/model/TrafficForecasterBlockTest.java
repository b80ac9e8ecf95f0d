package io.attnstream.traffic.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attnstream.inference.DjlEngine;
import io.attnstream.inference.LoadedModel;
import io.attnstream.inference.ModelStore;
import io.attnstream.platform.AttnstreamException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrafficForecasterBlockTest {
    private static final int B = 3;
    private static final int T = 5;
    private static final int N = 6;
    private static final int H = 4;

    @BeforeAll
    static void engine() {
        DjlEngine.pytorch();
    }

    private static TrafficForecasterBlock.Builder small() {
        return TrafficForecasterBlock.builder()
                .setSensors(N)
                .setInputSteps(T)
                .setHorizon(H)
                .optModelSize(8)
                .optHeads(2);
    }

    /** Random inputs that follow the contract: z speeds, 0/1 flags, calendar in range. */
    private static NDList inputs(NDManager manager, int batch, long seed) {
        Random random = new Random(seed);
        float[] speeds = new float[batch * T * N];
        float[] observed = new float[batch * T * N];
        float[] calendar = new float[batch * T * 2];
        for (int i = 0; i < speeds.length; i++) {
            speeds[i] = (float) random.nextGaussian();
            observed[i] = random.nextFloat() < 0.8f ? 1 : 0;
        }
        for (int i = 0; i < batch * T; i++) {
            calendar[2 * i] = random.nextFloat();
            calendar[2 * i + 1] = random.nextInt(7);
        }
        return new NDList(
                manager.create(speeds, new Shape(batch, T, N)),
                manager.create(observed, new Shape(batch, T, N)),
                manager.create(calendar, new Shape(batch, T, 2)));
    }

    private static void initialize(TrafficForecasterBlock block, NDManager manager) {
        Engine.getEngine(DjlEngine.ENGINE_NAME).setRandomSeed(7);
        block.initialize(
                manager,
                DataType.FLOAT32,
                new Shape(1, T, N),
                new Shape(1, T, N),
                new Shape(1, T, 2));
    }

    private static NDList infer(TrafficForecasterBlock block, NDManager manager, NDList inputs) {
        return block.forward(new ParameterStore(manager, false), inputs, false);
    }

    /**
     * Two groups of sensors, {0, 1, 2} and {3, 4, 5}, fully connected inside, with no edge between
     * them.
     */
    private static float[][] twoGroups() {
        float[][] a = new float[N][N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                a[i][j] = i != j && i / 3 == j / 3 ? 1 : 0;
            }
        }
        return a;
    }

    @Test
    void outputsHaveTheContractShapesAndGetOutputShapesAgrees() {
        TrafficForecasterBlock block = small().build();
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu())) {
            initialize(block, manager);
            NDList inputs = inputs(manager, B, 1);
            NDList out = infer(block, manager, inputs);
            assertThat(out.getShapes())
                    .containsExactly(new Shape(B, H, N), new Shape(B, N, T), new Shape(B, N, N));
            assertThat(block.getOutputShapes(inputs.getShapes())).containsExactly(out.getShapes());
            assertThat(out.get(0).getDataType()).isEqualTo(DataType.FLOAT32);
        }
    }

    @Test
    void bothAttentionsHaveFiniteNonNegativeRowsThatSumToOne() {
        TrafficForecasterBlock block = small().optAdjacency(twoGroups()).build();
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu())) {
            initialize(block, manager);
            NDList out = infer(block, manager, inputs(manager, B, 2));
            for (int output = 1; output <= 2; output++) {
                NDArray attention = out.get(output); // (B, N, T) or (B, N, N)
                for (float v : attention.toFloatArray()) {
                    assertThat(v)
                            .as("output %d weight", output)
                            .isFinite()
                            .isGreaterThanOrEqualTo(0f);
                }
                float[] rowSums = attention.sum(new int[] {2}).toFloatArray(); // (B, N)
                assertThat(rowSums).hasSize(B * N);
                for (float s : rowSums) {
                    assertThat(s).as("output %d row sum", output).isCloseTo(1f, within(1e-5f));
                }
            }
        }
    }

    /**
     * Sensors that look alike (same readings, sensor embedding zeroed) score every key alike, so
     * the attention is the bias alone: softmax of log(A_norm + I + 0.01). With two disconnected
     * groups of 3, a sensor gives 1.01/3.06 to each sensor of its own group (itself included) and
     * 0.01/3.06 = 0.3 % to each of the other group.
     */
    @Test
    void sensorsThatLookAlikeAttendToDisconnectedSensorsOnlyThroughTheFloor() {
        TrafficForecasterBlock block = small().optAdjacency(twoGroups()).build();
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu())) {
            initialize(block, manager);
            block.getParameters().stream()
                    .filter(p -> p.getKey().equals("sensorEmbedding"))
                    .findFirst()
                    .orElseThrow()
                    .getValue()
                    .getArray()
                    .muli(0);
            NDList random = inputs(manager, B, 5);
            NDList alike =
                    new NDList(
                            random.get(0)
                                    .get(":, :, :1")
                                    .repeat(2, N), // (B, T, N): sensor 0's readings
                            random.get(1).get(":, :, :1").repeat(2, N),
                            random.get(2));
            float[] weights = infer(block, manager, alike).get(2).toFloatArray(); // (B, N, N)
            for (int b = 0; b < B; b++) {
                for (int i = 0; i < N; i++) {
                    for (int j = 0; j < N; j++) {
                        float expected = (i / 3 == j / 3 ? 1.01f : 0.01f) / 3.06f;
                        assertThat(weights[(b * N + i) * N + j])
                                .as("weight %d->%d", i, j)
                                .isCloseTo(expected, within(1e-5f));
                    }
                }
            }
        }
    }

    /**
     * In general the bias multiplies each unnormalised spatial weight by A_norm + I + 0.01, so the
     * weights with the adjacency equal the unbiased weights of the same block times that factor,
     * renormalised (exactly so for one head: published weights are a mean over heads). Across two
     * disconnected groups, the odds of the other group against the own group therefore shrink by
     * exactly 0.01 / 1.01.
     */
    @Test
    void adjacencyBiasScalesEachSpatialWeightByTheAdjacencyFactor() {
        float[][] adjacency = twoGroups();
        TrafficForecasterBlock block = small().optHeads(1).optAdjacency(adjacency).build();
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu())) {
            initialize(block, manager);
            NDList inputs = inputs(manager, B, 3);
            float[] biased = infer(block, manager, inputs).get(2).toFloatArray(); // (B, N, N)
            block.getAdjacencyBias()
                    .getArray()
                    .muli(0); // the same block with full, unbiased attention
            float[] unbiased = infer(block, manager, inputs).get(2).toFloatArray(); // (B, N, N)

            for (int b = 0; b < B; b++) {
                for (int i = 0; i < N; i++) {
                    double[] scaled = new double[N];
                    double total = 0;
                    for (int j = 0; j < N; j++) {
                        double factor = adjacency[i][j] + (i == j ? 1 : 0) + 0.01;
                        scaled[j] = unbiased[(b * N + i) * N + j] * factor;
                        total += scaled[j];
                    }
                    double other = 0;
                    double unbiasedOther = 0;
                    for (int j = 0; j < N; j++) {
                        float weight = biased[(b * N + i) * N + j];
                        assertThat((double) weight)
                                .as("weight %d->%d", i, j)
                                .isCloseTo(scaled[j] / total, within(1e-5));
                        if (i / 3 != j / 3) {
                            other += weight;
                            unbiasedOther += unbiased[(b * N + i) * N + j];
                        }
                    }
                    // odds(other) = 0.01 / 1.01 x unbiased odds, cross-multiplied so tiny shares
                    // need no division
                    assertThat(other * (1 - unbiasedOther) * 1.01)
                            .as("sensor %d's odds of the other group", i)
                            .isCloseTo(unbiasedOther * (1 - other) * 0.01, within(1e-6));
                }
            }
        }
    }

    @Test
    void withoutAdjacencyTheBiasIsZero() {
        TrafficForecasterBlock block = small().build();
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu())) {
            initialize(block, manager);
            assertThat(block.getAdjacencyBias().getArray().toFloatArray())
                    .hasSize(N * N)
                    .containsOnly(0f);
            assertThat(block.getAdjacencyBias().requiresGradient()).isFalse();
        }
    }

    @Test
    void biasIsTheLogOfTheScaledAdjacencyPlusIdentityPlusOneHundredth() {
        float[][] a = new float[N][N];
        a[0][1] = 4;
        a[1][0] = 2;
        float[] bias = TrafficForecasterBlock.adjacencyBias(a, N);
        assertThat(bias[0 * N + 1]).isCloseTo((float) Math.log(1.01), within(1e-6f));
        assertThat(bias[1 * N + 0]).isCloseTo((float) Math.log(0.51), within(1e-6f));
        assertThat(bias[2 * N + 2]).isCloseTo((float) Math.log(1.01), within(1e-6f));
        assertThat(bias[2 * N + 3]).isCloseTo((float) Math.log(0.01), within(1e-6f));
    }

    @Test
    void savedAndLoadedThroughTheModelStoreGivesIdenticalOutputsAndKeepsTheAdjacency(
            @TempDir Path root) {
        TrafficForecasterBlock block = small().optAdjacency(twoGroups()).build();
        List<String> ids = List.of("a", "b", "c", "d", "e", "f");
        try (Model model = Model.newInstance("traffic");
                NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu())) {
            model.setBlock(block);
            initialize(block, model.getNDManager());
            float[][] before = outputs(block, manager, inputs(manager, B, 4));
            float[] bias = block.getAdjacencyBias().getArray().toFloatArray();
            Path dir =
                    ModelStore.save(
                            model,
                            TrafficModels.spec(
                                    "traffic",
                                    "1",
                                    block,
                                    new WindowEncoder.Normalisation(50, 10),
                                    ids,
                                    300,
                                    true,
                                    105,
                                    Map.of("fingerprint", "x"),
                                    Map.of()),
                            root.resolve("traffic/1"));

            try (LoadedModel loaded = ModelStore.load(dir, Device.cpu())) {
                TrafficForecasterBlock reloaded =
                        (TrafficForecasterBlock) loaded.model().getBlock();
                assertThat(reloaded.getAdjacencyBias().getArray().toFloatArray())
                        .containsExactly(bias);
                assertThat(bias[0]).as("self").isCloseTo((float) Math.log(1.01), within(1e-6f));
                assertThat(bias[1])
                        .as("neighbour")
                        .isCloseTo((float) Math.log(1.01), within(1e-6f));
                assertThat(bias[3])
                        .as("other group")
                        .isCloseTo((float) Math.log(0.01), within(1e-6f));
                float[][] after = outputs(reloaded, manager, inputs(manager, B, 4));
                for (int i = 0; i < 3; i++) {
                    assertThat(after[i]).containsExactly(before[i]);
                }
                assertThat(TrafficPreprocessing.of(loaded.spec()).sensorIds()).isEqualTo(ids);
                assertThat(TrafficPreprocessing.of(loaded.spec()).normalisation())
                        .isEqualTo(new WindowEncoder.Normalisation(50, 10));
                assertThat(TrafficPreprocessing.of(loaded.spec()).stepSeconds()).isEqualTo(300);
                assertThat(TrafficPreprocessing.of(loaded.spec()).inputSteps()).isEqualTo(T);
                assertThat(TrafficPreprocessing.of(loaded.spec()).horizon()).isEqualTo(H);
                assertThat(TrafficPreprocessing.of(loaded.spec()).zeroIsMissing()).isTrue();
                assertThat(TrafficPreprocessing.of(loaded.spec()).maxSpeedMph()).isEqualTo(105.0);
            }
        }
    }

    private static float[][] outputs(
            TrafficForecasterBlock block, NDManager manager, NDList inputs) {
        NDList out = infer(block, manager, inputs);
        return new float[][] {
            out.get(0).toFloatArray(), out.get(1).toFloatArray(), out.get(2).toFloatArray()
        };
    }

    @Test
    void parametersOfABlockWithOtherHeadsDoNotLoad(@TempDir Path root) throws Exception {
        TrafficForecasterBlock block = small().build();
        try (Model model = Model.newInstance("traffic")) {
            model.setBlock(block);
            initialize(block, model.getNDManager());
            Path dir =
                    ModelStore.save(
                            model,
                            TrafficModels.spec(
                                    "traffic",
                                    "1",
                                    block,
                                    new WindowEncoder.Normalisation(50, 10),
                                    List.of("a", "b", "c", "d", "e", "f"),
                                    300,
                                    false,
                                    100,
                                    Map.of(),
                                    Map.of()),
                            root.resolve("m"));
            Path json = dir.resolve(ModelStore.SPEC_FILE);
            ObjectMapper mapper = new ObjectMapper();
            @SuppressWarnings("unchecked")
            Map<String, Object> spec = mapper.readValue(json.toFile(), Map.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> hyper = (Map<String, Object>) spec.get("hyper_parameters");
            hyper.put(TrafficForecasterBlock.HEADS, 4);
            mapper.writeValue(json.toFile(), spec);
            assertThatThrownBy(() -> ModelStore.load(dir, Device.cpu()))
                    .isInstanceOf(AttnstreamException.class)
                    .hasMessageContaining("heads saved 2, built 4");
        }
    }

    /**
     * DJL's optimizer updates only parameters that require a gradient; the road graph must stay as
     * built.
     */
    @Test
    void trainingStepsChangeTheWeightsButNotTheAdjacencyBias() {
        TrafficForecasterBlock block = small().optAdjacency(twoGroups()).build();
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(Loss.l1Loss())
                        .optOptimizer(
                                Optimizer.adam()
                                        .optLearningRateTracker(Tracker.fixed(0.05f))
                                        .build())
                        .optDevices(new Device[] {Device.cpu()});
        try (Model model = Model.newInstance("traffic")) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(B, T, N), new Shape(B, T, N), new Shape(B, T, 2));
                float[] bias = block.getAdjacencyBias().getArray().toFloatArray();
                float[] head = headWeight(block).toFloatArray();
                for (int step = 0; step < 5; step++) {
                    try (NDManager stepManager = trainer.getManager().newSubManager()) {
                        NDList inputs = inputs(stepManager, B, 10 + step);
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDArray forecast = trainer.forward(inputs).get(0); // (B, H, N)
                            NDArray loss =
                                    forecast.sub(stepManager.ones(forecast.getShape()))
                                            .abs()
                                            .mean();
                            collector.backward(loss);
                        }
                        trainer.step();
                    }
                }
                assertThat(block.getAdjacencyBias().getArray().toFloatArray())
                        .containsExactly(bias);
                assertThat(headWeight(block).toFloatArray()).isNotEqualTo(head);
            }
        }
    }

    /** The head's weight; DJL prefixes child blocks' parameter names with their position. */
    private static NDArray headWeight(TrafficForecasterBlock block) {
        return block.getParameters().stream()
                .filter(p -> p.getKey().endsWith("head_weight"))
                .findFirst()
                .orElseThrow()
                .getValue()
                .getArray();
    }

    @Test
    void hyperParametersRoundTripThroughJsonNumbers() throws Exception {
        TrafficForecasterBlock block =
                small().optTemporalLayers(2).optSpatialLayers(3).optDropout(0.2f).build();
        ObjectMapper mapper = new ObjectMapper();
        @SuppressWarnings("unchecked")
        Map<String, Object> json =
                mapper.readValue(mapper.writeValueAsString(block.hyperParameters()), Map.class);
        TrafficForecasterBlock rebuilt = TrafficForecasterBlock.fromHyperParameters(json);
        assertThat(rebuilt.hyperParameters()).isEqualTo(block.hyperParameters());
        assertThat(rebuilt.getSpatialLayers()).isEqualTo(3);
        assertThat(rebuilt.getDropout()).isEqualTo(0.2f);
        assertThatThrownBy(
                        () ->
                                TrafficForecasterBlock.fromHyperParameters(
                                        Map.of("sensors", 3, "colour", 1)))
                .hasMessageContaining("unknown TrafficForecasterBlock hyper-parameter(s) [colour]");
        assertThatThrownBy(() -> TrafficForecasterBlock.fromHyperParameters(Map.of("sensors", 2.5)))
                .hasMessageContaining("'sensors' must be an integer");
    }

    @Test
    void builderRejectsInvalidSettings() {
        assertThatThrownBy(() -> small().optModelSize(10).optHeads(4).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model size D (10) must be divisible by heads A (4)");
        assertThatThrownBy(() -> TrafficForecasterBlock.builder().build())
                .hasMessage("sensors N must be positive, got 0");
        assertThatThrownBy(() -> small().optAdjacency(new float[N - 1][N]).build())
                .hasMessageContaining("adjacency must be 6 x 6");
        assertThatThrownBy(() -> small().optAdjacency(new float[N][N - 1]).build())
                .hasMessage("adjacency row 0 must have 6 values, got 5");
        float[][] negative = new float[N][N];
        negative[2][3] = -1;
        assertThatThrownBy(() -> small().optAdjacency(negative).build())
                .hasMessage(
                        "adjacency weights must be finite and non-negative, got -1.0 at row 2,"
                                + " column 3");
        assertThatThrownBy(() -> small().optDropout(1f).build())
                .hasMessageContaining("dropout must be in [0, 1)");
    }

    @Test
    void inputsOfTheWrongShapeAreRejected() {
        TrafficForecasterBlock block = small().build();
        assertThatThrownBy(
                        () ->
                                block.getOutputShapes(
                                        new Shape[] {
                                            new Shape(1, T, N + 1),
                                            new Shape(1, T, N + 1),
                                            new Shape(1, T, 2)
                                        }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("speeds and observed of shape (B, 5, 6)");
    }
}
