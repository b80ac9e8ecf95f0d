package io.attnstream.traffic.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.platform.AttnstreamException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdjacencyTest {
    private static Path csv(Path dir, String content) throws Exception {
        return Files.writeString(dir.resolve("adj.csv"), content, StandardCharsets.UTF_8);
    }

    @Test
    void readsASquareMatrixWithoutHeader(@TempDir Path dir) throws Exception {
        Path file = csv(dir, "1,0.5,0\n0.5,1,0.100083977\n0,0.100083977,1\n");

        Adjacency a = Adjacency.readCsv(file, 3);

        assertThat(a.size()).isEqualTo(3);
        assertThat(a.weights()[1]).containsExactly(0.5f, 1f, 0.100083977f);
        assertThat(a.neighbours(0)).containsExactly(1);
        assertThat(a.neighbours(1)).containsExactly(0, 2);
        assertThat(a.isSymmetric()).isTrue();
    }

    @Test
    void weightsAreACopy(@TempDir Path dir) throws Exception {
        Adjacency a = Adjacency.readCsv(csv(dir, "1,2\n2,1\n"), 2);

        a.weights()[0][1] = 99;

        assertThat(a.weight(0, 1)).isEqualTo(2f);
    }

    @Test
    void aMatrixThatDoesNotMatchTheSensorCountIsAnErrorNamingTheFile(@TempDir Path dir)
            throws Exception {
        Path file = csv(dir, "1,0\n0,1\n");

        assertThatThrownBy(() -> Adjacency.readCsv(file, 3))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("line 1")
                .hasMessageContaining("expected 3");
    }

    @Test
    void aNonSquareMatrixIsAnError(@TempDir Path dir) throws Exception {
        Path file = csv(dir, "1,0,0\n0,1,0\n");

        assertThatThrownBy(() -> Adjacency.readCsv(file, 3))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("2 rows")
                .hasMessageContaining("square");
    }

    @Test
    void negativeNonFiniteAndNonNumericWeightsAreErrorsNamingLineAndColumn(@TempDir Path dir)
            throws Exception {
        assertThatThrownBy(() -> Adjacency.readCsv(csv(dir, "1,0\n-0.5,1\n"), 2))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining("line 2 column 1")
                .hasMessageContaining(">= 0");
        assertThatThrownBy(() -> Adjacency.readCsv(csv(dir, "1,NaN\n0,1\n"), 2))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining("line 1 column 2")
                .hasMessageContaining("finite");
        assertThatThrownBy(() -> Adjacency.readCsv(csv(dir, "1,x\n0,1\n"), 2))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining("'x' is not a number");
    }

    @Test
    void missingFileIsAClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> Adjacency.readCsv(dir.resolve("none.csv"), 2))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining("adjacency file not found")
                .hasMessageContaining("none.csv");
    }

    @Test
    void writeCsvRoundTrips(@TempDir Path dir) {
        Adjacency a =
                Adjacency.of(
                        new float[][] {
                            {1, 0.64118f, 0}, {0.64118f, 1, 0.17377f}, {0, 0.17377f, 1}
                        });
        Path file = dir.resolve("out.csv");

        a.writeCsv(file);

        assertThat(Adjacency.readCsv(file, 3).weights()).isDeepEqualTo(a.weights());
    }

    @Test
    void ofRejectsBadMatrices() {
        assertThatThrownBy(() -> Adjacency.of(new float[][] {{1, 2}}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Adjacency.of(new float[][] {{-1}}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Adjacency.of(new float[][] {{1, 0}, {2, 1}}).isSymmetric()).isFalse();
    }
}
