package io.attnstream.video.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.platform.AttnstreamException;
import io.attnstream.video.image.LabelMap;
import io.attnstream.video.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CamVidTest {
    private static final SegmentationClasses CAMVID = SegmentationClasses.camVid();

    /** A frame whose red channel is 10 x + y, and labels (x + y) % 12 (so void 11 occurs). */
    private static void writePair(Path images, Path labels, String name, int width, int height)
            throws IOException {
        Files.createDirectories(images);
        Files.createDirectories(labels);
        byte[] rgb = new byte[3 * width * height];
        byte[] classes = new byte[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                rgb[3 * (y * width + x)] = (byte) (10 * x + y);
                rgb[3 * (y * width + x) + 2] = (byte) 99;
                classes[y * width + x] = (byte) ((x + y) % 12);
            }
        }
        ImageIO.write(
                new RgbImage(width, height, rgb).toBufferedImage(),
                "png",
                images.resolve(name + ".png").toFile());
        ImageIO.write(
                new LabelMap(width, height, classes).toGrayImage(),
                "png",
                labels.resolve(name + ".png").toFile());
    }

    @Test
    void readsSegNetStyleSplitsPairedByNameInNameOrder(@TempDir Path root) throws IOException {
        writePair(root.resolve("train"), root.resolve("trainannot"), "b", 6, 4);
        writePair(root.resolve("train"), root.resolve("trainannot"), "a", 5, 3);

        List<SegmentationSample> samples = CamVid.load(root, "train", CAMVID);

        assertThat(samples).extracting(SegmentationSample::name).containsExactly("a.png", "b.png");
        SegmentationSample b = samples.get(1);
        assertThat(b.width()).isEqualTo(6);
        assertThat(b.height()).isEqualTo(4);
        assertThat(b.image().at(4, 3, 0)).isEqualTo(43);
        assertThat(b.image().at(4, 3, 2)).isEqualTo(99);
        assertThat(b.labels().at(4, 3)).isEqualTo(7);
        assertThat(b.labels().at(5, 4 - 1)).isEqualTo(8);
        assertThat(samples.get(0).labels().at(4, 2)).as("void kept as its index").isEqualTo(6);
    }

    @Test
    void alsoReadsImagesAndLabelsFolders(@TempDir Path root) throws IOException {
        writePair(root.resolve("val/images"), root.resolve("val/labels"), "x", 4, 4);
        writePair(root.resolve("images"), root.resolve("labels"), "y", 4, 4);

        assertThat(CamVid.load(root, "val", CAMVID))
                .extracting(SegmentationSample::name)
                .containsExactly("x.png");
        assertThat(CamVid.load(root, "test", CAMVID))
                .extracting(SegmentationSample::name)
                .containsExactly("y.png");
    }

    @Test
    void aMissingSplitNamesTheLayoutsTried(@TempDir Path root) {
        assertThatThrownBy(() -> CamVid.load(root, "test", CAMVID))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage(
                        "no split 'test' under "
                                + root
                                + ": expected test/ with testannot/, test/images/ with"
                                + " test/labels/, or images/ with labels/");
    }

    @Test
    void aFrameWithoutLabelOrALabelWithoutFrameIsNamed(@TempDir Path root) throws IOException {
        writePair(root.resolve("train"), root.resolve("trainannot"), "a", 4, 4);
        Files.copy(root.resolve("train/a.png"), root.resolve("train/lonely.png"));

        assertThatThrownBy(() -> CamVid.load(root, "train", CAMVID))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage(
                        "frame "
                                + root.resolve("train/lonely.png")
                                + " has no label of the same name in "
                                + root.resolve("trainannot"));

        Files.delete(root.resolve("train/lonely.png"));
        Files.copy(root.resolve("trainannot/a.png"), root.resolve("trainannot/orphan.png"));
        assertThatThrownBy(() -> CamVid.load(root, "train", CAMVID))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage(
                        "label "
                                + root.resolve("trainannot/orphan.png")
                                + " has no frame of the same name in "
                                + root.resolve("train"));
    }

    @Test
    void sizesThatDifferAreNamed(@TempDir Path root) throws IOException {
        writePair(root.resolve("train"), root.resolve("trainannot"), "a", 4, 4);
        writePair(root.resolve("other"), root.resolve("otherannot"), "a", 5, 4);
        Files.copy(
                root.resolve("otherannot/a.png"),
                root.resolve("trainannot/a.png"),
                StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(() -> CamVid.load(root, "train", CAMVID))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage(
                        "label "
                                + root.resolve("trainannot/a.png")
                                + " is 5 x 4 but its frame "
                                + root.resolve("train/a.png")
                                + " is 4 x 4");
    }

    @Test
    void aLabelValueOutsideTheClassesAndVoidIsNamedWithItsPixel(@TempDir Path root)
            throws IOException {
        writePair(root.resolve("train"), root.resolve("trainannot"), "a", 4, 4);
        BufferedImage labels = new LabelMap(4, 4, new byte[16]).toGrayImage();
        labels.getRaster().setSample(2, 1, 0, 12);
        ImageIO.write(labels, "png", root.resolve("trainannot/a.png").toFile());

        assertThatThrownBy(() -> CamVid.load(root, "train", CAMVID))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage(
                        "label "
                                + root.resolve("trainannot/a.png")
                                + " has the value 12 at (2, 1): values must be"
                                + " classes 0..10 or void 11");
    }

    @Test
    void colourLabelsAndUndecodableFilesAreRejected(@TempDir Path root) throws IOException {
        writePair(root.resolve("train"), root.resolve("trainannot"), "a", 4, 4);
        Files.copy(
                root.resolve("train/a.png"),
                root.resolve("trainannot/a.png"),
                StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> CamVid.load(root, "train", CAMVID))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage(
                        "label "
                                + root.resolve("trainannot/a.png")
                                + " has 3 channels: labels must be"
                                + " one-channel (grey or palette) PNGs of class indices");

        Files.writeString(root.resolve("train/a.png"), "not a png");
        assertThatThrownBy(() -> CamVid.load(root, "train", CAMVID))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage(
                        root.resolve("train/a.png")
                                + " is not an image ImageIO can read (PNG, JPEG, BMP)");
    }

    @Test
    void classesComeFromClassesTxtWhenPresentElseCamVidsOwn(@TempDir Path root) throws IOException {
        assertThat(CamVid.classes(root, 11)).isEqualTo(CAMVID);
        assertThat(CamVid.classes(root, 255).voidIndex()).isEqualTo(255);

        Files.writeString(root.resolve("classes.txt"), "0 Sky 1,2,3\n1 Road 4,5,6\n2 void 0,0,0\n");
        SegmentationClasses read = CamVid.classes(root, 2);
        assertThat(read.names()).containsExactly("Sky", "Road");
        assertThat(read.voidIndex()).isEqualTo(2);
    }
}
