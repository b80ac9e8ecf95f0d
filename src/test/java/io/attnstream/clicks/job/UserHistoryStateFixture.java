package io.attnstream.clicks.job;

import io.attnstream.clicks.data.ItemVocabulary;
import io.attnstream.platform.Sourced;
import io.attnstream.schema.ClickEvent;
import io.attnstream.schema.ClickEventType;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * The user-history state of the release before item-id histories (vocabulary indexes, issue 15),
 * kept as a test fixture so that later releases prove they restore it with every history intact. It
 * was written by this class's {@code main} at commit 76f4812, the code of that release, and is
 * never edited; to see or re-run that writer:
 *
 * <pre>
 * git worktree add /tmp/r76 76f4812 &amp;&amp; cd /tmp/r76
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

    /**
     * Today's function as a job restoring the fixture runs it: index state read with {@code
     * legacy}.
     */
    static KeyedOneInputStreamOperatorTestHarness<String, Sourced<ClickEvent>, HistoryRequest>
            harness(ItemVocabulary legacy) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new UserHistoryFunction(
                                MAX_LENGTH,
                                HISTORY_TTL,
                                Duration.ofHours(1),
                                EnumSet.allOf(ClickEventType.class),
                                UserHistoryFunction.DEFAULT_DEDUP_KEEP,
                                legacy)),
                e -> e.value.getUserId(),
                Types.STRING);
    }
}
