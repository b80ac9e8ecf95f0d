package io.attnstream.traffic;

import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.RecordGenerator;
import io.attnstream.schema.TrafficReading;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * The demo's rate-paced reading generator: readings are emitted sensor by sensor (the caller sets the rate) and
 * one full sweep is one step of the {@link RoadNetworkSimulator}'s speeds, while event_time is the wall clock, so
 * latency can be measured end to end. {@link TrafficReadingStream} is the step-paced generator with historical or
 * live event times, dropouts and configurable faults.
 *
 * <p>With {@code corruptEvery > 0} every n-th record is deliberately bad (alternately undecodable bytes and an
 * out-of-range speed) to exercise the dead-letter path; exactly one in n, so a test can count them.
 */
public final class TrafficSimulator implements RecordGenerator {
    private final String topic;
    private final String networkId;
    private final int sensors;
    private final long corruptEvery;
    private final RoadNetworkSimulator network;
    private final AvroCodec<TrafficReading> codec = AvroCodec.of(TrafficReading.class);
    private long emitted;
    private int nextSensor;
    private long step;

    public TrafficSimulator(String topic, String networkId, int sensors, long corruptEvery, long seed) {
        if (sensors < 1) {
            throw new IllegalArgumentException("sensors must be >= 1");
        }
        this.topic = topic;
        this.networkId = networkId;
        this.sensors = sensors;
        this.corruptEvery = corruptEvery;
        // Dropouts off: this generator's record count must follow its rate exactly.
        this.network = RoadNetworkSimulator.builder().sensors(sensors).seed(seed).missingRate(0).build();
    }

    public static String sensorId(int index) {
        return RoadNetworkSimulator.sensorId(index);
    }

    @Override
    public Optional<ProducerRecord<byte[], byte[]>> next(long nowMillis) {
        int i = nextSensor;
        emitted++;
        float speed = network.speedAt(i, step);
        boolean corrupt = corruptEvery > 0 && emitted % corruptEvery == 0;
        if (corrupt && (emitted / corruptEvery) % 2 == 0) {
            speed = -1f; // decodes fine, fails validation
        }
        TrafficReading reading = TrafficReading.newBuilder()
                .setNetworkId(networkId)
                .setSensorId(sensorId(i))
                .setEventTime(Instant.ofEpochMilli(nowMillis))
                .setSpeedMph(speed)
                .build();
        byte[] value = codec.encode(reading);
        if (corrupt && (emitted / corruptEvery) % 2 == 1) {
            value = Arrays.copyOf(value, value.length / 2); // truncated: does not decode
        }
        nextSensor = (i + 1) % sensors;
        if (nextSensor == 0) {
            step++;
        }
        return Optional.of(new ProducerRecord<>(topic, null, nowMillis,
                sensorId(i).getBytes(StandardCharsets.UTF_8), value));
    }
}
