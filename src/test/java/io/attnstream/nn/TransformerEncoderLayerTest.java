package io.attnstream.nn;

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
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.attnstream.inference.DjlEngine;
import org.junit.jupiter.api.Test;

class TransformerEncoderLayerTest {
    private static final int B = 2;
    private static final int T = 6;
    private static final int D = 8;
    private static final int H = 2;
    private static final int F = 16;

    private static TransformerEncoderLayer initialized(Model model, float dropout) {
        TransformerEncoderLayer layer =
                TransformerEncoderLayer.builder()
                        .setModelSize(D)
                        .setHeads(H)
                        .optFfnSize(F)
                        .optDropout(dropout)
                        .build();
        model.setBlock(layer);
        layer.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(B, T, D));
        return layer;
    }

    @Test
    void outputIsBTDAndWeightsAreBHTT() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("encoder-layer")) {
            TransformerEncoderLayer layer = initialized(model, 0);

            NDList out = infer(layer, manager, manager.randomNormal(new Shape(B, T, D)));

            assertThat(out).hasSize(2);
            assertThat(out.get(0).getShape()).isEqualTo(new Shape(B, T, D));
            assertThat(out.get(1).getShape()).isEqualTo(new Shape(B, H, T, T));
            assertThat(layer.getOutputShapes(new Shape[] {new Shape(B, T, D)}))
                    .containsExactly(new Shape(B, T, D), new Shape(B, H, T, T));
        }
    }

    @Test
    void attentionRowsSumToOne() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("encoder-layer")) {
            TransformerEncoderLayer layer = initialized(model, 0);

            NDArray weights =
                    infer(layer, manager, manager.randomNormal(new Shape(B, T, D))).get(1);

            assertThat(weights.sum(new int[] {-1}).toFloatArray())
                    .hasSize(B * H * T)
                    .containsOnly(new float[] {1f}, within(1e-5f));
        }
    }

    @Test
    void maskedKeysGetNoWeightAndDoNotInfluenceOtherPositions() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("encoder-layer")) {
            TransformerEncoderLayer layer = initialized(model, 0);
            boolean[][] keep = {
                {false, false, true, true, true, true}, {true, true, true, true, true, false}
            };
            NDArray bias = keyPaddingBias(manager, keep);
            NDArray x = manager.randomNormal(new Shape(B, T, D));
            NDArray changed = x.duplicate();
            changed.set(new NDIndex("0, 0:2, :"), 100f); // masked keys of batch 0
            changed.set(new NDIndex("1, 5, :"), -100f); // masked key of batch 1

            NDList out = infer(layer, manager, x, bias);
            NDList outChanged = infer(layer, manager, changed, bias);

            float[] w = out.get(1).toFloatArray(); // (B, H, T, T)
            for (int b = 0; b < B; b++) {
                for (int row = 0; row < H * T; row++) {
                    for (int k = 0; k < T; k++) {
                        if (!keep[b][k]) {
                            assertThat(w[(b * H * T + row) * T + k])
                                    .as("batch %d row %d key %d", b, row, k)
                                    .isLessThan(1e-6f);
                        }
                    }
                }
            }
            // the kept positions' outputs ignore whatever sits at masked positions
            assertThat(outChanged.get(0).get("0, 2:, :").toFloatArray())
                    .containsExactly(out.get(0).get("0, 2:, :").toFloatArray(), within(1e-5f));
            assertThat(outChanged.get(0).get("1, 0:5, :").toFloatArray())
                    .containsExactly(out.get(0).get("1, 0:5, :").toFloatArray(), within(1e-5f));
        }
    }

    @Test
    void fullyMaskedRowGivesFiniteValues() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("encoder-layer")) {
            TransformerEncoderLayer layer = initialized(model, 0);
            // batch 1 is all padding: every key masked for every query
            boolean[][] keep = {
                {true, true, true, true, true, true}, {false, false, false, false, false, false}
            };
            NDArray x = manager.randomNormal(new Shape(B, T, D));

            NDList out = infer(layer, manager, x, keyPaddingBias(manager, keep));

            assertThat(allFinite(out.get(0).toFloatArray())).as("output finite").isTrue();
            assertThat(allFinite(out.get(1).toFloatArray())).as("weights finite").isTrue();
            assertThat(out.get(1).sum(new int[] {-1}).toFloatArray())
                    .containsOnly(new float[] {1f}, within(1e-5f));
        }
    }

    @Test
    void parameterCountIsTwoLayerNormsAttentionAndFfn() {
        try (Model model = Model.newInstance("encoder-layer")) {
            TransformerEncoderLayer layer = initialized(model, 0);

            long expected = 2 * (2L * D) + 4L * (D * D + D) + (D * F + F) + (F * D + D);
            assertThat(parameterCount(layer)).isEqualTo(expected).isEqualTo(600);
        }
    }

    @Test
    void ffnSizeDefaultsToModelSize() {
        TransformerEncoderLayer layer =
                TransformerEncoderLayer.builder().setModelSize(D).setHeads(H).build();

        assertThat(layer.getFfnSize()).isEqualTo(D);
        assertThat(layer.getDropout()).isEqualTo(0.1f);
    }

    @Test
    void dropoutActsOnlyWhenTraining() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("encoder-layer")) {
            TransformerEncoderLayer layer = initialized(model, 0.5f);
            NDArray x = manager.randomNormal(new Shape(B, T, D));

            float[] inference1 = infer(layer, manager, x).get(0).toFloatArray();
            float[] inference2 = infer(layer, manager, x).get(0).toFloatArray();
            float[] training = train(layer, manager, x).get(0).toFloatArray();

            assertThat(inference2).containsExactly(inference1);
            assertThat(training).isNotEqualTo(inference1);
        }
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThatThrownBy(
                        () -> TransformerEncoderLayer.builder().setModelSize(8).setHeads(3).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model size D (8) must be divisible by heads H (3)");
        assertThatThrownBy(
                        () ->
                                TransformerEncoderLayer.builder()
                                        .setModelSize(8)
                                        .setHeads(2)
                                        .optFfnSize(0)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ffn size F must be set to a positive value, got 0");
        assertThatThrownBy(
                        () ->
                                TransformerEncoderLayer.builder()
                                        .setModelSize(8)
                                        .setHeads(2)
                                        .optDropout(-0.1f)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dropout must be in [0, 1), got -0.1");
    }
}
