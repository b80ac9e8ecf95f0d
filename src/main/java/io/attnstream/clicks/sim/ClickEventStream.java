package io.attnstream.clicks.sim;

import io.attnstream.clicks.data.Interactions;
import io.attnstream.platform.PacedRecordGenerator;
import io.attnstream.schema.ClickEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Turns click events (an {@link Interactions} replay, finite, or the {@link ClickstreamSimulator},
 * endless) into {@link ClickEvent} records for the clicks topic: key = user id (UTF-8), value =
 * Avro, record timestamp = event time, a deterministic event_id, and for a share of events {@value
 * CandidateSampler#SIZE} candidate items. Each event is due at a wall-clock time (see the
 * factories), then passes through {@link ClickFaults}; a re-sent duplicate keeps its event time and
 * event_id.
 */
public final class ClickEventStream extends PacedRecordGenerator<ClickFaults.Emission>
        implements AutoCloseable {
    /** Synthetic spacing of replayed events that have no times (amazon-games). */
    public static final Duration DEFAULT_SYNTHETIC_STEP = Duration.ofSeconds(1);

    /** Where events come from and when each is due on the wall clock. */
    private interface Source {
        void start(long wallMillis);

        /** The next event with its due time in {@code due[0]}, or null at the end. */
        ClickstreamSimulator.Event next(long[] due);

        String eventIdPrefix();
    }

    private final Source source;
    private final String topic;
    private final ClickFaults faults;
    private final CandidateSampler candidates;
    private final ClickEventBytes bytes = new ClickEventBytes();
    private final long[] due = new long[1];
    private boolean exhausted;
    private long events;

    /** Emissions enqueued so far (refill stops once it has added one). */
    private int queued;

    private String idPrefix;

    private ClickEventStream(
            Source source, String topic, ClickFaults faults, CandidateSampler candidates) {
        this.source = source;
        this.topic = topic;
        this.faults = faults;
        this.candidates = candidates;
    }

    /**
     * A finite replay with the interactions' own event times, or (without times) synthetic ones
     * {@code syntheticStep} apart from {@code syntheticStart}, users taking turns (see {@link
     * ClickReplay}). Event k is due {@code (time_k - time_0) / speedup} after the first call
     * (speedup 0 = as fast as possible). Event ids are {@code "e" + k}, k counting source events
     * from 0, so a replay always gives the same ids.
     */
    public static ClickEventStream replay(
            Interactions interactions,
            String topic,
            double speedup,
            Instant syntheticStart,
            Duration syntheticStep,
            ClickFaults faults,
            CandidateSampler candidates) {
        if (speedup < 0 || Double.isNaN(speedup)) {
            throw new IllegalArgumentException(
                    "speedup must be >= 0 (0 = as fast as possible), got " + speedup);
        }
        if (syntheticStep.isNegative() || syntheticStep.isZero()) {
            throw new IllegalArgumentException(
                    "the synthetic step must be > 0, got " + syntheticStep);
        }
        ClickReplay replay = new ClickReplay(interactions, syntheticStart, syntheticStep);
        return new ClickEventStream(
                new Source() {
                    private long wallStart;

                    @Override
                    public void start(long wallMillis) {
                        wallStart = wallMillis;
                    }

                    @Override
                    public ClickstreamSimulator.Event next(long[] dueOut) {
                        ClickstreamSimulator.Event e = replay.next();
                        if (e != null) {
                            dueOut[0] =
                                    speedup == 0
                                            ? Long.MIN_VALUE
                                            : wallStart
                                                    + (long)
                                                            ((e.timeMillis()
                                                                            - replay
                                                                                    .firstTimeMillis())
                                                                    / speedup);
                        }
                        return e;
                    }

                    @Override
                    public String eventIdPrefix() {
                        return "e";
                    }
                },
                topic,
                faults,
                candidates);
    }

    /**
     * {@link #replay(Interactions, String, double, Instant, Duration, ClickFaults,
     * CandidateSampler)} with synthetic times (if needed) one second apart from {@link
     * ClickstreamSimulator#DEFAULT_START}.
     */
    public static ClickEventStream replay(
            Interactions interactions,
            String topic,
            double speedup,
            ClickFaults faults,
            CandidateSampler candidates) {
        return replay(
                interactions,
                topic,
                speedup,
                ClickstreamSimulator.DEFAULT_START,
                DEFAULT_SYNTHETIC_STEP,
                faults,
                candidates);
    }

    /**
     * The endless simulator on the wall clock at {@code eventsPerSecond}: event k is due, and
     * happens (event time), {@code k / eventsPerSecond} seconds after the first call, so the demo
     * can measure latency from event_time. Event ids are {@code "e" + base36(first call's wall
     * clock) + "-" + k}: unique across restarts of the demo, and deterministic for a given start.
     */
    public static ClickEventStream simulated(
            ClickstreamSimulator sim,
            String topic,
            double eventsPerSecond,
            ClickFaults faults,
            CandidateSampler candidates) {
        if (!(eventsPerSecond > 0) || Double.isInfinite(eventsPerSecond)) {
            throw new IllegalArgumentException(
                    "eventsPerSecond must be > 0, got " + eventsPerSecond);
        }
        ClickstreamSimulator.Live live = sim.live();
        double intervalMillis = 1000.0 / eventsPerSecond;
        return new ClickEventStream(
                new Source() {
                    private long wallStart;
                    private long k;

                    @Override
                    public void start(long wallMillis) {
                        wallStart = wallMillis;
                    }

                    @Override
                    public ClickstreamSimulator.Event next(long[] dueOut) {
                        long t = wallStart + Math.round(k++ * intervalMillis);
                        dueOut[0] = t;
                        return live.next(t);
                    }

                    @Override
                    public String eventIdPrefix() {
                        return "e" + Long.toString(wallStart, 36) + "-";
                    }
                },
                topic,
                faults,
                candidates);
    }

    /** Events taken from the source so far (before faults). */
    public long events() {
        return events;
    }

    public ClickFaults faults() {
        return faults;
    }

    @Override
    protected ProducerRecord<byte[], byte[]> record(ClickFaults.Emission emission) {
        ClickEvent e = emission.event();
        return new ProducerRecord<>(
                topic,
                null,
                e.getEventTime().toEpochMilli(),
                e.getUserId().getBytes(StandardCharsets.UTF_8),
                bytes.encode(e, emission.encoding()));
    }

    @Override
    protected void onStart(long nowMillis) {
        source.start(nowMillis);
        idPrefix = source.eventIdPrefix();
    }

    /**
     * Enqueues at least one emission, unless the source and the held-back duplicates are exhausted.
     */
    @Override
    protected void refill() {
        int before = queued;
        while (queued == before && !exhausted) {
            ClickstreamSimulator.Event e = source.next(due);
            if (e == null) {
                exhausted = true;
                for (ClickFaults.Emission f : faults.flush()) {
                    enqueue(f, Long.MIN_VALUE);
                    queued++;
                }
                return;
            }
            ClickEvent click =
                    ClickEvent.newBuilder()
                            .setUserId(e.userId())
                            .setSessionId(e.sessionId())
                            .setEventId(idPrefix + events++)
                            .setItemId(e.itemId())
                            .setEventType(e.type())
                            .setEventTime(Instant.ofEpochMilli(e.timeMillis()))
                            .setCandidates(candidates.next(e.itemId()))
                            .build();
            for (ClickFaults.Emission f : faults.offer(click)) {
                enqueue(f, due[0]);
                queued++;
            }
        }
    }

    @Override
    public void close() {
        // In memory: nothing to release. AutoCloseable so callers treat every generator alike.
    }
}
