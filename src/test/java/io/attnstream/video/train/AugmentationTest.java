package io.attnstream.video.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.video.SyntheticScenes;
import io.attnstream.video.data.SegmentationSample;
import io.attnstream.video.image.ImageResizer;
import io.attnstream.video.image.LabelMap;
import io.attnstream.video.image.RgbImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AugmentationTest {
    private static final int VOID = 11;

    /**
     * Left half dark class 0, right half bright class 1, with a class-5 square in the top-left
     * corner.
     */
    private static SegmentationSample halves(int width, int height) {
        byte[] rgb = new byte[3 * width * height];
        byte[] labels = new byte[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean right = x >= width / 2;
                byte v = (byte) (right ? 220 : 30);
                int p = y * width + x;
                rgb[3 * p] = v;
                rgb[3 * p + 1] = v;
                rgb[3 * p + 2] = v;
                labels[p] = (byte) (right ? 1 : 0);
            }
        }
        return new SegmentationSample(
                "halves", new RgbImage(width, height, rgb), new LabelMap(width, height, labels));
    }

    @Test
    void noneOnlyResizes() {
        SegmentationSample sample = halves(80, 60);

        SegmentationSample out = Augmentation.none().apply(sample, 40, 30, VOID, new Random(1));

        assertThat(out.image().rgb())
                .containsExactly(ImageResizer.bilinear(sample.image(), 40, 30).rgb());
        assertThat(out.labels().classes())
                .containsExactly(ImageResizer.nearest(sample.labels(), 40, 30).classes());
    }

    @Test
    void labelsStayOnTheirPixelsThroughScaleCropPadAndFlip() {
        Augmentation geometry = new Augmentation(true, 0.5f, 2f, 0f, 0f, 0f);
        Random random = new Random(7);
        int flipped = 0;
        int padded = 0;
        for (int i = 0; i < 40; i++) {
            SegmentationSample out = geometry.apply(halves(64, 48), 32, 24, VOID, random);

            int agree = 0;
            int labelled = 0;
            for (int p = 0; p < 32 * 24; p++) {
                int label = out.labels().classes()[p] & 0xFF;
                int value = out.image().rgb()[3 * p] & 0xFF;
                if (label == VOID) {
                    assertThat(value).as("padding is black").isZero();
                    padded++;
                    continue;
                }
                labelled++;
                if ((label == 1) == (value > 125)) {
                    agree++;
                }
            }
            // only the pixels along the one vertical border may blend
            assertThat(agree)
                    .as("frame %d: pixels whose colour matches their label", i)
                    .isGreaterThanOrEqualTo(labelled - 24);
            if ((out.labels().classes()[0] & 0xFF) == 1) {
                flipped++;
            }
        }
        assertThat(flipped).as("frames mirrored (bright class 1 top-left)").isBetween(5, 35);
        assertThat(padded).as("void padding from scales below 1").isGreaterThan(0);
    }

    @Test
    void aSeedReproducesTheSameFrames() {
        Augmentation augmentation = Augmentation.full();
        SegmentationSample sample = SyntheticScenes.generate(1, 64, 48, 5).get(0);

        SegmentationSample a = augmentation.apply(sample, 48, 32, VOID, new Random(9));
        SegmentationSample b = augmentation.apply(sample, 48, 32, VOID, new Random(9));
        SegmentationSample c = augmentation.apply(sample, 48, 32, VOID, new Random(10));

        assertThat(a.image().rgb()).containsExactly(b.image().rgb());
        assertThat(a.labels().classes()).containsExactly(b.labels().classes());
        assertThat(c.image().rgb()).isNotEqualTo(a.image().rgb());
    }

    @Test
    void colourJitterChangesTheFrameButNeverTheLabels() {
        SegmentationSample sample = SyntheticScenes.generate(1, 32, 24, 6).get(0);
        Augmentation colour = new Augmentation(false, 1f, 1f, 0.3f, 0.3f, 0.3f);

        SegmentationSample out = colour.apply(sample, 32, 24, VOID, new Random(2));

        assertThat(out.labels().classes()).containsExactly(sample.labels().classes());
        assertThat(out.image().rgb()).isNotEqualTo(sample.image().rgb());
    }

    @Test
    void jitterFactorsDoWhatTheySay() {
        RgbImage image = new RgbImage(2, 1, new byte[] {100, 50, 20, 10, 60, 90});

        RgbImage brighter = Augmentation.jitter(image, 1.5f, 1f, 1f);
        RgbImage grey = Augmentation.jitter(image, 1f, 1f, 0f);
        RgbImage flat = Augmentation.jitter(image, 1f, 0f, 1f);

        assertThat(brighter.rgb()).containsExactly(150, 75, 30, 15, 90, (byte) 135);
        int luma = Math.round(0.299f * 100 + 0.587f * 50 + 0.114f * 20); // 61
        assertThat(new int[] {grey.at(0, 0, 0), grey.at(0, 0, 1), grey.at(0, 0, 2)})
                .containsExactly(luma, luma, luma);
        assertThat(flat.at(0, 0, 0))
                .as("no contrast: every channel at the mean grey")
                .isEqualTo(flat.at(1, 0, 2));
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> new Augmentation(true, 1.5f, 1f, 0f, 0f, 0f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scales must satisfy 0 < min <= max, got 1.5, 1.0");
        assertThatThrownBy(() -> new Augmentation(true, 1f, 1f, 1f, 0f, 0f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("colour jitter must be in [0, 1), got 1.0");
    }

    @Test
    void mirroringReversesEachRowOfFramesAndLabelsPixelByPixel() {
        RgbImage image =
                new RgbImage(
                        3,
                        2,
                        new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18});
        LabelMap labels = new LabelMap(3, 2, new byte[] {0, 1, 2, 3, 4, 5});

        assertThat(Augmentation.mirror(image).rgb())
                .containsExactly(7, 8, 9, 4, 5, 6, 1, 2, 3, 16, 17, 18, 13, 14, 15, 10, 11, 12);
        assertThat(Augmentation.mirror(labels).classes()).containsExactly(2, 1, 0, 5, 4, 3);
    }

    @Test
    void placingCropsAndPadsFramesWithBlackAndLabelsWithVoid() {
        RgbImage image = new RgbImage(2, 2, new byte[] {1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4});
        LabelMap labels = new LabelMap(2, 2, new byte[] {1, 2, 3, 4});

        // one pixel right and one up: the top row is cropped, the left column and the bottom row
        // padded
        assertThat(Augmentation.place(image, 3, 2, 1, -1).rgb())
                .containsExactly(0, 0, 0, 3, 3, 3, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(Augmentation.place(labels, 3, 2, 1, -1, VOID).classes())
                .containsExactly(VOID, 3, 4, VOID, VOID, VOID);
    }
}
