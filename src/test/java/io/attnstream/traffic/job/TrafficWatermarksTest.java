package io.attnstream.traffic.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.platform.Decoded;
import io.attnstream.platform.RecordDecoder;
import io.attnstream.schema.TrafficReading;
import io.attnstream.testing.TrafficFixtures;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.streaming.api.operators.source.CollectingDataOutput;
import org.apache.flink.streaming.api.operators.source.TimestampsAndWatermarks;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;
import org.apache.flink.util.clock.ManualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The traffic job's watermark strategy inside Flink's source-side event-time logic (the per-split
 * outputs a Kafka source reader writes to, one per partition): the watermark follows the slowest
 * partition, rejected records never move it, and a partition silent for longer than the idleness
 * stops holding it back.
 */
class TrafficWatermarksTest {
    private static final Duration OUT_OF_ORDER = Duration.ofSeconds(30);
    private static final Duration IDLENESS = Duration.ofSeconds(10);
    private static final long T0 = TrafficFixtures.T0.toEpochMilli();
    private static final long MINUTE = 60_000L;

    private final RecordDecoder<TrafficReading> decoder =
            new RecordDecoder<>("traffic", TrafficReading.class, new TrafficReadingValidator());
    private final ManualClock clock = new ManualClock(1_000_000_000L);
    private final CollectingDataOutput<Decoded<TrafficReading>> data = new CollectingDataOutput<>();
    private TimestampsAndWatermarks<Decoded<TrafficReading>> logic;
    private SourceOutput<Decoded<TrafficReading>> ahead;
    private SourceOutput<Decoded<TrafficReading>> behind;
    private long offset;

    @BeforeEach
    void setUp() {
        logic =
                TimestampsAndWatermarks.createProgressiveEventTimeLogic(
                        TrafficJob.watermarks(OUT_OF_ORDER, IDLENESS),
                        new UnregisteredMetricsGroup(),
                        new TestProcessingTimeService(),
                        200,
                        clock,
                        clock,
                        UnregisteredMetricGroups.createUnregisteredTaskMetricGroup()
                                .getIOMetricGroup());
        ReaderOutput<Decoded<TrafficReading>> out = logic.createMainOutput(data, new NoListener());
        ahead = out.createOutputForSplit("traffic.readings-0");
        behind = out.createOutputForSplit("traffic.readings-1");
    }

    /**
     * A valid reading with event time {@code T0 + minutes}, produced (Kafka timestamp) much later.
     */
    private Decoded<TrafficReading> reading(int partition, long minutes) {
        TrafficReading r = TrafficFixtures.reading("s1", 0, 50f);
        r.setEventTime(TrafficFixtures.T0.plusMillis(minutes * MINUTE));
        return decoder.decode(
                "traffic.readings",
                partition,
                offset++,
                kafkaTimestamp(),
                null,
                TrafficFixtures.bytes(r));
    }

    private static long kafkaTimestamp() {
        return T0 + 24 * 60 * MINUTE; // a replay a day later
    }

    private void emit(SourceOutput<Decoded<TrafficReading>> split, Decoded<TrafficReading> d) {
        split.collect(d, d.timestamp);
    }

    private long lastWatermark() {
        logic.emitImmediateWatermark(clock.absoluteTimeMillis());
        return data.getEvents().stream()
                .filter(Watermark.class::isInstance)
                .map(Watermark.class::cast)
                .reduce((a, b) -> b)
                .map(Watermark::getTimestamp)
                .orElse(Long.MIN_VALUE);
    }

    private static long watermarkAfter(long minutes) {
        return T0 + minutes * MINUTE - OUT_OF_ORDER.toMillis() - 1;
    }

    @Test
    void watermarkFollowsTheSlowerPartition() {
        emit(ahead, reading(0, 10));
        emit(behind, reading(1, 2));
        assertThat(lastWatermark()).isEqualTo(watermarkAfter(2));

        emit(behind, reading(1, 6));
        assertThat(lastWatermark()).isEqualTo(watermarkAfter(6));
        emit(behind, reading(1, 12));
        assertThat(lastWatermark())
                .as("now partition 0 is the slower one")
                .isEqualTo(watermarkAfter(10));
    }

    @Test
    void readingsAreStampedWithTheirEventTimeAndRejectedRecordsWithTheirKafkaTimestamp() {
        emit(ahead, reading(0, 10));
        Decoded<TrafficReading> bad =
                decoder.decode("traffic.readings", 1, 99, kafkaTimestamp(), null, new byte[] {7});
        emit(behind, bad);

        List<Long> timestamps =
                data.getEvents().stream()
                        .filter(StreamRecord.class::isInstance)
                        .map(e -> ((StreamRecord<?>) e).getTimestamp())
                        .toList();
        assertThat(timestamps).containsExactly(T0 + 10 * MINUTE, kafkaTimestamp());
    }

    @Test
    void rejectedRecordsDoNotMoveTheWatermark() {
        emit(ahead, reading(0, 10));
        emit(behind, reading(1, 2));
        assertThat(lastWatermark()).isEqualTo(watermarkAfter(2));

        // Undecodable, and a decodable reading that fails validation: both carry a Kafka timestamp
        // a day ahead.
        emit(
                behind,
                decoder.decode(
                        "traffic.readings", 1, 100, kafkaTimestamp(), null, new byte[] {1, 2, 3}));
        TrafficReading invalid = TrafficFixtures.reading("s1", 0, -5f);
        invalid.setEventTime(TrafficFixtures.T0.plusMillis(20 * MINUTE));
        emit(
                behind,
                decoder.decode(
                        "traffic.readings",
                        1,
                        101,
                        kafkaTimestamp(),
                        null,
                        TrafficFixtures.bytes(invalid)));
        assertThat(lastWatermark()).isEqualTo(watermarkAfter(2));
    }

    @Test
    void partitionSilentForLongerThanTheIdlenessStopsHoldingTheWatermarkBack() {
        emit(ahead, reading(0, 10));
        emit(behind, reading(1, 2));
        assertThat(lastWatermark()).isEqualTo(watermarkAfter(2));

        emit(ahead, reading(0, 11));
        lastWatermark(); // partition 1's inactivity starts being timed here
        clock.advanceTime(IDLENESS.plusSeconds(1));
        emit(ahead, reading(0, 12));
        assertThat(lastWatermark()).isEqualTo(watermarkAfter(12));
    }

    @Test
    void partitionSendingOnlyRejectedRecordsBecomesIdleToo() {
        emit(ahead, reading(0, 10));
        emit(behind, reading(1, 2));
        lastWatermark();

        emit(ahead, reading(0, 11));
        emit(
                behind,
                decoder.decode("traffic.readings", 1, 200, kafkaTimestamp(), null, new byte[] {1}));
        lastWatermark();
        clock.advanceTime(IDLENESS.plusSeconds(1));
        emit(ahead, reading(0, 12));
        emit(
                behind,
                decoder.decode("traffic.readings", 1, 201, kafkaTimestamp(), null, new byte[] {2}));
        assertThat(lastWatermark()).as("garbage is not activity").isEqualTo(watermarkAfter(12));
    }

    private static final class NoListener
            implements TimestampsAndWatermarks.WatermarkUpdateListener {
        @Override
        public void updateIdle(boolean isIdle) {}

        @Override
        public void updateCurrentEffectiveWatermark(long watermark) {}

        @Override
        public void updateCurrentSplitWatermark(String splitId, long watermark) {}

        @Override
        public void updateCurrentSplitIdle(String splitId, boolean idle) {}

        @Override
        public void splitFinished(String splitId) {}
    }
}
