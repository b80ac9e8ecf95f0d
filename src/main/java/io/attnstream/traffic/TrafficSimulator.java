package io.attnstream.traffic;

import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.RecordGenerator;
import io.attnstream.schema.TrafficReading;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;

/**
 * A synthetic road network for demos and tests: each sensor has a free-flow speed, slows down in the morning and
 * evening rush hours, and wanders around that with AR(1) noise; neighbouring sensors (by index) share part of the
 * slowdown. Readings are emitted sensor by sensor; one full sweep is one five-minute step of simulated time-of-day
 * (compressed), while event_time is the wall clock, so latency can be measured end to end.
 *
 * <p>With {@code corruptEvery > 0} every n-th record is deliberately bad (alternately undecodable bytes and an
 * out-of-range speed) to exercise the dead-letter path.
 */
public final class TrafficSimulator implements RecordGenerator {
    private final String topic;
    private final String networkId;
    private final int sensors;
    private final long corruptEvery;
    private final Random random;
    private final float[] freeFlow;
    private final float[] noise;
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
        this.random = new Random(seed);
        this.freeFlow = new float[sensors];
        this.noise = new float[sensors];
        for (int i = 0; i < sensors; i++) {
            freeFlow[i] = 55f + 15f * random.nextFloat();
        }
    }

    public static String sensorId(int index) {
        return String.format("s%03d", index);
    }

    /** Speed of sensor i at simulated step (5 min each, 288 per day), before noise. */
    float meanSpeed(int i, long step) {
        double hour = (step % 288) * 5.0 / 60.0;
        double rush = Math.exp(-Math.pow((hour - 8.0) / 1.2, 2)) + 0.8 * Math.exp(-Math.pow((hour - 17.5) / 1.5, 2));
        double local = 0.5 + 0.5 * Math.sin(i * 0.7); // some sensors are bottlenecks, some are not
        return (float) (freeFlow[i] * (1.0 - 0.55 * rush * (0.4 + 0.6 * local)));
    }

    @Override
    public Optional<ProducerRecord<byte[], byte[]>> next(long nowMillis) {
        int i = nextSensor;
        emitted++;
        noise[i] = 0.8f * noise[i] + (float) random.nextGaussian() * 1.5f;
        float speed = Math.max(0f, Math.min(100f, meanSpeed(i, step) + noise[i]));
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
