package io.attnstream.traffic.sim;

import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.PacedRecordGenerator;
import io.attnstream.schema.TrafficReading;
import io.attnstream.traffic.data.LosLoopReplay;
import io.attnstream.traffic.data.SpeedRows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Turns speed rows (a simulator, endless, or a matrix file, finite) into {@link TrafficReading}
 * records for the readings topic: key = sensor id, value = Avro, record timestamp = event time.
 *
 * <p>A reading's event time is the start of its step plus a jitter of up to {@value
 * #JITTER_FRACTION} of a step (sensors do not report in lockstep); each step's readings go out in
 * event-time order. A missing value (NaN) produces no reading at all, which is what a lost reading
 * looks like on the wire. Readings are due at their event time as the {@link StreamClock} maps it
 * to the wall clock, then pass through {@link ReadingFaults}.
 */
public final class TrafficReadingStream extends PacedRecordGenerator<ReadingFaults.Emission>
        implements AutoCloseable {
    public static final double JITTER_FRACTION = 0.2;

    private final SpeedRows rows;
    private final String topic;
    private final String networkId;
    private final StreamClock clock;
    private final ReadingFaults faults;
    private final SplittableRandom jitter;
    private final AvroCodec<TrafficReading> codec = AvroCodec.of(TrafficReading.class);
    private final List<String> sensorIds;
    private final ArrayDeque<ReadingFaults.Reading> stepReadings = new ArrayDeque<>();
    private boolean exhausted;
    private long step;

    /** Emissions enqueued so far (refill stops once it has added one). */
    private long queued;

    private long missingInSource;

    /**
     * @param seed of the event-time jitter (the faults have their own seed)
     */
    public TrafficReadingStream(
            SpeedRows rows,
            String topic,
            String networkId,
            StreamClock clock,
            ReadingFaults faults,
            long seed) {
        this.rows = rows;
        this.topic = topic;
        this.networkId = networkId;
        this.clock = clock;
        this.faults = faults;
        this.jitter = new SplittableRandom(seed);
        this.sensorIds = rows.sensorIds();
    }

    /**
     * A finite replay of a speed-matrix CSV with its historical event times (row k at {@code start
     * + k * step}), {@code speedup} times faster than real time (0 = as fast as possible). The file
     * is streamed.
     */
    public static TrafficReadingStream replay(
            Path csv,
            String topic,
            String networkId,
            double speedup,
            Instant start,
            int stepSeconds,
            ReadingFaults faults,
            long seed) {
        return new TrafficReadingStream(
                new LosLoopReplay(csv),
                topic,
                networkId,
                StreamClock.historical(start.toEpochMilli(), stepSeconds, speedup),
                faults,
                seed);
    }

    /**
     * The endless simulator, with event times from the simulator's start: one full step of all
     * sensors per {@code stepSeconds / speedup} of wall time (60: a 5-min step every 5 s; 0 = as
     * fast as possible).
     */
    public static TrafficReadingStream simulated(
            RoadNetworkSimulator sim,
            String topic,
            String networkId,
            double speedup,
            ReadingFaults faults,
            long seed) {
        return new TrafficReadingStream(
                sim.rows(),
                topic,
                networkId,
                StreamClock.historical(sim.startEpochMillis(), sim.stepSeconds(), speedup),
                faults,
                seed);
    }

    /**
     * The endless simulator on the wall clock: event time = now, steps of {@code stepSeconds /
     * speedup} aligned to that length, so the demo can measure end-to-end latency from event_time.
     * The speeds still follow the simulator's own calendar, step by step (a simulated day passes in
     * 24 h / speedup).
     */
    public static TrafficReadingStream live(
            RoadNetworkSimulator sim,
            String topic,
            String networkId,
            double speedup,
            ReadingFaults faults,
            long seed) {
        return new TrafficReadingStream(
                sim.rows(),
                topic,
                networkId,
                StreamClock.live(sim.stepSeconds(), speedup),
                faults,
                seed);
    }

    public List<String> sensorIds() {
        return sensorIds;
    }

    /** Missing cells of the source, which produced no reading. */
    public long missingInSource() {
        return missingInSource;
    }

    /** Steps read from the source so far. */
    public long steps() {
        return step;
    }

    public ReadingFaults faults() {
        return faults;
    }

    @Override
    protected void onStart(long nowMillis) {
        clock.start(nowMillis);
    }

    /**
     * Enqueues at least one emission, unless the source and the held-back readings are exhausted.
     */
    @Override
    protected void refill() {
        long before = queued;
        while (queued == before && !exhausted) {
            if (stepReadings.isEmpty() && !readStep()) {
                exhausted = true;
                for (ReadingFaults.Emission e : faults.flush()) {
                    enqueue(e, Long.MIN_VALUE);
                    queued++;
                }
                return;
            }
            ReadingFaults.Reading r = stepReadings.poll();
            long due = clock.dueMillis(r.eventMillis());
            for (ReadingFaults.Emission e : faults.offer(r)) {
                enqueue(e, due);
                queued++;
            }
        }
    }

    private boolean readStep() {
        float[] row = rows.next();
        if (row == null) {
            return false;
        }
        long stepStart = clock.eventStartMillis(step);
        long maxJitter = (long) (clock.stepMillis() * JITTER_FRACTION);
        List<ReadingFaults.Reading> readings = new ArrayList<>(row.length);
        for (int i = 0; i < row.length; i++) {
            long eventTime = stepStart + (maxJitter > 0 ? jitter.nextLong(maxJitter + 1) : 0);
            if (Float.isNaN(row[i])) {
                missingInSource++;
            } else {
                readings.add(new ReadingFaults.Reading(sensorIds.get(i), eventTime, row[i]));
            }
        }
        readings.sort(Comparator.comparingLong(ReadingFaults.Reading::eventMillis));
        stepReadings.addAll(readings);
        step++;
        return true;
    }

    @Override
    protected ProducerRecord<byte[], byte[]> record(ReadingFaults.Emission e) {
        TrafficReading reading =
                TrafficReading.newBuilder()
                        .setNetworkId(networkId)
                        .setSensorId(e.sensorId())
                        .setEventTime(Instant.ofEpochMilli(e.eventMillis()))
                        .setSpeedMph(e.speedMph())
                        .build();
        byte[] value = codec.encode(reading);
        if (e.undecodable()) {
            value =
                    Arrays.copyOf(
                            value, value.length / 2); // cut short: the decoder runs out of bytes
        }
        return new ProducerRecord<>(
                topic, null, e.eventMillis(), e.sensorId().getBytes(StandardCharsets.UTF_8), value);
    }

    @Override
    public void close() {
        rows.close();
    }
}
