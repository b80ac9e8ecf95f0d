package io.attnstream.video.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.attnstream.inference.DjlEngine;
import org.junit.jupiter.api.Test;

class BilinearTest {
    @Test
    void upsamplesWithHalfPixelCentresLikePyTorchsAlignCornersFalse() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu())) {
            NDArray x =
                    manager.create(
                            new float[] {0, 1, 2, 3}, new Shape(1, 1, 2, 2)); // value = 2 row + col

            float[] out = Bilinear.resize(x, 4, 4).toFloatArray(); // (1, 1, 4, 4)

            // source coordinate (i + 0.5) / 2 - 0.5 = -0.25 (clamped to 0), 0.25, 0.75, 1.25
            // (clamped to 1)
            float[] t = {0f, 0.25f, 0.75f, 1f};
            float[] expected = new float[16];
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    expected[i * 4 + j] = 2 * t[i] + t[j];
                }
            }
            assertThat(out).containsExactly(expected, within(1e-6f));
        }
    }

    @Test
    void downsamplingAveragesWithATriangleFilterAsWideAsTheScale() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu())) {
            NDArray x = manager.arange(16f).reshape(1, 1, 4, 4); // value = 4 row + col

            float[] out = Bilinear.resize(x, 2, 2).toFloatArray();

            // output 0 is centred on input coordinate 1 (pixel centres at j + 0.5); a triangle of
            // half-width 2 weighs inputs 0, 1, 2 by 0.75, 0.75, 0.25 (normalised by 1.75): 5/7;
            // output 1 weighs 1, 2, 3: 16/7
            float[] t = {5f / 7, 16f / 7};
            assertThat(out)
                    .containsExactly(
                            new float[] {
                                4 * t[0] + t[0], 4 * t[0] + t[1], 4 * t[1] + t[0], 4 * t[1] + t[1]
                            },
                            within(1e-5f));
        }
    }

    @Test
    void backpropagatesEachOutputsWeightsToItsInputs() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu())) {
            NDArray x = manager.create(new float[] {0, 1, 2, 3}, new Shape(1, 1, 2, 2));
            x.setRequiresGradient(true);

            try (GradientCollector collector =
                    Engine.getEngine(DjlEngine.ENGINE_NAME).newGradientCollector()) {
                NDArray out = Bilinear.resize(x, 4, 4); // (1, 1, 4, 4)
                NDArray firstRow = manager.zeros(new Shape(1, 1, 4, 4));
                firstRow.set(new NDIndex("0, 0, 0, :"), 1f);
                collector.backward(out.mul(firstRow).sum()); // d/dx of the first output row's sum
            }

            // the first output row is input row 0 alone, columns weighted 1, 0.75, 0.25, 0 and 0,
            // 0.25, 0.75, 1
            assertThat(x.getGradient().toFloatArray())
                    .containsExactly(new float[] {2f, 2f, 0f, 0f}, within(1e-6f));
        }
    }

    @Test
    void theRightSizeIsReturnedAsIs() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu())) {
            NDArray x = manager.zeros(new Shape(1, 2, 3, 5));

            assertThat(Bilinear.resize(x, 3, 5)).isSameAs(x);
        }
    }
}
