package io.attnstream.video.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.video.data.SegmentationSample;
import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RgbImageTest {
    @Test
    void readsBgrIntRgbAndGreyImagesAsRgb() {
        BufferedImage bgr = new BufferedImage(3, 2, BufferedImage.TYPE_3BYTE_BGR);
        BufferedImage intRgb = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        for (BufferedImage image : new BufferedImage[] {bgr, intRgb}) {
            image.setRGB(0, 0, 0x102030);
            image.setRGB(2, 1, 0xFFFEFD);
        }
        BufferedImage grey = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(1, 0, 0, 77);

        for (BufferedImage image : new BufferedImage[] {bgr, intRgb}) {
            RgbImage rgb = RgbImage.of(image);
            assertThat(new int[] {rgb.at(0, 0, 0), rgb.at(0, 0, 1), rgb.at(0, 0, 2)})
                    .containsExactly(0x10, 0x20, 0x30);
            assertThat(new int[] {rgb.at(2, 1, 0), rgb.at(2, 1, 1), rgb.at(2, 1, 2)})
                    .containsExactly(255, 254, 253);
            assertThat(rgb.at(1, 1, 0)).isZero();
        }
        RgbImage fromGrey = RgbImage.of(grey);
        // the sample itself in every channel, as the stream's decoder gives it (getRGB would
        // gamma-curve it)
        assertThat(new int[] {fromGrey.at(1, 0, 0), fromGrey.at(1, 0, 1), fromGrey.at(1, 0, 2)})
                .containsExactly(77, 77, 77);
        assertThat(fromGrey.at(0, 0, 0)).isZero();
        assertThat(FrameEncoder.rgb8(grey)).containsExactly(fromGrey.rgb());
    }

    @Test
    void survivesARoundTripThroughBufferedImage() {
        byte[] rgb = new byte[3 * 4 * 3];
        new Random(3).nextBytes(rgb);
        RgbImage image = new RgbImage(4, 3, rgb);

        assertThat(RgbImage.of(image.toBufferedImage()).rgb()).containsExactly(rgb);
    }

    @Test
    void labelMapsWriteTheirIndicesAsGreyValues() {
        LabelMap labels = new LabelMap(3, 1, new byte[] {0, 11, (byte) 200});

        BufferedImage grey = labels.toGrayImage();

        assertThat(grey.getRaster().getSamples(0, 0, 3, 1, 0, new int[3]))
                .containsExactly(0, 11, 200);
        assertThat(labels.at(2, 0)).isEqualTo(200);
    }

    @Test
    void labelMapSharesCountOnlyTheClassesSoVoidLowersTheirSum() {
        LabelMap labels = new LabelMap(4, 2, new byte[] {0, 0, 1, 11, 0, 2, 2, (byte) 200});

        assertThat(labels.shares(3)).containsExactly(3 / 8f, 1 / 8f, 2 / 8f);
        assertThat(labels.shares(1)).containsExactly(3 / 8f);
    }

    @Test
    void sizesAndByteCountsMustAgree() {
        assertThatThrownBy(() -> new RgbImage(2, 2, new byte[11]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an RGB image of 2 x 2 has 12 bytes, got 11");
        assertThatThrownBy(() -> new LabelMap(0, 2, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("label map size must be positive, got 0 x 2");
        assertThatThrownBy(
                        () ->
                                new SegmentationSample(
                                        "f.png",
                                        new RgbImage(2, 1, new byte[6]),
                                        new LabelMap(1, 2, new byte[2])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("f.png: the image is 2 x 1 but its labels are 1 x 2");
    }
}
