package io.attnstream.clicks.job;

import static io.attnstream.clicks.ClickFixtures.click;
import static io.attnstream.clicks.ClickFixtures.sourced;
import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.clicks.data.ItemVocabulary;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;

/**
 * The user-history state written by an earlier release ({@link UserHistoryStateFixture}, the
 * release before item ids, issue 15) restores into today's function with every history intact.
 */
class UserHistoryStateFixtureTest {
    private static final String FIXTURE = "/state-fixtures/clicks-history-index-state.snapshot";

    @Test
    void theIndexStateOfTheEarlierReleaseRestoresWithEveryHistoryIntact() throws Exception {
        OperatorSubtaskState saved =
                OperatorSnapshotUtil.readStateHandle(
                        UserHistoryStateFixtureTest.class.getResource(FIXTURE).getPath());
        ItemVocabulary vocabulary = ItemVocabulary.of(UserHistoryStateFixture.VOCABULARY);
        try (var h = UserHistoryStateFixture.harness()) {
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
                                            r ->
                                                    Arrays.stream(r.history)
                                                            .mapToObj(vocabulary::idOf)
                                                            .toList()));

            // the saved clicks (UserHistoryStateFixture.CLICKS), then the new one; at most L = 4
            assertThat(histories)
                    .containsEntry("u1", List.of("c", "d", "e", "f"))
                    .containsEntry("u2", List.of("c", "d", "a"))
                    .containsEntry("u3", List.of("f", "b"))
                    .hasSize(3);
        }
    }
}
