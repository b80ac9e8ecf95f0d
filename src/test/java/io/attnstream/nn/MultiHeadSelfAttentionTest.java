package io.attnstream.nn;

import static io.attnstream.nn.NnFixtures.MASKED;
import static io.attnstream.nn.NnFixtures.allFinite;
import static io.attnstream.nn.NnFixtures.infer;
import static io.attnstream.nn.NnFixtures.keyPaddingBias;
import static io.attnstream.nn.NnFixtures.parameterCount;
import static io.attnstream.nn.NnFixtures.train;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.attnstream.inference.DjlEngine;
import org.junit.jupiter.api.Test;

class MultiHeadSelfAttentionTest {
    private static final int B = 2;
    private static final int T = 5;
    private static final int D = 8;
    private static final int H = 2;

    private static MultiHeadSelfAttention initialized(Model model, float attentionDropout) {
        MultiHeadSelfAttention block =
                MultiHeadSelfAttention.builder()
                        .setModelSize(D)
                        .setHeads(H)
                        .optAttentionDropout(attentionDropout)
                        .build();
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(B, T, D));
        return block;
    }

    @Test
    void outputIsBTDAndWeightsAreBHTT() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("mhsa")) {
            MultiHeadSelfAttention block = initialized(model, 0);

            NDList out = infer(block, manager, manager.randomNormal(new Shape(B, T, D)));

            assertThat(out).hasSize(2);
            assertThat(out.get(0).getShape()).isEqualTo(new Shape(B, T, D));
            assertThat(out.get(1).getShape()).isEqualTo(new Shape(B, H, T, T));
            assertThat(block.getOutputShapes(new Shape[] {new Shape(B, T, D)}))
                    .containsExactly(new Shape(B, T, D), new Shape(B, H, T, T));
        }
    }

    @Test
    void attentionRowsSumToOne() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("mhsa")) {
            MultiHeadSelfAttention block = initialized(model, 0);

            NDArray weights =
                    infer(block, manager, manager.randomNormal(new Shape(B, T, D))).get(1);

            assertThat(weights.sum(new int[] {-1}).toFloatArray())
                    .hasSize(B * H * T)
                    .containsOnly(new float[] {1f}, within(1e-5f));
            assertThat(weights.min().getFloat()).isGreaterThan(0f);
        }
    }

    @Test
    void maskedKeyPositionsGetNoWeightAndRowsStillSumToOne() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("mhsa")) {
            MultiHeadSelfAttention block = initialized(model, 0);
            // batch 0 drops keys 3 and 4, batch 1 drops key 0
            boolean[][] keep = {{true, true, true, false, false}, {false, true, true, true, true}};

            NDArray weights =
                    infer(
                                    block,
                                    manager,
                                    manager.randomNormal(new Shape(B, T, D)),
                                    keyPaddingBias(manager, keep))
                            .get(1); // (B, H, T, T)

            float[] w = weights.toFloatArray();
            for (int b = 0; b < B; b++) {
                for (int row = 0; row < H * T; row++) {
                    float sum = 0;
                    for (int k = 0; k < T; k++) {
                        float weight = w[(b * H * T + row) * T + k];
                        sum += weight;
                        if (!keep[b][k]) {
                            assertThat(weight)
                                    .as("batch %d row %d masked key %d", b, row, k)
                                    .isLessThan(1e-6f);
                        }
                    }
                    assertThat(sum).as("batch %d row %d", b, row).isCloseTo(1f, within(1e-5f));
                }
            }
        }
    }

    @Test
    void absentBiasEqualsZeroBias() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("mhsa")) {
            MultiHeadSelfAttention block = initialized(model, 0);
            NDArray x = manager.randomNormal(new Shape(B, T, D));

            NDList withoutBias = infer(block, manager, x);
            NDList zeroBias = infer(block, manager, x, manager.zeros(new Shape(1, 1, T, T)));

            assertThat(withoutBias.get(0).toFloatArray())
                    .containsExactly(zeroBias.get(0).toFloatArray(), within(1e-6f));
            assertThat(withoutBias.get(1).toFloatArray())
                    .containsExactly(zeroBias.get(1).toFloatArray(), within(1e-6f));
        }
    }

    @Test
    void fullyMaskedRowGivesFiniteValues() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("mhsa")) {
            MultiHeadSelfAttention block = initialized(model, 0);
            float[] bias = new float[T * T];
            for (int k = 0; k < T; k++) {
                bias[2 * T + k] = MASKED; // query 2 may attend nothing
            }

            NDList out =
                    infer(
                            block,
                            manager,
                            manager.randomNormal(new Shape(B, T, D)),
                            manager.create(bias, new Shape(1, 1, T, T)));

            assertThat(allFinite(out.get(0).toFloatArray())).as("output finite").isTrue();
            assertThat(allFinite(out.get(1).toFloatArray())).as("weights finite").isTrue();
            assertThat(out.get(1).sum(new int[] {-1}).toFloatArray())
                    .containsOnly(new float[] {1f}, within(1e-5f));
        }
    }

    @Test
    void parameterCountIsFourLinearProjectionsOfDByD() {
        try (Model model = Model.newInstance("mhsa")) {
            MultiHeadSelfAttention block = initialized(model, 0);

            assertThat(parameterCount(block)).isEqualTo(4L * (D * D + D)).isEqualTo(288);
        }
    }

    @Test
    void attentionDropoutActsOnlyWhenTrainingAndPublishedWeightsStillSumToOne() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("mhsa")) {
            MultiHeadSelfAttention block = initialized(model, 0.5f);
            NDArray x = manager.randomNormal(new Shape(B, T, D));

            float[] inference1 = infer(block, manager, x).get(0).toFloatArray();
            float[] inference2 = infer(block, manager, x).get(0).toFloatArray();
            NDList training = train(block, manager, x);

            assertThat(inference2).as("inference is deterministic").containsExactly(inference1);
            assertThat(training.get(0).toFloatArray())
                    .as("dropout changes the training output")
                    .isNotEqualTo(inference1);
            assertThat(training.get(1).sum(new int[] {-1}).toFloatArray())
                    .containsOnly(new float[] {1f}, within(1e-5f));
        }
    }

    @Test
    void modelSizeNotDivisibleByHeadsIsRejected() {
        assertThatThrownBy(
                        () -> MultiHeadSelfAttention.builder().setModelSize(10).setHeads(3).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model size D (10) must be divisible by heads H (3)");
        assertThatThrownBy(() -> MultiHeadSelfAttention.builder().setHeads(2).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model size D must be set to a positive value, got 0");
        assertThatThrownBy(
                        () ->
                                MultiHeadSelfAttention.builder()
                                        .setModelSize(8)
                                        .setHeads(2)
                                        .optAttentionDropout(1f)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attention dropout must be in [0, 1), got 1.0");
    }
}
