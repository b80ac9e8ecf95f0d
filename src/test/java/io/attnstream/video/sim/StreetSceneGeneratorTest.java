package io.attnstream.video.sim;

import static io.attnstream.video.sim.StreetSceneGenerator.BUILDING;
import static io.attnstream.video.sim.StreetSceneGenerator.CAR;
import static io.attnstream.video.sim.StreetSceneGenerator.PAVEMENT;
import static io.attnstream.video.sim.StreetSceneGenerator.PEDESTRIAN;
import static io.attnstream.video.sim.StreetSceneGenerator.ROAD;
import static io.attnstream.video.sim.StreetSceneGenerator.SKY;
import static io.attnstream.video.sim.StreetSceneGenerator.TREE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.video.image.Rgb;
import java.util.Arrays;
import java.util.Set;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class StreetSceneGeneratorTest {
    private static final int W = 160;
    private static final int H = 120;
    private final StreetSceneGenerator generator = new StreetSceneGenerator(7);

    private static int[] pixels(SceneFrame f) {
        return f.image().getRGB(0, 0, f.width(), f.height(), null, 0, f.width());
    }

    @Test
    void aFrameDependsOnlyOnSeedCameraAndFrameNumber() {
        SceneFrame a = generator.render(2, 17, W, H);
        generator.render(5, 3, W, H); // rendering something else in between changes nothing
        SceneFrame b = new StreetSceneGenerator(7).render(2, 17, W, H);

        assertThat(pixels(b)).isEqualTo(pixels(a));
        assertThat(b.labels()).isEqualTo(a.labels());
        assertThat(pixels(new StreetSceneGenerator(8).render(2, 17, W, H))).isNotEqualTo(pixels(a));
        assertThat(pixels(generator.render(3, 17, W, H))).isNotEqualTo(pixels(a));
    }

    @Test
    void anySizeGivesAPictureAndAMaskOfThatSize() {
        for (int[] size : new int[][] {{1, 1}, {37, 23}, {480, 360}, {90, 200}}) {
            SceneFrame f = generator.render(1, 4, size[0], size[1]);
            assertThat(f.width()).isEqualTo(size[0]);
            assertThat(f.height()).isEqualTo(size[1]);
            assertThat(f.labels()).hasSize(size[0] * size[1]);
        }
        // The same street at twice the resolution: the class shares barely change.
        double[] small = generator.render(1, 4, 240, 180).classShares(11);
        double[] large = generator.render(1, 4, 480, 360).classShares(11);
        for (int c = 0; c < 11; c++) {
            assertThat(large[c]).as("class %d", c).isCloseTo(small[c], Offset.offset(0.01));
        }
        assertThatThrownBy(() -> generator.render(0, 0, 0, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> generator.render(-1, 0, 10, 10))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void samplesHoldTheStreetClassesInPlausibleShares() {
        int n = 24;
        double[] mean = new double[12];
        int[] framesWith = new int[12];
        for (SceneFrame f : generator.samples(n, W, H)) {
            double[] s = f.classShares(12);
            for (int c = 0; c < 12; c++) {
                mean[c] += s[c] / n;
                framesWith[c] += s[c] > 0 ? 1 : 0;
            }
            for (byte b : f.labels()) {
                assertThat((int) b).isIn(0, 1, 2, 3, 4, 5, 6, 8, 9);
            }
        }
        // Every frame shows sky, buildings or park trees, road and sidewalk; nearly every one shows
        // cars.
        assertThat(framesWith[SKY]).isEqualTo(n);
        assertThat(framesWith[ROAD]).isEqualTo(n);
        assertThat(framesWith[PAVEMENT]).isEqualTo(n);
        assertThat(framesWith[CAR]).isGreaterThanOrEqualTo(n - 2);
        assertThat(framesWith[PEDESTRIAN]).isGreaterThanOrEqualTo(n / 3);
        assertThat(framesWith[TREE]).isGreaterThanOrEqualTo(n / 3);
        // Shares close to a street camera's (CamVid: sky 15 %, building 23 %, road 28 %, sidewalk 7
        // %).
        assertThat(mean[SKY]).isBetween(0.05, 0.35);
        assertThat(mean[BUILDING]).isBetween(0.15, 0.55);
        assertThat(mean[ROAD]).isBetween(0.12, 0.45);
        assertThat(mean[PAVEMENT]).isBetween(0.04, 0.25);
        assertThat(mean[TREE]).isBetween(0.02, 0.3);
        assertThat(mean[CAR]).isBetween(0.01, 0.12);
        assertThat(mean[PEDESTRIAN]).isBetween(0.0005, 0.03);
        assertThat(mean[StreetSceneGenerator.POLE] + mean[StreetSceneGenerator.SIGN_SYMBOL])
                .isBetween(0.002, 0.05);
    }

    @Test
    void carsAndPedestriansMoveBetweenConsecutiveFramesWhileTheStreetStaysPut() {
        int totalMoving = 0;
        for (int camera = 0; camera < 4; camera++) {
            SceneFrame a = generator.render(camera, 40, W, H);
            SceneFrame b = generator.render(camera, 41, W, H);
            int[] pa = pixels(a);
            int[] pb = pixels(b);
            int movingChanged = 0;
            int staticChanged = 0;
            double stepSame = 0;
            double stepChanged = 0;
            int nSame = 0;
            for (int i = 0; i < a.labels().length; i++) {
                boolean movingA = a.labels()[i] == CAR || a.labels()[i] == PEDESTRIAN;
                boolean movingB = b.labels()[i] == CAR || b.labels()[i] == PEDESTRIAN;
                double step = colourStep(pa[i], pb[i]);
                if (movingA != movingB) {
                    movingChanged++;
                    stepChanged += step;
                } else if (!movingA) {
                    nSame++;
                    stepSame += step;
                    if (a.labels()[i] != b.labels()[i]) {
                        staticChanged++;
                    }
                }
            }
            assertThat(movingChanged)
                    .as("camera %d: pixels entering or leaving a car or pedestrian", camera)
                    .isPositive();
            assertThat(staticChanged)
                    .as("camera %d: street pixels changing class", camera)
                    .isZero();
            assertThat(nSame).isGreaterThan(W * H / 2);
            // The picture changes where the labels do, and only there (beyond sensor noise and
            // flicker).
            assertThat(stepChanged / movingChanged)
                    .as("camera %d", camera)
                    .isGreaterThan(3 * stepSame / nSame);
            totalMoving += movingChanged;
        }
        assertThat(totalMoving).isGreaterThan(200);
    }

    private static double colourStep(int a, int b) {
        return Math.abs(Rgb.red(a) - Rgb.red(b))
                + Math.abs(Rgb.green(a) - Rgb.green(b))
                + Math.abs(Rgb.blue(a) - Rgb.blue(b));
    }

    @Test
    void labelBoundariesAreImageEdgesToThePixel() {
        // Where the label changes between horizontal neighbours the colour jumps; inside a region
        // it does not. A mask one pixel off (anti-aliased, or drawn apart from the picture) would
        // lose most of that contrast.
        double aligned = 0;
        double shifted = 0;
        for (int camera = 0; camera < 6; camera++) {
            SceneFrame f = generator.render(camera, 9, 240, 180);
            aligned += edgeContrast(f, 0) / 6;
            shifted += edgeContrast(f, 1) / 6;
        }
        assertThat(aligned).isGreaterThan(3.0);
        assertThat(shifted).isLessThan(0.6 * aligned);
    }

    /**
     * Mean colour step across label changes over mean step within regions, with the mask moved by
     * dx.
     */
    private static double edgeContrast(SceneFrame f, int dx) {
        int[] rgb = pixels(f);
        double across = 0;
        double within = 0;
        long nAcross = 0;
        long nWithin = 0;
        for (int y = 0; y < f.height(); y++) {
            for (int x = 1 + dx; x < f.width() - 1; x++) {
                double step = colourStep(rgb[y * f.width() + x - 1], rgb[y * f.width() + x]);
                if (f.label(x - 1 - dx, y) != f.label(x - dx, y)) {
                    across += step;
                    nAcross++;
                } else {
                    within += step;
                    nWithin++;
                }
            }
        }
        return (across / nAcross) / (within / nWithin);
    }

    @Test
    void pixelsLookLikeTheirClass() {
        SceneFrame f = generator.render(0, 12, 240, 180);
        int skyBottom = -1;
        int roadTop = f.height();
        int grey = 0;
        int road = 0;
        for (int y = 0; y < f.height(); y++) {
            for (int x = 0; x < f.width(); x++) {
                int c = f.label(x, y);
                if (c == SKY) {
                    skyBottom = Math.max(skyBottom, y);
                } else if (c == ROAD) {
                    roadTop = Math.min(roadTop, y);
                    int p = f.image().getRGB(x, y);
                    int max = Math.max(Rgb.red(p), Math.max(Rgb.green(p), Rgb.blue(p)));
                    int min = Math.min(Rgb.red(p), Math.min(Rgb.green(p), Rgb.blue(p)));
                    road++;
                    grey += max - min < 45 ? 1 : 0;
                }
            }
        }
        assertThat(skyBottom).as("sky ends above the road").isLessThan(roadTop);
        // Lane marks are white and sensor noise and white balance tint the grey a little.
        assertThat((double) grey / road).as("road pixels are asphalt grey").isGreaterThan(0.85);
    }

    @Test
    void camerasDifferInColourAndLighting() {
        double[] roadBrightness = new double[8];
        double[] skyBlueness = new double[8];
        for (int camera = 0; camera < 8; camera++) {
            SceneFrame f = generator.render(camera, 0, W, H);
            double[] sum = new double[2];
            int[] n = new int[2];
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int p = f.image().getRGB(x, y);
                    if (f.label(x, y) == ROAD) {
                        sum[0] += (Rgb.red(p) + Rgb.green(p) + Rgb.blue(p)) / 3.0;
                        n[0]++;
                    } else if (f.label(x, y) == SKY) {
                        sum[1] += Rgb.blue(p) - Rgb.red(p);
                        n[1]++;
                    }
                }
            }
            roadBrightness[camera] = sum[0] / n[0];
            skyBlueness[camera] = sum[1] / n[1];
        }
        assertThat(range(roadBrightness)).isGreaterThan(25);
        assertThat(range(skyBlueness)).isGreaterThan(30);
        assertThat(Set.of(Arrays.stream(roadBrightness).boxed().toArray())).hasSize(8);
    }

    private static double range(double[] v) {
        return Arrays.stream(v).max().orElseThrow() - Arrays.stream(v).min().orElseThrow();
    }
}
