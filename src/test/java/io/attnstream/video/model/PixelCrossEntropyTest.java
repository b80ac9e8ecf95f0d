package io.attnstream.video.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.attnstream.inference.DjlEngine;
import io.attnstream.video.image.LabelMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class PixelCrossEntropyTest {
    private static final int VOID = 11;

    @Test
    void isTheClassWeightedMeanOfMinusLogSoftmaxOverNonVoidPixels() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu())) {
            // one frame of 1 x 3 pixels, 2 classes; logits per pixel (class 0, class 1)
            float[][] logits = {{2f, 0f}, {0f, 1f}, {5f, -5f}};
            float[] chw = new float[6];
            for (int p = 0; p < 3; p++) {
                chw[p] = logits[p][0];
                chw[3 + p] = logits[p][1];
            }
            NDArray z = manager.create(chw, new Shape(1, 2, 1, 3)); // (B, C, H, W)
            LabelMap labels = new LabelMap(3, 1, new byte[] {0, 1, VOID});
            float[] weights = {1f, 3f};

            NDList target = PixelCrossEntropy.labels(manager, List.of(labels), weights, VOID);
            float loss = new PixelCrossEntropy().evaluate(target, new NDList(z)).getFloat();

            double nll0 = -Math.log(Math.exp(2) / (Math.exp(2) + 1)); // pixel 0, class 0, weight 1
            double nll1 = -Math.log(Math.exp(1) / (1 + Math.exp(1))); // pixel 1, class 1, weight 3
            assertThat((double) loss).isCloseTo((1 * nll0 + 3 * nll1) / (1 + 3), within(1e-6));
            assertThat(target.get(0).toLongArray()).containsExactly(0, 1, 0);
            assertThat(target.get(1).toFloatArray()).containsExactly(1f, 3f, 0f);
        }
    }

    @Test
    void anAllVoidBatchHasLossZeroNotNaN() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu())) {
            NDList target =
                    PixelCrossEntropy.labels(
                            manager,
                            List.of(new LabelMap(2, 1, new byte[] {VOID, VOID})),
                            new float[] {1f, 1f},
                            VOID);

            float loss =
                    new PixelCrossEntropy()
                            .evaluate(target, new NDList(manager.ones(new Shape(1, 2, 1, 2))))
                            .getFloat();

            assertThat(loss).isZero();
        }
    }

    @Test
    void aLabelOutsideTheClassesIsRejected() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu())) {
            assertThatThrownBy(
                            () ->
                                    PixelCrossEntropy.labels(
                                            manager,
                                            List.of(new LabelMap(1, 1, new byte[] {4})),
                                            new float[] {1f, 1f},
                                            VOID))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("label 4 is neither a class 0..1 nor void 11");
        }
    }
}
