package io.attnstream.testing;

import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.RawRecord;
import io.attnstream.schema.TrafficReading;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Readings and raw records for traffic tests. */
public final class TrafficFixtures {
    public static final AvroCodec<TrafficReading> CODEC = AvroCodec.of(TrafficReading.class);
    public static final Instant T0 = Instant.parse("2024-05-01T08:00:00Z");

    private TrafficFixtures() {}

    public static TrafficReading reading(String sensor, int step, float speed) {
        return TrafficReading.newBuilder()
                .setNetworkId("net-1")
                .setSensorId(sensor)
                .setEventTime(T0.plusSeconds(300L * step))
                .setSpeedMph(speed)
                .build();
    }

    public static byte[] bytes(TrafficReading r) {
        return CODEC.encode(r);
    }

    /** A valid record cut in half: it cannot decode. */
    public static byte[] truncated(TrafficReading r) {
        byte[] b = bytes(r);
        return Arrays.copyOf(b, b.length / 2);
    }

    public static RawRecord raw(String topic, int partition, long offset, byte[] value) {
        return new RawRecord(topic, partition, offset, T0.toEpochMilli(), "k".getBytes(), value);
    }

    /**
     * A reading of {@code sensor} in {@code network} at epoch ms {@code time}, keyed by network.
     */
    public static ProducerRecord<byte[], byte[]> record(
            String topic, String network, String sensor, long time, float speed) {
        TrafficReading r =
                TrafficReading.newBuilder()
                        .setNetworkId(network)
                        .setSensorId(sensor)
                        .setEventTime(Instant.ofEpochMilli(time))
                        .setSpeedMph(speed)
                        .build();
        return new ProducerRecord<>(
                topic, network.getBytes(StandardCharsets.UTF_8), CODEC.encode(r));
    }
}
