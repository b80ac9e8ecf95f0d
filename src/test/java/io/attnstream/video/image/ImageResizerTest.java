package io.attnstream.video.image;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.attnstream.inference.DjlEngine;
import io.attnstream.video.model.Bilinear;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageResizerTest {
    private static RgbImage random(int width, int height, long seed) {
        byte[] rgb = new byte[3 * width * height];
        new Random(seed).nextBytes(rgb);
        return new RgbImage(width, height, rgb);
    }

    @Test
    void theSameSizeReturnsTheSameImage() {
        RgbImage image = random(5, 3, 1);
        LabelMap labels = new LabelMap(5, 3, new byte[15]);

        assertThat(ImageResizer.bilinear(image, 5, 3)).isSameAs(image);
        assertThat(ImageResizer.nearest(labels, 5, 3)).isSameAs(labels);
    }

    @Test
    void halvingWeighsTheInputsAroundEachCentreWithATriangleTwoPixelsWide() {
        byte[] rgb = new byte[3 * 4 * 2];
        int[] red = {10, 20, 30, 40, 50, 60, 70, 80}; // a 4 x 2 image, row-major
        for (int p = 0; p < 8; p++) {
            rgb[3 * p] = (byte) red[p];
            rgb[3 * p + 1] = (byte) 200;
        }

        RgbImage half = ImageResizer.bilinear(new RgbImage(4, 2, rgb), 2, 1);

        // output x = 0 is centred on input coordinate 1: columns 0, 1, 2 weigh 0.75, 0.75, 0.25 (/
        // 1.75); both rows
        // weigh 0.75 (/ 1.5). Output x = 1 is centred on 3: columns 1, 2, 3 weigh 0.25, 0.75, 0.75.
        double first =
                ((10 * .75 + 20 * .75 + 30 * .25) + (50 * .75 + 60 * .75 + 70 * .25)) / 1.75 / 2;
        double second =
                ((20 * .25 + 30 * .75 + 40 * .75) + (60 * .25 + 70 * .75 + 80 * .75)) / 1.75 / 2;
        assertThat(half.at(0, 0, 0)).isEqualTo((int) Math.round(first)); // 37
        assertThat(half.at(1, 0, 0)).isEqualTo((int) Math.round(second)); // 53
        assertThat(half.at(0, 0, 1)).isEqualTo(200);
    }

    @Test
    void javaResizingAgreesWithTheTensorBilinearForUpAndDownAtOddRatios() {
        int[][] cases = {{37, 23, 64, 48}, {480, 360, 240, 176}, {64, 48, 100, 70}, {30, 20, 7, 5}};
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu())) {
            for (int[] c : cases) {
                RgbImage image = random(c[0], c[1], c[0]);
                float[] chw = new float[3 * c[0] * c[1]];
                for (int p = 0; p < c[0] * c[1]; p++) {
                    for (int ch = 0; ch < 3; ch++) {
                        chw[ch * c[0] * c[1] + p] = image.rgb()[3 * p + ch] & 0xFF;
                    }
                }
                NDArray tensor = manager.create(chw, new Shape(1, 3, c[1], c[0]));
                float[] expected =
                        Bilinear.resize(tensor, c[3], c[2]).toFloatArray(); // (1, 3, h, w)

                RgbImage resized = ImageResizer.bilinear(image, c[2], c[3]);

                int plane = c[2] * c[3];
                float worst = 0;
                for (int p = 0; p < plane; p++) {
                    for (int ch = 0; ch < 3; ch++) {
                        worst =
                                Math.max(
                                        worst,
                                        Math.abs(
                                                (resized.rgb()[3 * p + ch] & 0xFF)
                                                        - expected[ch * plane + p]));
                    }
                }
                assertThat(worst)
                        .as("%d x %d -> %d x %d: largest difference", c[0], c[1], c[2], c[3])
                        .isLessThanOrEqualTo(0.51f); // rounding to bytes
            }
        }
    }

    @Test
    void labelsTakeTheClassUnderEachOutputPixelsCentre() {
        byte[] classes = new byte[16];
        for (int i = 0; i < 16; i++) {
            classes[i] = (byte) i; // a 4 x 4 map, value = 4 y + x
        }

        LabelMap half = ImageResizer.nearest(new LabelMap(4, 4, classes), 2, 2);
        LabelMap up = ImageResizer.nearest(new LabelMap(4, 4, classes), 8, 2);

        // centres at input 1 and 3 along each axis
        assertThat(half.classes()).containsExactly(5, 7, 13, 15);
        // 8 wide: centres at 0.25, 0.75, ..., 3.75 -> columns 0 0 1 1 2 2 3 3; 2 high: rows 1 and 3
        assertThat(up.classes())
                .containsExactly(4, 4, 5, 5, 6, 6, 7, 7, 12, 12, 13, 13, 14, 14, 15, 15);
    }
}
