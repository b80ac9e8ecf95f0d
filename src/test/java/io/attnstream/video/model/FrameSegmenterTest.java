package io.attnstream.video.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.attnstream.inference.DjlEngine;
import io.attnstream.video.SyntheticScenes;
import io.attnstream.video.data.SegmentationSample;
import io.attnstream.video.image.ImageResizer;
import io.attnstream.video.image.LabelMap;
import io.attnstream.video.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

public class FrameSegmenterTest {
    public static final ImageTensors.Normalisation UNIT =
            new ImageTensors.Normalisation(new float[3], new float[] {1f, 1f, 1f});

    /**
     * A stand-in "model" that classifies each pixel by its strongest colour channel: logits = the
     * input's RGB, one gate = sigmoid of red at the input size, heatmap = 1 at half size.
     */
    public static final FrameSegmenter.Forward COLOUR =
            inputs -> {
                NDArray x = inputs.head(); // (B, 3, H, W)
                Shape s = x.getShape();
                NDArray gate = Activation.sigmoid(x.get(":, 0, :, :")); // (B, H, W)
                NDArray heatmap =
                        x.getManager().ones(new Shape(s.get(0), s.get(2) / 2, s.get(3) / 2));
                return new NDList(x, gate, heatmap);
            };

    /** Red left half, blue right half. */
    public static RgbImage redBlue(int width, int height) {
        byte[] rgb = new byte[3 * width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                rgb[3 * (y * width + x) + (x < width / 2 ? 0 : 2)] = (byte) 230;
            }
        }
        return new RgbImage(width, height, rgb);
    }

    @Test
    void resizesTheLogitsToEachOutputSizeBeforeTheArgmax() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu())) {
            // frame 0: class 1 minus class 0 is -1 in column 0 and +1 in column 1; frame 1: class 1
            // everywhere
            float[] logits = {0, 0, 0, 0, -1, 1, -1, 1, /* frame 1 */ 0, 0, 0, 0, 1, 1, 1, 1};
            NDList outputs =
                    new NDList(
                            manager.create(logits, new Shape(2, 2, 2, 2)),
                            manager.create(
                                    new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f},
                                    new Shape(2, 2, 2)),
                            manager.create(new float[] {1f, 0.5f}, new Shape(2, 1, 1)));

            List<Segmentation> same =
                    FrameSegmenter.fromOutputs(
                            outputs,
                            List.of(new FrameSegmenter.Size(4, 1), new FrameSegmenter.Size(4, 1)));
            List<Segmentation> different =
                    FrameSegmenter.fromOutputs(
                            outputs,
                            List.of(new FrameSegmenter.Size(4, 1), new FrameSegmenter.Size(1, 3)));

            // upsampled along x: -1, -0.5, 0.5, 1
            assertThat(same.get(0).mask().classes()).containsExactly(0, 0, 1, 1);
            assertThat(same.get(1).mask().classes()).containsExactly(1, 1, 1, 1);
            assertThat(different.get(0).mask().classes()).containsExactly(0, 0, 1, 1);
            assertThat(different.get(1).mask().width()).isEqualTo(1);
            assertThat(different.get(1).mask().classes()).containsExactly(1, 1, 1);
            assertThat(same.get(1).gates()).hasSize(1);
            assertThat(same.get(1).gates().get(0).values()).containsExactly(0.5f, 0.6f, 0.7f, 0.8f);
            assertThat(same.get(1).heatmap().values()).containsExactly(0.5f);
            assertThat(same.get(0).classShares(2)).containsExactly(0.5f, 0.5f);
        }
    }

    @Test
    void framesOfAnySizeComeBackAtTheirOwnSizeWithTheModelsAttentionSizes() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu())) {
            FrameSegmenter segmenter = new FrameSegmenter(COLOUR, manager, 4, 4, UNIT, 2);
            List<RgbImage> frames = List.of(redBlue(8, 6), redBlue(20, 10), redBlue(4, 4));

            List<Segmentation> out = segmenter.segment(frames);

            for (int i = 0; i < frames.size(); i++) {
                LabelMap mask = out.get(i).mask();
                RgbImage frame = frames.get(i);
                assertThat(mask.width()).isEqualTo(frame.width());
                assertThat(mask.height()).isEqualTo(frame.height());
                for (int y = 0; y < mask.height(); y++) {
                    for (int x = 0; x < mask.width(); x++) {
                        assertThat(mask.at(x, y))
                                .as("frame %d pixel (%d, %d)", i, x, y)
                                .isEqualTo(x < frame.width() / 2 ? 0 : 2);
                    }
                }
                assertThat(out.get(i).gates().get(0).width()).isEqualTo(4);
                assertThat(out.get(i).heatmap().width()).isEqualTo(2);
            }
            // red pixels (230 / 255 after the unit normalisation) have a larger gate than blue ones
            // (0)
            assertThat(out.get(0).gates().get(0).at(0, 0))
                    .isCloseTo((float) (1 / (1 + Math.exp(-230 / 255.0))), within(1e-5f));
            assertThat(out.get(0).gates().get(0).at(3, 0)).isCloseTo(0.5f, within(1e-5f));
        }
    }

    @Test
    void batchingDoesNotChangeTheResults() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu())) {
            List<RgbImage> frames = new ArrayList<>();
            for (SegmentationSample s : SyntheticScenes.generate(5, 16, 12, 4)) {
                frames.add(s.image());
            }

            List<Segmentation> batched =
                    new FrameSegmenter(COLOUR, manager, 8, 8, UNIT, 2)
                            .segment(frames, new FrameSegmenter.Size(12, 9));
            List<Segmentation> single =
                    new FrameSegmenter(COLOUR, manager, 8, 8, UNIT, 1)
                            .segment(frames, new FrameSegmenter.Size(12, 9));

            assertThat(batched).hasSize(5);
            for (int i = 0; i < 5; i++) {
                assertThat(batched.get(i).mask().classes())
                        .containsExactly(single.get(i).mask().classes());
                assertThat(batched.get(i).gates().get(0).values())
                        .containsExactly(single.get(i).gates().get(0).values());
            }
        }
    }

    @Test
    void aMaskAboveTheArgmaxLimitIsTheNearestEnlargementOfTheMaskAtTheCappedSize() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu())) {
            Random random = new Random(7);
            float[] logits = new float[2 * 3 * 6 * 8];
            for (int i = 0; i < logits.length; i++) {
                logits[i] = (float) random.nextGaussian();
            }
            NDList outputs =
                    new NDList(
                            manager.create(logits, new Shape(2, 3, 6, 8)), // (B, C, H, W)
                            manager.create(new float[8], new Shape(2, 2, 2)),
                            manager.create(new float[2], new Shape(2, 1, 1)));
            long limit = 100;
            FrameSegmenter.Size large =
                    new FrameSegmenter.Size(40, 30); // 1200 pixels, above the limit
            FrameSegmenter.Size small = new FrameSegmenter.Size(8, 6); // 48, under it
            FrameSegmenter.Size capped = FrameSegmenter.argmaxSize(large, limit);
            assertThat(capped)
                    .isEqualTo(
                            new FrameSegmenter.Size(
                                    11, 8)); // 40 x 30 times sqrt(100 / 1200), 88 pixels

            List<Segmentation> atLarge =
                    FrameSegmenter.fromOutputs(outputs, List.of(large, large), limit);
            List<Segmentation> atCapped =
                    FrameSegmenter.fromOutputs(outputs, List.of(capped, capped), limit);
            List<Segmentation> mixed =
                    FrameSegmenter.fromOutputs(outputs, List.of(large, small), limit);
            List<Segmentation> uncapped =
                    FrameSegmenter.fromOutputs(outputs, List.of(large, small), Long.MAX_VALUE);

            for (int b = 0; b < 2; b++) {
                LabelMap mask = atLarge.get(b).mask();
                assertThat(mask.width()).isEqualTo(40);
                assertThat(mask.height()).isEqualTo(30);
                assertThat(mask.classes())
                        .as("frame %d", b)
                        .containsExactly(
                                ImageResizer.nearest(atCapped.get(b).mask(), 40, 30).classes());
            }
            // one frame at a time gives the same; a frame under the limit is argmaxed at its own
            // size
            assertThat(mixed.get(0).mask().classes())
                    .containsExactly(atLarge.get(0).mask().classes());
            assertThat(mixed.get(1).mask().classes())
                    .containsExactly(uncapped.get(1).mask().classes());
            // and the limit is what made the large mask blocky: without it the logits go to 40 x 30
            // themselves
            assertThat(uncapped.get(0).mask().classes())
                    .isNotEqualTo(atLarge.get(0).mask().classes());
        }
    }

    @Test
    void theArgmaxSizeIsTheLargestUnderFourMegapixelsWithTheOutputsAspectRatio() {
        long max = FrameSegmenter.MAX_ARGMAX_PIXELS;
        FrameSegmenter.Size exact = new FrameSegmenter.Size(2048, 2048);

        assertThat(FrameSegmenter.argmaxSize(exact, max)).isSameAs(exact);
        assertThat(FrameSegmenter.argmaxSize(new FrameSegmenter.Size(4000, 4000), max))
                .isEqualTo(exact);
        // a 16 Mpx 4:3 frame
        FrameSegmenter.Size camera =
                FrameSegmenter.argmaxSize(new FrameSegmenter.Size(4608, 3456), max);
        assertThat(camera).isEqualTo(new FrameSegmenter.Size(2364, 1773));
        assertThat((long) camera.width() * camera.height()).isLessThanOrEqualTo(max);
        assertThat((long) (camera.width() + 1) * (camera.height() + 1)).isGreaterThan(max);
        // extreme ratios keep a side of one pixel
        assertThat(FrameSegmenter.argmaxSize(new FrameSegmenter.Size(5_000_000, 1), max))
                .isEqualTo(new FrameSegmenter.Size((int) max, 1));
        assertThat(FrameSegmenter.argmaxSize(new FrameSegmenter.Size(1, 5_000_000), max))
                .isEqualTo(new FrameSegmenter.Size(1, (int) max));
    }
}
