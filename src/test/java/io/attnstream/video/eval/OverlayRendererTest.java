package io.attnstream.video.eval;

import static io.attnstream.video.VideoFixtures.gradient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.platform.AttnstreamException;
import io.attnstream.video.data.SegmentationClasses;
import io.attnstream.video.image.AttentionMap;
import io.attnstream.video.image.LabelMap;
import io.attnstream.video.image.PixelFont;
import io.attnstream.video.image.Rgb;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverlayRendererTest {
    private static final SegmentationClasses CLASSES = SegmentationClasses.camVid();
    private static final int W = 40;
    private static final int H = 30;

    /**
     * Left half road (3), right half car (8), bottom-right corner void (11); at half resolution.
     */
    private static LabelMap halfResolutionMask() {
        byte[] m = new byte[20 * 15];
        for (int y = 0; y < 15; y++) {
            for (int x = 0; x < 20; x++) {
                m[y * 20 + x] = (byte) (x < 10 ? 3 : y >= 12 && x >= 17 ? 11 : 8);
            }
        }
        return new LabelMap(20, 15, m);
    }

    /** 0 in the left column, 1 in the right column. */
    private static AttentionMap leftToRight() {
        return new AttentionMap(2, 1, new float[] {0f, 1f});
    }

    @Test
    void threePanelsAtTheFramesSize() {
        BufferedImage frame = gradient(W, H);
        BufferedImage out =
                new OverlayRenderer(CLASSES, false)
                        .render(frame, halfResolutionMask(), leftToRight(), "x");
        assertThat(out.getWidth()).isEqualTo(3 * W);
        assertThat(out.getHeight()).isEqualTo(H);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int p = frame.getRGB(x, y) & 0xFFFFFF;
                assertThat(out.getRGB(x, y) & 0xFFFFFF).isEqualTo(p);
                int c = x < W / 2 ? 3 : y >= 24 && x >= 34 ? 11 : 8;
                int expected =
                        c == 11 ? p : Rgb.mix(p, CLASSES.colour(c), OverlayRenderer.MASK_ALPHA);
                assertThat(out.getRGB(W + x, y) & 0xFFFFFF)
                        .as("mask panel at %d,%d", x, y)
                        .isEqualTo(expected);
            }
        }
        // The heatmap panel: blue on the left (0), red on the right (1), blended with the frame.
        int left = out.getRGB(2 * W, 10);
        int right = out.getRGB(3 * W - 1, 10);
        assertThat(left)
                .isEqualTo(
                        0xFF000000
                                | Rgb.mix(
                                        frame.getRGB(0, 10) & 0xFFFFFF,
                                        OverlayRenderer.jet(0),
                                        OverlayRenderer.HEAT_ALPHA));
        assertThat(Rgb.blue(left)).isGreaterThan(Rgb.red(left));
        int under = frame.getRGB(W - 1, 10);
        assertThat(Rgb.red(right) - Rgb.blue(right))
                .isGreaterThan(Rgb.red(under) - Rgb.blue(under));
    }

    @Test
    void jetRunsFromBlueThroughGreenToRed() {
        assertThat(OverlayRenderer.jet(0)).isEqualTo(Rgb.of(0, 0, 128));
        assertThat(OverlayRenderer.jet(0.5)).isEqualTo(Rgb.of(128, 255, 128));
        assertThat(OverlayRenderer.jet(1)).isEqualTo(Rgb.of(128, 0, 0));
        assertThat(OverlayRenderer.jet(Double.NaN)).isEqualTo(OverlayRenderer.jet(0));
        assertThat(OverlayRenderer.jet(7)).isEqualTo(OverlayRenderer.jet(1));
    }

    @Test
    void captionsAddATitleBarAndALegendOfThePresentClasses() {
        BufferedImage frame = gradient(240, 180);
        LabelMap mask = new LabelMap(2, 1, new byte[] {3, 8});
        BufferedImage plain =
                new OverlayRenderer(CLASSES, false).render(frame, mask, leftToRight(), "cam-0 #1");
        BufferedImage captioned =
                new OverlayRenderer(CLASSES).render(frame, mask, leftToRight(), "cam-0 #1");
        assertThat(captioned.getWidth()).isEqualTo(720);
        int bar = PixelFont.GLYPH_HEIGHT + 4; // title bar height at scale 1
        assertThat(captioned.getHeight()).isGreaterThan(180 + bar);
        // The panels are the same picture, moved down below the title bar.
        for (int x = 0; x < 720; x += 7) {
            assertThat(captioned.getRGB(x, bar + 90)).isEqualTo(plain.getRGB(x, 90));
        }
        // Title text is drawn (light pixels in the dark bar); the legend has the road and car
        // swatches.
        long light =
                Arrays.stream(captioned.getRGB(0, 0, 240, bar, null, 0, 240))
                        .filter(p -> Rgb.green(p) > 200)
                        .count();
        assertThat(light).isGreaterThan(20);
        int[] legend =
                captioned.getRGB(
                        0, bar + 180, 480, captioned.getHeight() - bar - 180, null, 0, 480);
        assertThat(Arrays.stream(legend).map(p -> p & 0xFFFFFF))
                .contains(CLASSES.colour(3), CLASSES.colour(8))
                .doesNotContain(CLASSES.colour(0));
    }

    @Test
    void writeLeavesOneReadablePng(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("overlays/cam-0.png");
        OverlayRenderer r = new OverlayRenderer(CLASSES);
        r.write(file, gradient(W, H), halfResolutionMask(), leftToRight(), "cam-0");
        r.write(
                file,
                gradient(W, H),
                halfResolutionMask(),
                leftToRight(),
                "cam-0"); // replaced, not appended
        BufferedImage back = ImageIO.read(file.toFile());
        assertThat(back.getWidth()).isEqualTo(3 * W);
        try (var files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .containsExactly("cam-0.png");
        }
        Path blocked = Files.writeString(dir.resolve("file"), "x").resolve("cam.png");
        assertThatThrownBy(
                        () ->
                                r.write(
                                        blocked,
                                        gradient(W, H),
                                        halfResolutionMask(),
                                        leftToRight(),
                                        "t"))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining(blocked.toString());
    }
}
