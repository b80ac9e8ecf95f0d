package io.attnstream.clicks.job;

import static io.attnstream.clicks.ClickFixtures.click;
import static io.attnstream.clicks.ClickFixtures.sourced;

import io.attnstream.clicks.data.ItemVocabulary;
import io.attnstream.platform.Sourced;
import io.attnstream.schema.ClickEvent;
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
 * The user-history state of a release, kept as a test fixture so that later releases prove they
 * restore it (issue 15: a savepoint written before histories held item ids must restore with every
 * history intact). Written by the code of its release, never edited:
 *
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test.cp
 * java -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.attnstream.schema \
 *     -cp "target/test-classes:target/classes:$(cat target/test.cp)" \
 *     io.attnstream.clicks.job.UserHistoryStateFixture \
 *     src/test/resources/state-fixtures/clicks-history-index-state.snapshot
 * </pre>
 *
 * <p>Three users click through {@link #VOCABULARY} (L = 4, 30 min history), in the order {@link
 * #CLICKS} lists; the snapshot is the keyed operator's state after them, at processing time 0.
 */
public final class UserHistoryStateFixture {
    /** The model's vocabulary when the fixture was written: the indexes in its state are these. */
    public static final List<String> VOCABULARY = List.of("a", "b", "c", "d", "e", "f");

    public static final int MAX_LENGTH = 4;
    public static final Duration HISTORY_TTL = Duration.ofMinutes(30);

    /** (user, item) in click order; one click per second. */
    public static final List<List<String>> CLICKS =
            List.of(
                    List.of("u1", "a"),
                    List.of("u2", "c"),
                    List.of("u1", "b"),
                    List.of("u3", "f"),
                    List.of("u1", "c"),
                    List.of("u2", "d"),
                    List.of("u1", "d"),
                    List.of("u1", "e"));

    private UserHistoryStateFixture() {}

    static KeyedOneInputStreamOperatorTestHarness<String, Sourced<ClickEvent>, HistoryRequest>
            harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new UserHistoryFunction(
                                ItemVocabulary.of(VOCABULARY), MAX_LENGTH, HISTORY_TTL)),
                e -> e.value.getUserId(),
                Types.STRING);
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Files.createDirectories(out.getParent());
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            h.setStateTtlProcessingTime(0);
            for (int i = 0; i < CLICKS.size(); i++) {
                List<String> c = CLICKS.get(i);
                h.processElement(sourced(click(c.get(0), c.get(1), i, List.of()), i), 0);
            }
            OperatorSubtaskState snapshot = h.snapshot(1, 1);
            OperatorSnapshotUtil.writeStateHandle(snapshot, out.toString());
        }
        System.out.println("wrote " + out.toAbsolutePath());
    }
}
