package io.attnstream.traffic.job;

import io.attnstream.platform.Sourced;
import io.attnstream.schema.TrafficReading;
import io.attnstream.testing.TrafficFixtures;
import io.attnstream.traffic.model.TrafficWindow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;

/**
 * The interval aligner's state of a release, kept as a test fixture so that later releases prove
 * they restore it (issue 15: state written while it was indexed by the model's sensor order must
 * restore with every open interval and recent window intact). Written by the code of its release,
 * never edited:
 *
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test.cp
 * java -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.attnstream.schema \
 *     -cp "target/test-classes:target/classes:$(cat target/test.cp)" \
 *     io.attnstream.traffic.job.IntervalAlignerStateFixture \
 *     src/test/resources/state-fixtures/traffic-aligner-index-state.snapshot
 * </pre>
 *
 * <p>Network {@code TrafficFixtures}' default, sensors {@link #SENSORS} in the model's order, T = 3
 * steps of 5 min: steps 0 and 1 complete and closed by the watermark (the network's recent
 * intervals), step 2 open with sensors a and b only. Each speed is {@code 40 + 10 * sensor index +
 * step}.
 */
public final class IntervalAlignerStateFixture {
    public static final List<String> SENSORS = List.of("a", "b", "c", "d");
    public static final long STEP_MILLIS = 300_000L;
    public static final int INPUT_STEPS = 3;

    private IntervalAlignerStateFixture() {}

    static IntervalAligner.Settings settings() {
        return new IntervalAligner.Settings(
                IntervalAligner.Settings.indexOf(SENSORS),
                Duration.ofMillis(STEP_MILLIS),
                INPUT_STEPS,
                Duration.ZERO,
                Duration.ofHours(1));
    }

    static KeyedOneInputStreamOperatorTestHarness<String, Sourced<TrafficReading>, TrafficWindow>
            harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new IntervalAligner("traffic", settings())),
                r -> r.value.getNetworkId(),
                Types.STRING);
    }

    /** The reading of {@code sensor} at {@code step}, with the fixture's speed. */
    static TrafficReading reading(String sensor, int step) {
        return TrafficFixtures.reading(sensor, step, 40 + 10 * SENSORS.indexOf(sensor) + step);
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Files.createDirectories(out.getParent());
        try (var h = harness()) {
            h.open();
            long offset = 0;
            for (int step = 0; step < 2; step++) {
                for (String sensor : SENSORS) {
                    TrafficReading r = reading(sensor, step);
                    h.processElement(
                            new Sourced<>(r, "traffic.readings", 0, offset++),
                            r.getEventTime().toEpochMilli());
                }
            }
            h.processWatermark(TrafficFixtures.T0.toEpochMilli() + 2 * STEP_MILLIS - 1);
            for (String sensor : List.of("a", "b")) {
                TrafficReading r = reading(sensor, 2);
                h.processElement(
                        new Sourced<>(r, "traffic.readings", 0, offset++),
                        r.getEventTime().toEpochMilli());
            }
            if (!h.extractOutputValues().isEmpty()) {
                throw new IllegalStateException("no window may close before T intervals");
            }
            OperatorSubtaskState snapshot = h.snapshot(1, 1);
            OperatorSnapshotUtil.writeStateHandle(snapshot, out.toString());
        }
        System.out.println("wrote " + out.toAbsolutePath());
    }
}
