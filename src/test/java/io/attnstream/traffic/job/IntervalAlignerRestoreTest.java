package io.attnstream.traffic.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.platform.Sourced;
import io.attnstream.schema.TrafficReading;
import io.attnstream.testing.TrafficFixtures;
import io.attnstream.traffic.model.TrafficWindow;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * Savepoint compatibility of the aligner's open intervals, which had a state TTL until issue 13:
 * state written with the TTL restores into the aligner without it, and those intervals close into
 * windows as before.
 */
class IntervalAlignerRestoreTest {
    private static final long STEP = 300_000L;
    private static final List<String> SENSORS = List.of("a", "b", "c");
    private static final IntervalAligner.Settings SETTINGS =
            new IntervalAligner.Settings(
                    Duration.ofMillis(STEP), 3, Duration.ZERO, Duration.ofHours(1));

    /** The open-interval state and timers as the aligner wrote them with a TTL. */
    static class AlignerWithTtl
            extends KeyedProcessFunction<String, Sourced<TrafficReading>, TrafficWindow> {
        private transient MapState<Long, OpenInterval> open;

        @Override
        public void open(OpenContext openContext) {
            MapStateDescriptor<Long, OpenInterval> d =
                    new MapStateDescriptor<>("open-intervals", Types.LONG, OpenInterval.typeInfo());
            d.enableTimeToLive(
                    StateTtlConfig.newBuilder(Duration.ofHours(1))
                            .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                            .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                            .build());
            open = getRuntimeContext().getMapState(d);
        }

        @Override
        public void processElement(
                Sourced<TrafficReading> in, Context ctx, Collector<TrafficWindow> out)
                throws Exception {
            long index = Math.floorDiv(in.value.getEventTime().toEpochMilli(), STEP);
            OpenInterval i = open.get(index);
            if (i == null) {
                i = OpenInterval.empty();
                ctx.timerService().registerEventTimeTimer((index + 1) * STEP - 1);
            }
            i.add(
                    in.value.getSensorId(),
                    in.value.getSpeedMph(),
                    in.topic,
                    in.partition,
                    in.offset);
            open.put(index, i);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<
                    String, Sourced<TrafficReading>, TrafficWindow>
            harness(KeyedProcessFunction<String, Sourced<TrafficReading>, TrafficWindow> f)
                    throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(f), r -> r.value.getNetworkId(), Types.STRING);
    }

    @Test
    void openIntervalsWrittenWithATtlRestoreAndClose() throws Exception {
        OperatorSubtaskState snapshot;
        try (var before = harness(new AlignerWithTtl())) {
            before.open();
            long offset = 0;
            for (int step = 0; step < 3; step++) {
                for (String sensor : SENSORS) {
                    TrafficReading r =
                            TrafficFixtures.reading(
                                    sensor, step, 40 + 10 * SENSORS.indexOf(sensor) + step);
                    before.processElement(
                            new Sourced<>(r, "traffic.readings", 0, offset++),
                            r.getEventTime().toEpochMilli());
                }
            }
            snapshot = before.snapshot(1, 1);
        }
        try (var after = harness(new IntervalAligner("traffic", SETTINGS))) {
            after.initializeState(snapshot);
            after.open();
            after.processWatermark(TrafficFixtures.T0.toEpochMilli() + 3 * STEP - 1);

            List<TrafficWindow> windows = after.extractOutputValues();
            assertThat(windows).hasSize(1);
            assertThat(windows.get(0).speeds).containsExactly(40, 50, 60, 41, 51, 61, 42, 52, 62);
            assertThat(windows.get(0).offset).isEqualTo(8L);
            assertThat(after.numEventTimeTimers()).isZero();
        }
    }
}
