package io.attnstream.traffic.job;

import io.attnstream.platform.AttnstreamException;
import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.DeadLetters;
import io.attnstream.platform.Sourced;
import io.attnstream.platform.StateFormatMarker;
import io.attnstream.schema.DeadLetter;
import io.attnstream.schema.FailureStage;
import io.attnstream.schema.TrafficReading;
import io.attnstream.traffic.model.TrafficWindow;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Aligns one road network's readings into fixed event-time intervals (keyed by network id).
 * Readings are added to their interval while it is open; when the watermark passes an interval's
 * end plus the allowed lateness, the interval closes: each sensor's speed is the mean of its
 * readings, a sensor without one is NaN (imputed and flagged downstream), and the last T closed
 * intervals go out as one {@link TrafficWindow}. A reading for an interval that has already closed
 * is late and goes to {@link #LATE} as a dead letter.
 *
 * <p>Intervals close only by watermark, so each closes exactly once and in order; an interval in
 * which the whole network was silent enters the history as a row of NaN when the next one closes
 * (no forecast is made for it). Windows go out once T intervals have closed (a warm-up of T steps
 * after start or after a silence of T steps).
 *
 * <p>State per network: the open intervals (each cleared by its timer) and the last T closed ones.
 * Networks come and go, so the history expires after {@code stateTtl} without readings. Sensors are
 * columns named by id, whatever model serves: each model version picks its sensors out of the
 * window by id, so a retrained model with other sensors, or a restore with another model, reads the
 * same state. A sensor joins when it first reports and leaves after T silent intervals; at most
 * {@code maxSensors} report per interval (beyond that a reading is a dead letter), which bounds the
 * state when a producer sends ids without end.
 */
public class IntervalAligner
        extends KeyedProcessFunction<String, Sourced<TrafficReading>, TrafficWindow>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    /**
     * Late readings, as dead letters of stage LATE (with the watermark that closed their interval),
     * so they are kept and can be replayed; the job routes them to the dead-letter topic.
     */
    public static final OutputTag<DeadLetter> LATE =
            new OutputTag<>("late-readings", new AvroTypeInfo<>(DeadLetter.class));

    // Per instance, not static: a codec is not thread-safe, and the subtasks of one TaskManager
    // would share it.
    private final AvroCodec<TrafficReading> codec = AvroCodec.of(TrafficReading.class);

    /**
     * How readings are cut into intervals and windows.
     *
     * @param maxSensors distinct sensors an interval takes readings from
     * @param legacySensors the sensor order of the model whose index state a restore brings back (a
     *     savepoint of a release before sensor ids); null when none is restored
     */
    public record Settings(
            Duration step,
            int inputSteps,
            Duration allowedLateness,
            Duration stateTtl,
            int maxSensors,
            List<String> legacySensors)
            implements Serializable {
        /** The default of {@code attnstream.traffic.max-sensors}. */
        public static final int DEFAULT_MAX_SENSORS = 10_000;

        /** At most {@link #DEFAULT_MAX_SENSORS} sensors, no index state to restore. */
        public Settings(
                Duration step, int inputSteps, Duration allowedLateness, Duration stateTtl) {
            this(step, inputSteps, allowedLateness, stateTtl, DEFAULT_MAX_SENSORS, null);
        }

        public Settings {
            legacySensors = legacySensors == null ? null : List.copyOf(legacySensors);
            if (maxSensors < 1) {
                throw new IllegalArgumentException("max sensors must be >= 1, got " + maxSensors);
            }
            if (step.toMillis() < 1000) {
                throw new IllegalArgumentException("step must be at least 1 s, got " + step);
            }
            if (inputSteps < 1) {
                throw new IllegalArgumentException("input steps must be >= 1, got " + inputSteps);
            }
            if (allowedLateness.isNegative()) {
                throw new IllegalArgumentException("allowed lateness must not be negative");
            }
        }
    }

    private final String job;
    private final Settings settings;
    private final long stepMillis;
    private final long latenessMillis;
    private transient MapState<Long, OpenInterval> open;
    private transient ValueState<RecentIntervals> recent;
    private transient Counter late;
    private transient Counter windows;

    public IntervalAligner(String job, Settings settings) {
        this.job = job;
        this.settings = settings;
        this.stepMillis = settings.step().toMillis();
        this.latenessMillis = settings.allowedLateness().toMillis();
    }

    /** The name of the state that marks this operator's state as named by sensor id. */
    static final String FORMAT_STATE = "interval-format";

    /**
     * Says in every checkpoint that this operator's intervals name sensors by id: a client
     * restoring a savepoint without it knows the savepoint holds an earlier release's columns in
     * its model's order ({@link io.attnstream.inference.LegacyStateModel}).
     */
    private final StateFormatMarker format = new StateFormatMarker(FORMAT_STATE, "sensor-ids");

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        format.initialize(context);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        format.snapshot();
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl =
                StateTtlConfig.newBuilder(settings.stateTtl())
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                        .build();
        // No TTL on the open intervals: each is removed by its own timer, so none can outlive its
        // network. With a TTL, every read and write of this map copied the interval (207 sums and
        // counts for Los-loop) and ran the incremental cleanup, which copied more: 60 % of this
        // operator's time per reading, measured with bench traffic's profile.
        open =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "open-intervals", Types.LONG, OpenInterval.typeInfo()));
        ValueStateDescriptor<RecentIntervals> recentDescriptor =
                new ValueStateDescriptor<>("recent-intervals", RecentIntervals.typeInfo());
        recentDescriptor.enableTimeToLive(ttl);
        recent = getRuntimeContext().getState(recentDescriptor);
        var group = getRuntimeContext().getMetricGroup();
        late = group.counter("lateReadings");
        windows = group.counter("windowsEmitted");
    }

    /**
     * Event time at which interval {@code index} closes: its end plus the allowed lateness
     * (inclusive).
     */
    long closeTime(long index) {
        return (index + 1) * stepMillis - 1 + latenessMillis;
    }

    @Override
    public void processElement(
            Sourced<TrafficReading> in, Context ctx, Collector<TrafficWindow> out)
            throws Exception {
        TrafficReading r = in.value;
        long index = Math.floorDiv(r.getEventTime().toEpochMilli(), stepMillis);
        long closesAt = closeTime(index);
        // Every interval whose close time the watermark has reached is closed (emitted, or a silent
        // gap that is already part of the history): the reading can no longer count.
        long watermark = ctx.timerService().currentWatermark();
        if (closesAt <= watermark) {
            late.inc();
            ctx.output(
                    LATE,
                    DeadLetters.of(
                            job,
                            FailureStage.LATE,
                            "event_time "
                                    + r.getEventTime()
                                    + " is in interval ["
                                    + Instant.ofEpochMilli(index * stepMillis)
                                    + ", +"
                                    + settings.step()
                                    + "), closed at watermark "
                                    + Instant.ofEpochMilli(watermark)
                                    + " (allowed lateness "
                                    + settings.allowedLateness()
                                    + ")",
                            null,
                            in,
                            codec));
            return;
        }
        OpenInterval interval = open.get(index);
        if (interval == null) {
            interval = OpenInterval.empty();
            ctx.timerService().registerEventTimeTimer(closesAt);
        } else if (interval.sensors == null) {
            interval.inOrder(legacySensors());
        }
        String sensor = r.getSensorId();
        if (interval.size() >= settings.maxSensors() && !interval.has(sensor)) {
            // A bound on the state: without it, a producer inventing ids would grow it without end.
            ctx.output(
                    DeadLetters.TAG,
                    DeadLetters.of(
                            job,
                            FailureStage.VALIDATE,
                            "network "
                                    + r.getNetworkId()
                                    + " already has readings of "
                                    + settings.maxSensors()
                                    + " sensors in this interval (attnstream.traffic.max-sensors);"
                                    + " sensor_id '"
                                    + sensor
                                    + "' is one more",
                            null,
                            in,
                            codec));
            return;
        }
        interval.add(sensor, r.getSpeedMph(), in.topic, in.partition, in.offset);
        open.put(index, interval);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TrafficWindow> out)
            throws Exception {
        List<Long> due = new ArrayList<>();
        for (Long index : open.keys()) {
            if (closeTime(index) <= timestamp) {
                due.add(index);
            }
        }
        Collections.sort(due);
        if (due.isEmpty()) {
            return;
        }
        RecentIntervals history = recent.value();
        if (history == null) {
            history = RecentIntervals.empty(settings.inputSteps());
        } else if (history.sensors == null) {
            history.inOrder(legacySensors());
        }
        long now = System.currentTimeMillis();
        for (long index : due) {
            OpenInterval interval = open.get(index);
            open.remove(index);
            if (interval.sensors == null) {
                interval.inOrder(legacySensors());
            }
            history.close(index, interval.sensors, interval.means());
            if (history.full()) {
                out.collect(window(ctx.getCurrentKey(), index, history, interval, now));
                windows.inc();
            }
        }
        recent.update(history);
    }

    /** The sensor order of restored index state; see {@link Settings#legacySensors}. */
    private List<String> legacySensors() {
        if (settings.legacySensors() == null) {
            throw new AttnstreamException(
                    "restored state holds intervals in a model's sensor order (written by a release"
                            + " before sensor ids), but the job was given no sensor order to read"
                            + " them with");
        }
        return settings.legacySensors();
    }

    private TrafficWindow window(
            String network, long index, RecentIntervals history, OpenInterval last, long now) {
        TrafficWindow w = new TrafficWindow();
        w.networkId = network;
        w.eventTime = index * stepMillis;
        w.stepSeconds = (int) (stepMillis / 1000);
        w.sensors = history.width();
        w.sensorIds = history.sensors.clone();
        w.speeds = history.speeds.clone();
        w.closedAt = now;
        w.topic = last.topic;
        w.partition = last.partition;
        w.offset = last.offset;
        return w;
    }
}
