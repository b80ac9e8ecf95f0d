package io.attnstream.traffic.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.schema.TrafficReading;
import io.attnstream.testing.TrafficFixtures;
import io.attnstream.traffic.data.SpeedMatrix;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrafficReadingStreamTest {
    private static final Instant START = Instant.parse("2012-03-01T00:00:00Z");
    private static final long STEP_MS = 300_000;
    private static final long JITTER_MS = (long) (STEP_MS * TrafficReadingStream.JITTER_FRACTION);

    private static Path csv(Path dir, String content) throws Exception {
        return Files.writeString(dir.resolve("speeds.csv"), content, StandardCharsets.UTF_8);
    }

    private static List<ProducerRecord<byte[], byte[]>> drain(TrafficReadingStream s, int max) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        Optional<ProducerRecord<byte[], byte[]>> r;
        while (out.size() < max && (r = s.next(0)).isPresent()) {
            out.add(r.get());
        }
        return out;
    }

    private static TrafficReading decode(ProducerRecord<byte[], byte[]> r) throws Exception {
        return TrafficFixtures.CODEC.decode(r.value());
    }

    private static String key(ProducerRecord<byte[], byte[]> r) {
        return new String(r.key(), StandardCharsets.UTF_8);
    }

    @Test
    void replayTurnsEveryObservedCellIntoAReadingInItsStepAndSkipsMissingOnes(@TempDir Path dir)
            throws Exception {
        Path file = csv(dir, "773869,767541,700000\n64.375,67.625,0\n62.5,,68.0\n");
        try (TrafficReadingStream s =
                TrafficReadingStream.replay(
                        file,
                        "traffic.readings",
                        "los-loop",
                        0,
                        START,
                        300,
                        ReadingFaults.none(),
                        1)) {
            List<ProducerRecord<byte[], byte[]>> records = drain(s, 100);

            assertThat(records).hasSize(4);
            assertThat(s.missingInSource()).isEqualTo(2);
            assertThat(s.emitted()).isEqualTo(4);
            long previous = Long.MIN_VALUE;
            List<String> row0 = new ArrayList<>();
            List<Float> speeds = new ArrayList<>();
            for (ProducerRecord<byte[], byte[]> r : records) {
                TrafficReading reading = decode(r);
                long t = reading.getEventTime().toEpochMilli();
                long row = (t - START.toEpochMilli()) / STEP_MS;
                assertThat(r.topic()).isEqualTo("traffic.readings");
                assertThat(key(r)).isEqualTo(reading.getSensorId());
                assertThat(r.timestamp()).isEqualTo(t);
                assertThat(reading.getNetworkId()).isEqualTo("los-loop");
                assertThat(t - START.toEpochMilli() - row * STEP_MS)
                        .as("jitter inside the interval")
                        .isBetween(0L, JITTER_MS);
                assertThat(t).as("event-time order").isGreaterThanOrEqualTo(previous);
                previous = t;
                if (row == 0) {
                    row0.add(reading.getSensorId());
                }
                speeds.add(reading.getSpeedMph());
            }
            assertThat(row0).containsExactlyInAnyOrder("773869", "767541");
            assertThat(speeds).containsExactlyInAnyOrder(64.375f, 67.625f, 62.5f, 68.0f);
            assertThat(s.next(0)).isEmpty();
        }
    }

    @Test
    void replayPacesRowsByEventTimeDividedByTheSpeedup(@TempDir Path dir) throws Exception {
        Path file = csv(dir, "a,b\n1,2\n3,4\n5,6\n");
        // 60x: one five-minute row every 5 s of wall clock (plus the reading's jitter / 60, at most
        // 1 s).
        try (TrafficReadingStream s =
                TrafficReadingStream.replay(
                        file, "t", "n", 60, START, 300, ReadingFaults.none(), 1)) {
            long t0 = 1_000_000;
            for (int row = 0; row < 3; row++) {
                for (int k = 0; k < 2; k++) {
                    long due = s.dueAtMillis(t0);
                    assertThat(due - t0)
                            .as("row %d", row)
                            .isBetween(row * 5_000L, row * 5_000L + 1_000);
                    ProducerRecord<byte[], byte[]> r = s.next(due).orElseThrow();
                    long eventOffset = r.timestamp() - START.toEpochMilli();
                    assertThat(due).isEqualTo(t0 + eventOffset / 60);
                }
            }
            assertThat(s.next(t0)).isEmpty();
        }
    }

    @Test
    void simulatorEmitsOneFullStepOfAllSensorsPerStepWithItsTrueSpeeds() throws Exception {
        RoadNetworkSimulator sim =
                RoadNetworkSimulator.builder()
                        .sensors(6)
                        .corridors(2)
                        .seed(3)
                        .missingRate(0)
                        .start(Instant.parse("2024-01-01T00:00:00Z"))
                        .build();
        TrafficReadingStream s =
                TrafficReadingStream.simulated(sim, "t", "sim-net", 60, ReadingFaults.none(), 2);

        long t0 = 5_000_000;
        for (int step = 0; step < 3; step++) {
            List<String> sensors = new ArrayList<>();
            for (int k = 0; k < 6; k++) {
                long due = s.dueAtMillis(t0);
                assertThat(due - t0).isBetween(step * 5_000L, step * 5_000L + 1_000);
                ProducerRecord<byte[], byte[]> r = s.next(due).orElseThrow();
                TrafficReading reading = decode(r);
                long offset = reading.getEventTime().toEpochMilli() - sim.startEpochMillis();
                assertThat(offset / STEP_MS).isEqualTo(step);
                int sensor = sim.sensorIds().indexOf(reading.getSensorId());
                assertThat(reading.getSpeedMph()).isEqualTo(sim.speedAt(sensor, step));
                sensors.add(reading.getSensorId());
            }
            assertThat(sensors).containsExactlyInAnyOrderElementsOf(sim.sensorIds());
        }
        assertThat(s.steps()).isEqualTo(3);
    }

    @Test
    void simulatorDropoutsProduceNoReading() {
        RoadNetworkSimulator sim =
                RoadNetworkSimulator.builder().sensors(10).seed(3).missingRate(0.1).build();
        SpeedMatrix expected =
                RoadNetworkSimulator.builder()
                        .sensors(10)
                        .seed(3)
                        .missingRate(0.1)
                        .build()
                        .simulate(100);
        TrafficReadingStream s =
                TrafficReadingStream.simulated(sim, "t", "n", 0, ReadingFaults.none(), 2);

        int observed = 100 * 10 - expected.missingCount();
        List<ProducerRecord<byte[], byte[]>> records = drain(s, observed);

        assertThat(records).hasSize(observed);
        assertThat(s.missingInSource()).isEqualTo(expected.missingCount());
        assertThat(s.steps()).isEqualTo(100);
    }

    @Test
    void liveClockStampsReadingsWithTheWallClockAlignedToTheCompressedStep() throws Exception {
        RoadNetworkSimulator sim =
                RoadNetworkSimulator.builder().sensors(4).seed(3).missingRate(0).build();
        TrafficReadingStream s =
                TrafficReadingStream.live(sim, "t", "n", 60, ReadingFaults.none(), 2);
        long now = 1_700_000_003_210L;
        long aligned = now / 5_000 * 5_000; // 60x: steps of 5 s

        long firstDue = s.dueAtMillis(now);
        ProducerRecord<byte[], byte[]> first = s.next(now).orElseThrow();
        drain(s, 3);
        ProducerRecord<byte[], byte[]> secondStep = s.next(now).orElseThrow();

        assertThat(first.timestamp()).as("due when it happens").isEqualTo(firstDue);
        assertThat(first.timestamp() - aligned).isBetween(0L, 1_000L);
        assertThat(decode(secondStep).getEventTime().toEpochMilli() - aligned)
                .isBetween(5_000L, 6_000L);
        assertThatThrownBy(
                        () -> TrafficReadingStream.live(sim, "t", "n", 0, ReadingFaults.none(), 2))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void injectedFaultsReachTheWireAndAreCounted() {
        RoadNetworkSimulator sim =
                RoadNetworkSimulator.builder().sensors(10).seed(3).missingRate(0).build();
        ReadingFaults faults = ReadingFaults.builder().seed(5).invalid(0.05).missing(0.05).build();
        TrafficReadingStream s = TrafficReadingStream.simulated(sim, "t", "n", 0, faults, 2);

        List<ProducerRecord<byte[], byte[]>> records = drain(s, 5_000);

        long undecodable = 0;
        long unknownSensor = 0;
        long badSpeed = 0;
        for (ProducerRecord<byte[], byte[]> r : records) {
            TrafficReading reading;
            try {
                reading = decode(r);
            } catch (Exception e) {
                undecodable++;
                continue;
            }
            if (reading.getSensorId().equals("x999")) {
                unknownSensor++;
                assertThat(key(r)).isEqualTo("x999");
            } else if (!(reading.getSpeedMph() >= 0 && reading.getSpeedMph() <= 120)) {
                badSpeed++;
            }
        }
        var injected = faults.injected();
        assertThat(undecodable)
                .isEqualTo(injected.get(ReadingFaults.INVALID_UNDECODABLE))
                .isPositive();
        assertThat(unknownSensor)
                .isEqualTo(injected.get(ReadingFaults.INVALID_UNKNOWN_SENSOR))
                .isPositive();
        assertThat(badSpeed)
                .isEqualTo(
                        injected.get(ReadingFaults.INVALID_NAN)
                                + injected.get(ReadingFaults.INVALID_NEGATIVE)
                                + injected.get(ReadingFaults.INVALID_TOO_FAST));
        long offered = s.steps() * 10 - s.missingInSource();
        assertThat(records.size() + injected.get(ReadingFaults.MISSING))
                .as("every reading offered is sent or counted as dropped")
                .isBetween(offered - 10, offered);
    }
}
