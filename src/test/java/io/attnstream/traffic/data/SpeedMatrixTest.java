package io.attnstream.traffic.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.platform.AttnstreamException;
import io.attnstream.traffic.SpeedMatrixFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpeedMatrixTest {
    private static final float NAN = Float.NaN;

    private static Path csv(Path dir, String content) throws Exception {
        return Files.writeString(dir.resolve("speeds.csv"), content, StandardCharsets.UTF_8);
    }

    /**
     * Row by row, because AssertJ's deep equality of 2-D float arrays treats NaN as unequal to
     * itself.
     */
    private static void assertRows(SpeedMatrix m, float[][] expected) {
        assertThat(m.steps()).isEqualTo(expected.length);
        for (int t = 0; t < expected.length; t++) {
            assertThat(m.speeds()[t]).as("row %d", t).containsExactly(expected[t]);
        }
    }

    @Test
    void emptyNanNaAndZeroCellsAreMissing(@TempDir Path dir) throws Exception {
        Path file = csv(dir, "a, b ,c\n1,,NaN\nnan,NA,0\n0, 2.5 ,3\n64.375,67.625,\n");

        SpeedMatrix m = SpeedMatrix.readCsv(file);

        assertThat(m.sensorIds()).containsExactly("a", "b", "c");
        assertRows(
                m,
                new float[][] {
                    {1, NAN, NAN},
                    {NAN, NAN, NAN},
                    {NAN, 2.5f, 3},
                    {64.375f, 67.625f, NAN}
                });
        assertThat(m.missingCount()).isEqualTo(7);
    }

    @Test
    void zeroIsASpeedWhenToldSo(@TempDir Path dir) throws Exception {
        Path file = csv(dir, "a,b\n0,NA\n0.0,5\n");

        SpeedMatrix m = SpeedMatrix.readCsv(file, false);

        assertRows(m, new float[][] {{0, NAN}, {0, 5}});
        assertThat(m.missingCount()).isEqualTo(1);
    }

    @Test
    void negativeSpeedIsAnErrorNamingFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path file = csv(dir, "a,b\n1,2\n3,-4\n");

        assertThatThrownBy(() -> SpeedMatrix.readCsv(file))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("line 3 column 2")
                .hasMessageContaining("'-4'");
    }

    @Test
    void nonNumericValueIsAnErrorNamingFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path file = csv(dir, "a,b\n1,fast\n");

        assertThatThrownBy(() -> SpeedMatrix.readCsv(file))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("line 2 column 2")
                .hasMessageContaining("'fast' is not a number");
    }

    @Test
    void infiniteSpeedIsAnError(@TempDir Path dir) throws Exception {
        Path file = csv(dir, "a\nInfinity\n");

        assertThatThrownBy(() -> SpeedMatrix.readCsv(file))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining("line 2 column 1");
    }

    @Test
    void rowOfTheWrongWidthIsAnError(@TempDir Path dir) throws Exception {
        Path file = csv(dir, "a,b\n1,2\n3\n");

        assertThatThrownBy(() -> SpeedMatrix.readCsv(file))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining("line 3")
                .hasMessageContaining("1 values for 2 sensors");
    }

    @Test
    void duplicateSensorIdIsAnError(@TempDir Path dir) throws Exception {
        Path file = csv(dir, "a,b,a\n1,2,3\n");

        assertThatThrownBy(() -> SpeedMatrix.readCsv(file))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("duplicate sensor id 'a'");
    }

    @Test
    void emptyAndAbsentFilesAreClearErrors(@TempDir Path dir) throws Exception {
        Path empty = csv(dir, "");

        assertThatThrownBy(() -> SpeedMatrix.readCsv(empty))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining("is empty");
        assertThatThrownBy(() -> SpeedMatrix.readCsv(dir.resolve("nope.csv")))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining("data file not found")
                .hasMessageContaining("nope.csv");
    }

    @Test
    void rowsSelectsAHalfOpenRangeSharingTheRowArrays() {
        SpeedMatrix m = SpeedMatrixFixtures.linearRise(5, 2, 10f);

        SpeedMatrix part = m.rows(1, 3);

        assertThat(part.steps()).isEqualTo(2);
        assertThat(part.sensorIds()).isEqualTo(m.sensorIds());
        assertThat(part.speeds()[0]).isSameAs(m.speeds()[1]);
        assertThat(part.speeds()[1][0]).isEqualTo(12f);
        assertThat(m.rows(5, 5).steps()).isZero();
        assertThatThrownBy(() -> m.rows(3, 6)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
