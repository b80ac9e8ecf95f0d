package io.attnstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.platform.Sourced;
import io.attnstream.schema.ClickEvent;
import io.attnstream.schema.ClickEventType;
import io.attnstream.schema.Recommendation;
import io.attnstream.schema.ScoredItem;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class SkeletonClicksJobTest {

    private static Sourced<ClickEvent> click(String user, String item, long offset) {
        ClickEvent e =
                ClickEvent.newBuilder()
                        .setUserId(user)
                        .setItemId(item)
                        .setEventType(ClickEventType.VIEW)
                        .setEventTime(Instant.ofEpochMilli(1_000 + offset))
                        .build();
        return new Sourced<>(e, "clicks.events", 1, offset);
    }

    @Test
    void everyClickGetsTheTenItemsAndTheHistoryKeepsTheLastLItemsPerUser() throws Exception {
        List<String> items = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
        try (var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new SkeletonClicksJob.LastItems(2, items)),
                        (Sourced<ClickEvent> e) -> e.value.getUserId(),
                        Types.STRING)) {
            harness.open();
            harness.processElement(click("u1", "a", 0), 0);
            harness.processElement(click("u2", "b", 1), 0);
            harness.processElement(click("u1", "c", 2), 0);
            harness.processElement(click("u1", "d", 3), 0);

            List<Recommendation> out = harness.extractOutputValues();
            assertThat(out)
                    .extracting(Recommendation::getHistoryLength)
                    .containsExactly(1, 1, 2, 2);
            Recommendation last = out.get(3);
            assertThat(last.getTopItems())
                    .extracting(ScoredItem::getItemId)
                    .containsExactlyElementsOf(items);
            assertThat(last.getUserId()).isEqualTo("u1");
            assertThat(last.getPredictionId()).isEqualTo("clicks.events-1-3");
            assertThat(last.getLineage().getOffset()).isEqualTo(3L);
            assertThat(last.getEventTime()).isEqualTo(Instant.ofEpochMilli(1_003));
            assertThat(harness.numKeyedStateEntries()).as("one history per user").isEqualTo(2);
        }
    }
}
