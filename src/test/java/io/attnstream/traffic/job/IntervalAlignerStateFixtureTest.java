package io.attnstream.traffic.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.platform.Sourced;
import io.attnstream.schema.TrafficReading;
import io.attnstream.testing.TrafficFixtures;
import io.attnstream.traffic.model.TrafficWindow;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;

/**
 * The aligner state written by an earlier release ({@link IntervalAlignerStateFixture}, the release
 * before sensor ids, issue 15) restores into today's aligner, its columns named by the sensor order
 * that wrote them: the recent intervals and the open one are back, and the first window closes with
 * every speed under its sensor.
 */
class IntervalAlignerStateFixtureTest {
    private static final String FIXTURE = "/state-fixtures/traffic-aligner-index-state.snapshot";

    @Test
    void theIndexStateOfTheEarlierReleaseRestoresWithEveryIntervalIntact() throws Exception {
        OperatorSubtaskState saved =
                OperatorSnapshotUtil.readStateHandle(
                        IntervalAlignerStateFixtureTest.class.getResource(FIXTURE).getPath());
        try (var h = IntervalAlignerStateFixture.harness(IntervalAlignerStateFixture.SENSORS)) {
            h.initializeState(saved);
            h.open();
            long offset = 100;
            for (String sensor : List.of("c", "d")) {
                TrafficReading r = IntervalAlignerStateFixture.reading(sensor, 2);
                h.processElement(
                        new Sourced<>(r, "traffic.readings", 0, offset++),
                        r.getEventTime().toEpochMilli());
            }
            h.processWatermark(
                    TrafficFixtures.T0.toEpochMilli()
                            + 3 * IntervalAlignerStateFixture.STEP_MILLIS
                            - 1);

            List<TrafficWindow> windows = h.extractOutputValues();
            assertThat(windows).hasSize(1);
            // (T, N) = steps 0..2 x sensors a..d: 40 + 10 * sensor + step
            assertThat(windows.get(0).sensorIds).containsExactly("a", "b", "c", "d");
            assertThat(windows.get(0).speeds)
                    .containsExactly(40, 50, 60, 70, 41, 51, 61, 71, 42, 52, 62, 72);
        }
    }
}
