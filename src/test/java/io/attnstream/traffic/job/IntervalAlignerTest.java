package io.attnstream.traffic.job;

import static io.attnstream.testing.TrafficFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.platform.DeadLetters;
import io.attnstream.platform.Sourced;
import io.attnstream.schema.DeadLetter;
import io.attnstream.schema.FailureStage;
import io.attnstream.schema.TrafficReading;
import io.attnstream.testing.TrafficFixtures;
import io.attnstream.traffic.model.TrafficWindow;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IntervalAlignerTest {
    private static final long STEP = 300_000L;
    private static final long LATENESS = 60_000L;
    private static final List<String> SENSORS = List.of("a", "b", "c");

    private KeyedOneInputStreamOperatorTestHarness<String, Sourced<TrafficReading>, TrafficWindow>
            harness;
    private long offset;

    @BeforeEach
    void setUp() throws Exception {
        open(IntervalAligner.Settings.DEFAULT_MAX_SENSORS);
    }

    private void open(int maxSensors) throws Exception {
        if (harness != null) {
            harness.close();
        }
        IntervalAligner.Settings s =
                new IntervalAligner.Settings(
                        Duration.ofMillis(STEP),
                        3,
                        Duration.ofMillis(LATENESS),
                        Duration.ofHours(1),
                        maxSensors,
                        null);
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new IntervalAligner("traffic", s)),
                        r -> r.value.getNetworkId(),
                        Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    /** A reading {@code secondsIn} seconds into interval {@code step} (relative to T0). */
    private void read(String network, String sensor, int step, int secondsIn, float speed)
            throws Exception {
        TrafficReading r = TrafficFixtures.reading(sensor, step, speed);
        r.setNetworkId(network);
        r.setEventTime(r.getEventTime().plusSeconds(secondsIn));
        harness.processElement(
                new Sourced<>(r, "traffic.readings", 0, offset++), r.getEventTime().toEpochMilli());
    }

    /** Watermark just reaching the close time of interval {@code step}: its end + lateness - 1. */
    private void closeThrough(int step) throws Exception {
        harness.processWatermark(T0.toEpochMilli() + (step + 1) * STEP + LATENESS - 1);
    }

    private List<TrafficWindow> windows() {
        return harness.extractOutputValues();
    }

    private static float[] row(TrafficWindow w, int t) {
        float[] r = new float[w.sensors];
        System.arraycopy(w.speeds, t * w.sensors, r, 0, w.sensors);
        return r;
    }

    @Test
    void eachIntervalIsEmittedOnceAfterItsWatermarkWithTheMeanPerSensor() throws Exception {
        for (int step = 0; step < 3; step++) {
            read("n1", "a", step, 10, 50 + step);
            read("n1", "b", step, 20, 40 + step);
            read(
                    "n1", "b", step, 200,
                    42 + step); // two readings of b in one interval: their mean counts
            read("n1", "c", step, 30, 30 + step);
        }
        harness.processWatermark(T0.toEpochMilli() + 3 * STEP + LATENESS - 2);
        assertThat(windows()).as("interval 2 is not closed until end + lateness").isEmpty();

        closeThrough(2);
        assertThat(windows()).hasSize(1);
        TrafficWindow w = windows().get(0);
        assertThat(w.networkId).isEqualTo("n1");
        assertThat(w.eventTime)
                .as("start of the last input interval")
                .isEqualTo(T0.toEpochMilli() + 2 * STEP);
        assertThat(w.stepSeconds).isEqualTo(300);
        assertThat(row(w, 0)).containsExactly(50f, 41f, 30f);
        assertThat(row(w, 2)).containsExactly(52f, 43f, 32f);
        assertThat(w.offset).as("lineage: last reading of the closing interval").isEqualTo(11L);
        assertThat(w.firstStepMillis()).isEqualTo(T0.toEpochMilli());

        closeThrough(5);
        assertThat(windows())
                .as("no interval is emitted twice, silent intervals emit nothing")
                .hasSize(1);
    }

    @Test
    void windowsGoOutOnlyAfterTIntervalsHaveClosed() throws Exception {
        read("n1", "a", 0, 0, 50);
        closeThrough(0);
        read("n1", "a", 1, 0, 51);
        closeThrough(1);
        assertThat(windows()).as("warm-up: fewer than T = 3 intervals").isEmpty();
        read("n1", "a", 2, 0, 52);
        closeThrough(2);
        assertThat(windows()).hasSize(1);
    }

    @Test
    void missingSensorsAndSilentIntervalsAreNaNForImputation() throws Exception {
        read("n1", "a", 0, 0, 50);
        read("n1", "b", 0, 0, 40);
        read("n1", "c", 0, 0, 30);
        // interval 1: the whole network silent; interval 2: sensor b missing
        read("n1", "a", 2, 0, 52);
        read("n1", "c", 2, 0, 32);
        closeThrough(2);

        TrafficWindow w = windows().get(0);
        assertThat(row(w, 0)).containsExactly(50f, 40f, 30f);
        assertThat(row(w, 1)).containsOnly(Float.NaN);
        assertThat(row(w, 2)[1]).isNaN();
        assertThat(row(w, 2)[0]).isEqualTo(52f);
    }

    @Test
    void stateAndTimersAreClearedAfterClosing() throws Exception {
        for (int step = 0; step < 3; step++) {
            read("n1", "a", step, 0, 50);
            read("n2", "a", step, 0, 60);
        }
        assertThat(harness.numEventTimeTimers()).isEqualTo(6);
        closeThrough(2);
        assertThat(windows()).hasSize(2);
        assertThat(harness.numEventTimeTimers()).isZero();
        // what is left is exactly one history per network; no open interval survives its close
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
    }

    @Test
    void lateReadingsGoToTheLateSideOutputAndDoNotReopenTheirInterval() throws Exception {
        for (int step = 0; step < 3; step++) {
            read("n1", "a", step, 0, 50);
        }
        closeThrough(2);
        read("n1", "b", 2, 100, 44); // interval 2 closed: late
        read("n1", "b", 3, 0, 45); // interval 3 still open: on time
        closeThrough(3);

        ConcurrentLinkedQueue<?> late = harness.getSideOutput(IntervalAligner.LATE);
        assertThat(late).hasSize(1);
        DeadLetter d = (DeadLetter) ((StreamRecord<?>) late.peek()).getValue();
        assertThat(d.getStage()).isEqualTo(FailureStage.LATE);
        assertThat(d.getSourceOffset()).isEqualTo(3L);
        assertThat(d.getReason()).contains("closed at watermark");
        assertThat(windows()).hasSize(2);
        assertThat(row(windows().get(1), 1)[1])
                .as("the late reading did not leak into the history")
                .isNaN();
        assertThat(row(windows().get(1), 2)[1]).isEqualTo(45f);
    }

    @Test
    void withinAllowedLatenessAReadingStillCounts() throws Exception {
        read("n1", "a", 0, 0, 50);
        read("n1", "a", 1, 0, 51);
        // watermark past the end of interval 2 but not past end + lateness
        harness.processWatermark(T0.toEpochMilli() + 3 * STEP + LATENESS / 2);
        read("n1", "a", 2, 0, 52);
        closeThrough(2);
        assertThat(row(windows().get(0), 2)[0]).isEqualTo(52f);
        assertThat(harness.getSideOutput(IntervalAligner.LATE)).isNull();
    }

    @Test
    void aSilenceLongerThanTStartsTheHistoryAfresh() throws Exception {
        for (int step = 0; step < 3; step++) {
            read("n1", "a", step, 0, 50);
        }
        closeThrough(2);
        read("n1", "a", 10, 0, 60);
        closeThrough(10);
        assertThat(windows()).as("after 7 silent intervals, warm-up again").hasSize(1);
    }

    @Test
    void sensorsAreColumnsNamedByIdInTheOrderTheyFirstReported() throws Exception {
        for (int step = 0; step < 3; step++) {
            for (String sensor : step == 0 ? List.of("c", "a") : List.of("a", "c", "b")) {
                read("n1", sensor, step, 0, 10 * (1 + SENSORS.indexOf(sensor)) + step);
            }
        }
        closeThrough(2);
        TrafficWindow w = windows().get(0);
        assertThat(w.sensorIds)
                .as("no model's order: the network's")
                .containsExactly("c", "a", "b");
        assertThat(w.sensors).isEqualTo(3);
        assertThat(row(w, 0)).containsExactly(30f, 10f, Float.NaN);
        assertThat(row(w, 2)).containsExactly(32f, 12f, 22f);
    }

    @Test
    void aSensorSilentForTIntervalsLeavesTheState() throws Exception {
        read("n1", "a", 0, 0, 50);
        read("n1", "zzz", 0, 0, 1); // e.g. a mistyped id, sent once
        for (int step = 1; step < 5; step++) {
            read("n1", "a", step, 0, 50 + step);
        }
        closeThrough(4);
        assertThat(windows()).hasSize(3);
        assertThat(windows().get(0).sensorIds).containsExactly("a", "zzz");
        assertThat(windows().get(1).sensorIds)
                .as("silent in intervals 1..3, the whole window")
                .containsExactly("a");
        assertThat(windows().get(2).speeds).containsExactly(52f, 53f, 54f);
    }

    @Test
    void aSensorBeyondMaxSensorsInAnIntervalIsADeadLetter() throws Exception {
        open(2);
        read("n1", "a", 0, 0, 50);
        read("n1", "b", 0, 0, 40);
        read("n1", "a", 0, 10, 52); // a known sensor of the interval: still taken
        read("n1", "c", 0, 0, 30);
        ConcurrentLinkedQueue<?> dead = harness.getSideOutput(DeadLetters.TAG);
        assertThat(dead).hasSize(1);
        DeadLetter d = (DeadLetter) ((StreamRecord<?>) dead.peek()).getValue();
        assertThat(d.getStage()).isEqualTo(FailureStage.VALIDATE);
        assertThat(d.getSourceOffset()).isEqualTo(3L);
        assertThat(d.getReason())
                .isEqualTo(
                        "network n1 already has readings of 2 sensors in this interval"
                                + " (attnstream.traffic.max-sensors); sensor_id 'c' is one more");
        read("n1", "c", 1, 0, 31); // a new interval takes it
        assertThat(harness.getSideOutput(DeadLetters.TAG)).hasSize(1);
    }
}
