package io.attnstream.traffic.job;

import io.attnstream.platform.Sourced;
import io.attnstream.schema.TrafficReading;
import io.attnstream.testing.TrafficFixtures;
import io.attnstream.traffic.model.TrafficWindow;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * The interval aligner's state of the release before sensor ids (columns in the model's sensor
 * order, issue 15), kept as a test fixture so that later releases prove they restore it with every
 * open interval and recent window intact. It was written by this class's {@code main} at commit
 * 76f4812, the code of that release, and is never edited; to see or re-run that writer:
 *
 * <pre>
 * git worktree add /tmp/r76 76f4812 &amp;&amp; cd /tmp/r76
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

    /** Today's aligner as a job restoring the fixture runs it: columns read in {@code legacy}. */
    static KeyedOneInputStreamOperatorTestHarness<String, Sourced<TrafficReading>, TrafficWindow>
            harness(List<String> legacy) throws Exception {
        IntervalAligner.Settings settings =
                new IntervalAligner.Settings(
                        Duration.ofMillis(STEP_MILLIS),
                        INPUT_STEPS,
                        Duration.ZERO,
                        Duration.ofHours(1),
                        IntervalAligner.Settings.DEFAULT_MAX_SENSORS,
                        legacy);
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new IntervalAligner("traffic", settings)),
                r -> r.value.getNetworkId(),
                Types.STRING);
    }

    /** The reading of {@code sensor} at {@code step}, with the fixture's speed. */
    static TrafficReading reading(String sensor, int step) {
        return TrafficFixtures.reading(sensor, step, 40 + 10 * SENSORS.indexOf(sensor) + step);
    }
}
