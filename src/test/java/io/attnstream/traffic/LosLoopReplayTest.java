package io.attnstream.traffic;

import io.attnstream.platform.AttnstreamException;
import io.attnstream.schema.TrafficReading;
import io.attnstream.testing.TrafficFixtures;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LosLoopReplayTest {
    private static final Instant START = Instant.parse("2012-03-01T00:00:00Z");

    private static Path csv(Path dir, String content) throws Exception {
        return Files.writeString(dir.resolve("speeds.csv"), content, StandardCharsets.UTF_8);
    }

    @Test
    void replaysEveryCellAsAReadingWithItsHistoricalEventTime(@TempDir Path dir) throws Exception {
        Path file = csv(dir, "773869,767541\n64.375,67.625\n62.5,68.0\n");
        List<TrafficReading> readings = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        try (LosLoopReplay replay = new LosLoopReplay(file, "traffic.readings", "los-loop", 0, START)) {
            Optional<ProducerRecord<byte[], byte[]>> r;
            while ((r = replay.next(0)).isPresent()) {
                assertThat(r.get().topic()).isEqualTo("traffic.readings");
                keys.add(new String(r.get().key(), StandardCharsets.UTF_8));
                TrafficReading reading = TrafficFixtures.CODEC.decode(r.get().value());
                assertThat(r.get().timestamp()).isEqualTo(reading.getEventTime().toEpochMilli());
                readings.add(reading);
            }
        }
        assertThat(keys).containsExactly("773869", "767541", "773869", "767541");
        assertThat(readings).extracting(TrafficReading::getSpeedMph).containsExactly(64.375f, 67.625f, 62.5f, 68.0f);
        assertThat(readings).extracting(TrafficReading::getEventTime)
                .containsExactly(START, START, START.plusSeconds(300), START.plusSeconds(300));
        assertThat(readings).extracting(TrafficReading::getNetworkId).containsOnly("los-loop");
    }

    @Test
    void speedupPacesRowsInWallClockTime(@TempDir Path dir) throws Exception {
        Path file = csv(dir, "a,b\n1,2\n3,4\n5,6\n");
        // 60x: one five-minute row every 5 s of wall clock.
        try (LosLoopReplay replay = new LosLoopReplay(file, "t", "n", 60, START)) {
            long t0 = 1_000_000;
            assertThat(replay.dueAtMillis(t0)).isEqualTo(t0); // row 0 is due at once
            replay.next(t0);
            assertThat(replay.dueAtMillis(t0)).isEqualTo(t0); // rest of row 0: no wait
            replay.next(t0);
            assertThat(replay.dueAtMillis(t0 + 10)).isEqualTo(t0 + 5_000); // row 1 after 5 s
            replay.next(t0 + 5_000);
            replay.next(t0 + 5_000);
            assertThat(replay.dueAtMillis(t0 + 5_000)).isEqualTo(t0 + 10_000);
        }
    }

    @Test
    void rowWithTheWrongNumberOfValuesIsAClearErrorNamingTheLine(@TempDir Path dir) throws Exception {
        Path file = csv(dir, "a,b\n1,2\n3\n");
        try (LosLoopReplay replay = new LosLoopReplay(file, "t", "n", 0, START)) {
            replay.next(0);
            replay.next(0);
            assertThatThrownBy(() -> replay.next(0)).isInstanceOf(AttnstreamException.class)
                    .hasMessageContaining("line 3").hasMessageContaining("1 values for 2 sensors");
        }
    }

    @Test
    void nonNumericSpeedIsAClearErrorNamingLineAndColumn(@TempDir Path dir) throws Exception {
        Path file = csv(dir, "a,b\n1,x\n");
        try (LosLoopReplay replay = new LosLoopReplay(file, "t", "n", 0, START)) {
            replay.next(0);
            assertThatThrownBy(() -> replay.next(0)).hasMessageContaining("line 2 column 2").hasMessageContaining("'x'");
        }
    }

    @Test
    void emptyFileIsRejected(@TempDir Path dir) throws Exception {
        Path file = csv(dir, "");
        assertThatThrownBy(() -> new LosLoopReplay(file, "t", "n", 0, START))
                .isInstanceOf(AttnstreamException.class).hasMessageContaining("is empty");
    }
}
