package io.attnstream.clicks.job;

import static io.attnstream.clicks.ClickFixtures.click;
import static io.attnstream.clicks.ClickFixtures.sourced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.clicks.data.ItemVocabulary;
import io.attnstream.platform.AttnstreamException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;

/**
 * The user-history state written by an earlier release ({@link UserHistoryStateFixture}, the
 * release before item ids, issue 15) restores into today's function with every history intact, read
 * through the vocabulary that wrote it.
 */
class UserHistoryStateFixtureTest {
    private static final String FIXTURE = "/state-fixtures/clicks-history-index-state.snapshot";

    @Test
    void theIndexStateOfTheEarlierReleaseRestoresWithEveryHistoryIntact() throws Exception {
        OperatorSubtaskState saved =
                OperatorSnapshotUtil.readStateHandle(
                        UserHistoryStateFixtureTest.class.getResource(FIXTURE).getPath());
        ItemVocabulary vocabulary = ItemVocabulary.of(UserHistoryStateFixture.VOCABULARY);
        try (var h = UserHistoryStateFixture.harness(vocabulary)) {
            h.initializeState(saved);
            h.open();
            h.setProcessingTime(60_000);
            h.setStateTtlProcessingTime(60_000);
            h.processElement(sourced(click("u1", "f", 60, List.of()), 100), 0);
            h.processElement(sourced(click("u2", "a", 61, List.of()), 101), 0);
            h.processElement(sourced(click("u3", "b", 62, List.of()), 102), 0);

            Map<String, List<String>> histories =
                    h.extractOutputValues().stream()
                            .collect(
                                    Collectors.toMap(
                                            r -> r.event.value.getUserId().toString(),
                                            r -> List.of(r.items)));

            // the saved clicks (UserHistoryStateFixture.CLICKS), then the new one; at most L = 4
            assertThat(histories)
                    .containsEntry("u1", List.of("c", "d", "e", "f"))
                    .containsEntry("u2", List.of("c", "d", "a"))
                    .containsEntry("u3", List.of("f", "b"))
                    .hasSize(3);
            // ... and they are ids now: a snapshot holds the converted histories, not indexes
            OperatorSubtaskState again = h.snapshot(2, 2);
            try (var later = UserHistoryStateFixture.harness(null)) {
                later.initializeState(again);
                later.open();
                later.setProcessingTime(60_000);
                later.setStateTtlProcessingTime(60_000);
                later.processElement(sourced(click("u1", "a", 63, List.of()), 103), 0);
                assertThat(later.extractOutputValues().get(0).items)
                        .containsExactly("d", "e", "f", "a");
            }
        }
    }

    @Test
    void indexStateWithoutAVocabularyToReadItFailsWithOneClearLine() throws Exception {
        OperatorSubtaskState saved =
                OperatorSnapshotUtil.readStateHandle(
                        UserHistoryStateFixtureTest.class.getResource(FIXTURE).getPath());
        try (var h = UserHistoryStateFixture.harness(null)) {
            h.initializeState(saved);
            h.open();
            assertThatThrownBy(
                            () ->
                                    h.processElement(
                                            sourced(click("u1", "f", 60, List.of()), 100), 0))
                    .isInstanceOf(AttnstreamException.class)
                    .hasMessageContaining("vocabulary indexes")
                    .hasMessageContaining("no vocabulary to read them with");
        }
    }
}
