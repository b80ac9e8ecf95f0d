package io.attnstream.video;

import io.attnstream.platform.AttnstreamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClassPaletteTest {
    @Test
    void camVidHasElevenClassesAndAVoid() {
        ClassPalette p = ClassPalette.camVid();
        assertThat(p.size()).isEqualTo(11);
        assertThat(p.names()).startsWith("Sky", "Building", "Pole", "Road").endsWith("Pedestrian", "Bicyclist");
        assertThat(p.colour(3)).isEqualTo(Rgb.of(128, 64, 128));
        assertThat(p.colour(8)).isEqualTo(Rgb.of(64, 0, 128));
        assertThat(p.voidIndex()).isEqualTo(11);
        assertThat(p.isClass(11)).isFalse();
        assertThat(p.colour(11)).isZero();
        assertThat(p.colour(200)).isZero();
        assertThat(p.name(11)).isEqualTo("void");
    }

    @Test
    void aClassListFileInCamVidsFormatGivesTheSamePalette(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("classes.txt"), """
                # index name r,g,b
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
                11 Unlabelled 0,0,0   (ignore_label 11)
                """);
        ClassPalette read = ClassPalette.read(file, 11);
        ClassPalette camVid = ClassPalette.camVid();
        assertThat(read.names()).isEqualTo(camVid.names());
        for (int c = 0; c < 12; c++) {
            assertThat(read.colour(c)).isEqualTo(camVid.colour(c));
        }
    }

    @Test
    void badClassListsNameTheFileAndLine(@TempDir Path dir) throws Exception {
        Path gap = Files.writeString(dir.resolve("gap.txt"), "0 Sky 1,2,3\n2 Road 4,5,6\n");
        assertThatThrownBy(() -> ClassPalette.read(gap, 11)).isInstanceOf(AttnstreamException.class)
                .hasMessageContaining("gap.txt").hasMessageContaining("without gaps");
        Path bad = Files.writeString(dir.resolve("bad.txt"), "0 Sky 1,2,3\n1 Road\n");
        assertThatThrownBy(() -> ClassPalette.read(bad, 11)).isInstanceOf(AttnstreamException.class)
                .hasMessageContaining("bad.txt line 2");
        assertThatThrownBy(() -> ClassPalette.read(dir.resolve("none.txt"), 11)).isInstanceOf(AttnstreamException.class)
                .hasMessageContaining("none.txt");
    }
}
