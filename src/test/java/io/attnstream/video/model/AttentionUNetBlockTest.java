package io.attnstream.video.model;

import static io.attnstream.nn.NnFixtures.allFinite;
import static io.attnstream.nn.NnFixtures.infer;
import static io.attnstream.nn.NnFixtures.parameterCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attnstream.inference.DjlEngine;
import io.attnstream.nn.NnFixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttentionUNetBlockTest {
    private static final int C = 5;
    private static final int INIT_SEED = 11;

    /** A small U-Net (the default widths work the same, only slower): 4 stages, D = 16, 2 heads. */
    private static AttentionUNetBlock.Builder small() {
        return AttentionUNetBlock.builder().setClasses(C).optWidths(4, 8, 12, 16);
    }

    /**
     * Seeded initial weights: unseeded, they were whatever the engine's one generator held after
     * the tests that happened to run before (in this class, the last {@link #images} of the
     * previous method in JUnit's order).
     */
    private static AttentionUNetBlock initialized(
            Model model, AttentionUNetBlock block, int height, int width) {
        model.setBlock(block);
        Engine.getEngine(DjlEngine.ENGINE_NAME).setRandomSeed(INIT_SEED);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(2, 3, height, width));
        return block;
    }

    private static NDArray images(NDManager manager, int batch, int height, int width, long seed) {
        Engine.getEngine(DjlEngine.ENGINE_NAME).setRandomSeed((int) seed);
        return manager.randomNormal(new Shape(batch, 3, height, width));
    }

    @Test
    void outputsAreLogitsThenOneAttentionMapPerScaleFinestFirstWithTheHeatmapLast() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("unet")) {
            AttentionUNetBlock block = initialized(model, small().build(), 32, 48);

            NDList out = infer(block, manager, images(manager, 2, 32, 48, 1));

            List<Shape> expected =
                    List.of(
                            new Shape(2, C, 32, 48),
                            new Shape(2, 32, 48),
                            new Shape(2, 16, 24),
                            new Shape(2, 8, 12),
                            new Shape(2, 4, 6));
            assertThat(out.getShapes()).containsExactlyElementsOf(expected);
            assertThat(block.getOutputShapes(new Shape[] {new Shape(2, 3, 32, 48)}))
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void gatesAndHeatmapAreFiniteAndInTheUnitIntervalAndTheHeatmapPeaksAtOne() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("unet")) {
            AttentionUNetBlock block = initialized(model, small().build(), 32, 48);

            NDList out = infer(block, manager, images(manager, 2, 32, 48, 2).mul(3f));

            assertThat(allFinite(out.get(0).toFloatArray())).as("logits finite").isTrue();
            for (int i = 1; i < out.size(); i++) {
                float[] map = out.get(i).toFloatArray();
                assertThat(allFinite(map)).as("map %d finite", i).isTrue();
                assertThat(out.get(i).min().getFloat())
                        .as("map %d min", i)
                        .isGreaterThanOrEqualTo(0f);
                assertThat(out.get(i).max().getFloat()).as("map %d max", i).isLessThanOrEqualTo(1f);
            }
            NDArray heatmap = out.get(out.size() - 1); // (B, 4, 6)
            assertThat(heatmap.max(new int[] {2}).max(new int[] {1}).toFloatArray())
                    .containsExactly(new float[] {1f, 1f}, within(1e-6f));
            assertThat(heatmap.min().getFloat())
                    .as("every pixel receives some attention")
                    .isGreaterThan(0f);
        }
    }

    @Test
    void oneBlockTakesAnyInputSizeDivisibleByEight() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("unet")) {
            AttentionUNetBlock block = initialized(model, small().build(), 32, 48);

            for (int[] size : new int[][] {{8, 8}, {24, 40}, {64, 16}, {176, 240}}) {
                NDList out = infer(block, manager, images(manager, 1, size[0], size[1], 3));

                assertThat(out.get(0).getShape()).isEqualTo(new Shape(1, C, size[0], size[1]));
                assertThat(out.get(4).getShape()).isEqualTo(new Shape(1, size[0] / 8, size[1] / 8));
                assertThat(allFinite(out.get(0).toFloatArray())).isTrue();
            }
        }
    }

    @Test
    void aSizeNotDivisibleByTwoToTheStagesMinusOneIsAClearError() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("unet")) {
            AttentionUNetBlock block = initialized(model, small().build(), 32, 48);

            assertThatThrownBy(
                            () -> infer(block, manager, manager.zeros(new Shape(1, 3, 180, 240))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(
                            "AttentionUNetBlock with 4 stages needs H and W divisible by"
                                + " 2^(stages-1) = 8, got H x W = 180 x 240 (resize the frames to"
                                + " e.g. 184 x 240)");
            assertThatThrownBy(() -> infer(block, manager, manager.zeros(new Shape(1, 1, 32, 32))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(
                            "AttentionUNetBlock expects images of shape (B, 3, H, W), got (1, 1,"
                                    + " 32, 32)");
            assertThatThrownBy(
                            () ->
                                    small().optWidths(4, 8, 12, 16)
                                            .build()
                                            .getOutputShapes(new Shape[] {new Shape(1, 3, 20, 16)}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("divisible by");
        }
    }

    @Test
    void aGradientReachesEveryTrainableParameter() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("unet")) {
            AttentionUNetBlock block = initialized(model, small().build(), 16, 24);

            // seeded, like the weights: with both fixed the gradients are the same in every run,
            // under load too
            NDArray x = images(manager, 2, 16, 24, 4);
            try (GradientCollector collector =
                    Engine.getEngine(DjlEngine.ENGINE_NAME).newGradientCollector()) {
                NDList out = NnFixtures.train(block, manager, x);
                NDArray weights =
                        manager.randomUniform(0f, 1f, out.get(0).getShape()); // (B, C, H, W)
                collector.backward(out.get(0).logSoftmax(1).mul(weights).sum());
            }

            List<String> without = new ArrayList<>();
            int trainable = 0;
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (!p.getValue().requiresGradient()
                        || p.getKey().endsWith("attention_02key_bias")) {
                    // BatchNorm's running statistics are not learnt; the key bias adds the same
                    // amount to every score of a query, which softmax ignores, so its gradient is 0
                    // up to rounding (~1e-5)
                    continue;
                }
                trainable++;
                NDArray gradient = p.getValue().getArray().getGradient();
                float[] g = gradient.toFloatArray();
                if (!allFinite(g) || gradient.abs().sum().getFloat() == 0f) {
                    without.add(p.getKey());
                }
            }
            assertThat(without).as("parameters without a finite non-zero gradient").isEmpty();
            assertThat(trainable).as("trainable parameters checked").isGreaterThan(40);
        }
    }

    @Test
    void parameterCountIsConvolutionsGatesBottleneckAndHead() {
        int[] c = {16, 32, 64, 128};
        try (Model model = Model.newInstance("unet")) {
            AttentionUNetBlock block =
                    initialized(model, AttentionUNetBlock.builder().setClasses(11).build(), 16, 16);

            long expected = 0;
            for (int s = 0; s < 4; s++) {
                expected += conv(s == 0 ? 3 : c[s - 1], c[s]) + conv(c[s], c[s]); // encoder
            }
            long d = 128;
            expected +=
                    2 * (2 * d) + 4 * (d * d + d) + (d * d + d) + (d * d + d); // transformer, F = D
            for (int s = 0; s < 3; s++) {
                long f = c[s] / 2;
                expected +=
                        4L * c[s] * f + (c[s + 1] * f + f) + (f + 1); // gate: theta 2x2, phi, psi
                expected +=
                        conv(c[s + 1], c[s])
                                + conv(2 * c[s], c[s])
                                + conv(c[s], c[s]); // up, decoder
            }
            expected += 16 * 11 + 11; // head
            assertThat(parameterCount(block)).isEqualTo(expected);
            assertThat(expected).as("about 0.6 M").isBetween(600_000L, 700_000L);
        }
    }

    /**
     * A 3x3 ConvBnRelu: weights without bias, and BatchNorm's gamma, beta, running mean and
     * variance.
     */
    private static long conv(int in, int out) {
        return 9L * in * out + 4L * out;
    }

    @Test
    void hyperParametersSurviveAJsonRoundTrip() throws Exception {
        AttentionUNetBlock original = small().optHeads(4).optFfnSize(32).optDropout(0.1f).build();
        ObjectMapper json = new ObjectMapper();

        String text = json.writeValueAsString(original.hyperParameters());
        Map<String, Object> read = json.readValue(text, new TypeReference<>() {});
        AttentionUNetBlock rebuilt = AttentionUNetBlock.fromHyperParameters(read);

        assertThat(text)
                .isEqualTo(
                        "{\"classes\":5,\"widths\":[4,8,12,16],\"heads\":4,\"ffnSize\":32,"
                                + "\"dropout\":0.1}");
        assertThat(rebuilt.hyperParameters()).isEqualTo(original.hyperParameters());
        assertThat(AttentionUNetBlock.fromHyperParameters(Map.of("classes", 11L)).hyperParameters())
                .as("defaults")
                .isEqualTo(
                        Map.of(
                                "classes",
                                11,
                                "widths",
                                List.of(16, 32, 64, 128),
                                "heads",
                                2,
                                "ffnSize",
                                128,
                                "dropout",
                                0f));
    }

    @Test
    void fromHyperParametersNamesAMissingUnknownOrMalformedSetting() {
        Map<String, Object> valid = new HashMap<>(small().build().hyperParameters());

        Map<String, Object> missing = new HashMap<>(valid);
        missing.remove("classes");
        assertThatThrownBy(() -> AttentionUNetBlock.fromHyperParameters(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hyper-parameter 'classes' is missing");

        Map<String, Object> unknown = new HashMap<>(valid);
        unknown.put("width", 16);
        assertThatThrownBy(() -> AttentionUNetBlock.fromHyperParameters(unknown))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown AttentionUNetBlock hyper-parameter(s) [width]");

        Map<String, Object> notAList = new HashMap<>(valid);
        notAList.put("widths", 16);
        assertThatThrownBy(() -> AttentionUNetBlock.fromHyperParameters(notAList))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hyper-parameter 'widths' must be a list of integers, got '16'");

        Map<String, Object> fractional = new HashMap<>(valid);
        fractional.put("widths", List.of(4, 8.5, 16));
        assertThatThrownBy(() -> AttentionUNetBlock.fromHyperParameters(fractional))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "hyper-parameter 'widths' must be a list of integers, got '[4, 8.5, 16]'");
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThatThrownBy(() -> small().optHeads(3).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model size D (16) must be divisible by heads H (3)");
        assertThatThrownBy(() -> small().optWidths(8, 18).optHeads(1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "the bottleneck width D (18) must be divisible by 4 for the 2-D positional"
                                + " encoding");
        assertThatThrownBy(() -> small().optWidths(16).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an attention U-Net needs at least 2 stage widths, got [16]");
        assertThatThrownBy(() -> small().setClasses(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("classes C must be set to a positive value, got 0");
    }

    @Test
    void savedAndLoadedModelGivesIdenticalOutputs(@TempDir Path dir) throws Exception {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu())) {
            NDArray x = images(manager, 2, 16, 24, 5);
            Map<String, Object> hyperParameters;
            List<float[]> expected = new ArrayList<>();
            try (Model model = Model.newInstance("m")) {
                AttentionUNetBlock block = initialized(model, small().build(), 16, 24);
                // a training pass moves BatchNorm's running statistics away from 0 and 1, so they
                // are saved too
                NnFixtures.train(block, manager, x.mul(2f).add(1f));
                hyperParameters = block.hyperParameters();
                for (NDArray out : infer(block, manager, x)) {
                    expected.add(out.toFloatArray());
                }
                model.save(dir, "m");
            }

            try (Model loaded = Model.newInstance("m")) {
                AttentionUNetBlock block = AttentionUNetBlock.fromHyperParameters(hyperParameters);
                loaded.setBlock(block);
                loaded.load(dir, "m");
                NDList out = infer(block, manager, x);

                assertThat(out).hasSize(expected.size());
                for (int i = 0; i < out.size(); i++) {
                    assertThat(out.get(i).toFloatArray())
                            .as("output %d", i)
                            .containsExactly(expected.get(i));
                }
            }
        }
    }

    @Test
    void loadingIntoABlockWithOtherSettingsIsOneClearError(@TempDir Path dir) throws Exception {
        try (Model model = Model.newInstance("m")) {
            initialized(model, small().build(), 16, 16);
            model.save(dir, "m");
        }

        try (Model other = Model.newInstance("m")) {
            other.setBlock(small().setClasses(11).optHeads(4).build());
            assertThatThrownBy(() -> other.load(dir, "m"))
                    .isInstanceOf(MalformedModelException.class)
                    .hasMessage(
                            "AttentionUNetBlock parameters do not match the block's settings:"
                                    + " classes saved 5, built 11; heads saved 2, built 4");
        }
        try (Model other = Model.newInstance("m")) {
            other.setBlock(small().optWidths(4, 8, 16, 16).build());
            assertThatThrownBy(() -> other.load(dir, "m"))
                    .isInstanceOf(MalformedModelException.class)
                    .hasMessage(
                            "AttentionUNetBlock parameters do not match the block's settings:"
                                    + " width2 saved 12, built 16");
        }
        try (Model other = Model.newInstance("m")) {
            other.setBlock(small().optWidths(4, 8, 16).build());
            assertThatThrownBy(() -> other.load(dir, "m"))
                    .isInstanceOf(MalformedModelException.class)
                    .hasMessage(
                            "AttentionUNetBlock parameters do not match the block's settings:"
                                    + " stages saved 4, built 3");
        }
    }

    @Test
    void forwardAllocatesNothingInTheModelsManager() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("unet")) {
            AttentionUNetBlock block = initialized(model, small().build(), 16, 16);
            int before = ((BaseNDManager) model.getNDManager()).getManagedArrays().size();

            try (NDManager batch = manager.newSubManager()) {
                infer(block, batch, batch.zeros(new Shape(1, 3, 16, 24)));
            }

            assertThat(((BaseNDManager) model.getNDManager()).getManagedArrays()).hasSize(before);
        }
    }

    @Test
    void positionalEncodingSeparatesRowsAndColumnsAtAnySize() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu())) {
            float[] pe =
                    AttentionUNetBlock.positionalEncoding(manager, 3, 5, 8)
                            .toFloatArray(); // (15, 8)

            // pixel (y=2, x=4): sin(2), cos(2) at f_0 = 1, sin(2/100), cos(2/100) at f_1 =
            // 10000^(-1/2); x alike
            int base = (2 * 5 + 4) * 8;
            float[] expected = {
                (float) Math.sin(2),
                (float) Math.sin(0.02),
                (float) Math.cos(2),
                (float) Math.cos(0.02),
                (float) Math.sin(4),
                (float) Math.sin(0.04),
                (float) Math.cos(4),
                (float) Math.cos(0.04)
            };
            float[] actual = new float[8];
            System.arraycopy(pe, base, actual, 0, 8);
            assertThat(actual).containsExactly(expected, within(1e-6f));
        }
    }
}
