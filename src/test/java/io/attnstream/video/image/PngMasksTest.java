package io.attnstream.video.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.attnstream.platform.AttnstreamException;
import io.attnstream.video.VideoFixtures;
import io.attnstream.video.sim.CraftedImages;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngMasksTest {
    @Test
    void aMaskSurvivesThePngRoundTripByteForByte() throws Exception {
        byte[] values = new byte[37 * 19];
        new Random(3).nextBytes(values); // every byte value, not only class indices
        values[0] = 0;
        values[1] = (byte) 255;
        LabelMap mask = new LabelMap(37, 19, values);
        byte[] png = PngMasks.encode(mask);
        LabelMap back = PngMasks.decode(png, FrameLimits.DEFAULT);
        assertThat(back.width()).isEqualTo(37);
        assertThat(back.height()).isEqualTo(19);
        assertThat(back.classes()).isEqualTo(values);
        // Other readers see an 8-bit grey PNG with the same values.
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
        assertThat(image.getRaster().getSample(1, 0, 0)).isEqualTo(255);
    }

    @Test
    void paletteLabelImagesGiveTheirIndices() throws Exception {
        byte[] r = new byte[16];
        byte[] g = new byte[16];
        byte[] b = new byte[16];
        for (int i = 0; i < 16; i++) {
            r[i] = (byte) (i * 16);
        }
        BufferedImage indexed =
                new BufferedImage(
                        4, 2, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 16, r, g, b));
        for (int i = 0; i < 8; i++) {
            indexed.getRaster().setSample(i % 4, i / 4, 0, i + 3);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(indexed, "png", out);
        LabelMap mask = PngMasks.decode(out.toByteArray(), FrameLimits.DEFAULT);
        assertThat(mask.classes()).containsExactly(3, 4, 5, 6, 7, 8, 9, 10);
    }

    @Test
    void colourImagesAndBrokenFilesAreNotMasks(@TempDir Path dir) throws Exception {
        byte[] rgb = FrameEncoder.png(VideoFixtures.gradient(4, 4));
        assertThatThrownBy(() -> PngMasks.decode(rgb, FrameLimits.DEFAULT))
                .isInstanceOf(FrameRejection.class)
                .hasMessageContaining("3 channels");
        assertThatThrownBy(
                        () ->
                                PngMasks.decode(
                                        CraftedImages.pngClaiming(50_000, 50_000),
                                        FrameLimits.DEFAULT))
                .isInstanceOf(FrameRejection.class)
                .hasMessageContaining("more than the limit");
        Path file = Files.write(dir.resolve("label.png"), rgb);
        assertThatThrownBy(() -> PngMasks.read(file))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining(file.toString());
        assertThatThrownBy(() -> PngMasks.read(dir.resolve("none.png")))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining("none.png");
        LabelMap m = new LabelMap(2, 2, new byte[] {0, 1, 2, 11});
        Path written = dir.resolve("written.png");
        PngMasks.write(written, m);
        assertThat(PngMasks.read(written).classes()).isEqualTo(m.classes());
    }

    @Test
    void heatmapsQuantiseToBytesWithinHalfAStep() throws Exception {
        float[] values = new float[1000];
        Random random = new Random(5);
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat();
        }
        values[0] = 0f;
        values[1] = 1f;
        AttentionMap h = new AttentionMap(40, 25, values);
        float[] back = AttentionMap.fromBytes(40, 25, h.toBytes()).values();
        for (int i = 0; i < values.length; i++) {
            assertThat(back[i]).isCloseTo(values[i], within(1f / 510 + 1e-6f));
        }
        assertThat(back[0]).isZero();
        assertThat(back[1]).isEqualTo(1f);
        assertThat(AttentionMap.quantize(new float[] {Float.NaN, -0.5f, 1.7f, 0.5f}))
                .containsExactly(0, 0, 255, 128);
        // Through a PNG as well.
        AttentionMap viaPng = PngMasks.decodeAttentionMap(PngMasks.encode(h), FrameLimits.DEFAULT);
        assertThat(viaPng.values()).isEqualTo(back);
    }
}
