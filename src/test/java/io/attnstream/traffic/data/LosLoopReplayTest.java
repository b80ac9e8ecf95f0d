package io.attnstream.traffic.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.platform.AttnstreamException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LosLoopReplayTest {
    private static Path csv(Path dir, String content) throws Exception {
        return Files.writeString(dir.resolve("speeds.csv"), content, StandardCharsets.UTF_8);
    }

    @Test
    void streamsRowsWithMissingValuesAsNaN(@TempDir Path dir) throws Exception {
        Path file = csv(dir, "773869,767541\n64.375,67.625\n\n0,NA\n62.5,\n");
        try (LosLoopReplay replay = new LosLoopReplay(file)) {
            assertThat(replay.sensorIds()).containsExactly("773869", "767541");
            assertThat(replay.next()).containsExactly(64.375f, 67.625f);
            assertThat(replay.next()).containsExactly(Float.NaN, Float.NaN);
            assertThat(replay.next()).containsExactly(62.5f, Float.NaN);
            assertThat(replay.next()).isNull();
            assertThat(replay.rowsRead()).isEqualTo(3);
        }
    }

    @Test
    void rowWithTheWrongNumberOfValuesIsAClearErrorNamingTheLine(@TempDir Path dir)
            throws Exception {
        Path file = csv(dir, "a,b\n1,2\n3\n");
        try (LosLoopReplay replay = new LosLoopReplay(file)) {
            replay.next();
            assertThatThrownBy(replay::next)
                    .isInstanceOf(AttnstreamException.class)
                    .hasMessageContaining("line 3")
                    .hasMessageContaining("1 values for 2 sensors");
        }
    }

    @Test
    void nonNumericSpeedIsAClearErrorNamingLineAndColumn(@TempDir Path dir) throws Exception {
        Path file = csv(dir, "a,b\n\n1,x\n");
        try (LosLoopReplay replay = new LosLoopReplay(file)) {
            assertThatThrownBy(replay::next)
                    .hasMessageContaining("line 3 column 2")
                    .hasMessageContaining("'x'");
        }
    }

    @Test
    void emptyFileAndDuplicateIdsAreRejected(@TempDir Path dir) throws Exception {
        Path empty = csv(dir, "");
        assertThatThrownBy(() -> new LosLoopReplay(empty))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining("is empty");
        Path dup = Files.writeString(dir.resolve("dup.csv"), "a,a\n1,2\n");
        assertThatThrownBy(() -> new LosLoopReplay(dup))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining("duplicate sensor id 'a'");
        assertThatThrownBy(() -> new LosLoopReplay(dir.resolve("absent.csv")))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining("data file not found");
    }
}
