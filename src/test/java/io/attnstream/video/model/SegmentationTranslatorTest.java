package io.attnstream.video.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pre- and post-processing of the segmenter for the stream, without a model. */
class SegmentationTranslatorTest {
    private final ImageTensors.Normalisation norm =
            new ImageTensors.Normalisation(
                    new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.5f, 1f});
    private final SegmentationTranslator translator = new SegmentationTranslator(2, 1, norm, 3);

    @Test
    void framesBecomeNormalisedPlanarRows() {
        byte[] rgb = {(byte) 255, 0, (byte) 255, 0, (byte) 255, 0}; // (H 1, W 2, 3): magenta, green
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x =
                    translator
                            .toTensors(m, List.of(new SegmentationRequest(rgb, 2, 1)))
                            .singletonOrThrow();
            assertThat(x.getShape()).isEqualTo(new Shape(1, 3, 1, 2));
            float[] v = x.toFloatArray(); // R plane, G plane, B plane
            assertThat(v[0]).isCloseTo(2f, within(1e-5f)); // (1 - 0.5) / 0.25
            assertThat(v[1]).isCloseTo(-2f, within(1e-5f));
            assertThat(v[2]).isCloseTo(-1f, within(1e-5f)); // (0 - 0.5) / 0.5
            assertThat(v[3]).isCloseTo(1f, within(1e-5f));
            assertThat(v[4]).isCloseTo(0.5f, within(1e-5f));
            assertThat(v[5]).isCloseTo(-0.5f, within(1e-5f));
        }
    }

    @Test
    void masksAreTheArgmaxAtTheRequestedSizeWithSharesAndNamedEightBitMaps() {
        try (NDManager m = NDManager.newBaseManager()) {
            // logits (B 1, C 3, H 1, W 2): pixel 0 is class 2, pixel 1 class 0
            NDArray logits = m.create(new float[] {0f, 5f, 1f, 0f, 3f, 0f}, new Shape(1, 3, 1, 2));
            NDArray gate = m.create(new float[] {0f, 1f}, new Shape(1, 1, 2)); // (B, h, w)
            NDArray heatmap = m.create(new float[] {0.5f}, new Shape(1, 1, 1));
            List<SegmentationOutput> out =
                    translator.fromTensors(
                            new NDList(logits, gate, heatmap),
                            List.of(new SegmentationRequest(new byte[6], 2, 1)));

            SegmentationOutput o = out.get(0);
            assertThat(o.mask).containsExactly(2, 0);
            assertThat(o.width).isEqualTo(2);
            assertThat(o.classFractions).containsExactly(0.5f, 0f, 0.5f);
            assertThat(o.maps).extracting(a -> a.name).containsExactly("gate-0", "heatmap");
            assertThat(o.maps[0].levels).containsExactly(0, (byte) 255);
            assertThat(o.maps[1].levels).containsExactly((byte) 128);
            assertThat(translator.attentionOf(o)).containsExactly(128 / 255f);
        }
    }
}
