package io.attnstream.clicks.job;

import static io.attnstream.clicks.ClickFixtures.click;
import static io.attnstream.clicks.ClickFixtures.sourced;
import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.clicks.data.ItemVocabulary;
import io.attnstream.platform.Sourced;
import io.attnstream.schema.ClickEvent;
import io.attnstream.schema.ClickEventType;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UserHistoryFunctionTest {
    /** The vocabulary of the earlier releases' index state the tests restore. */
    private static final ItemVocabulary LEGACY = ItemVocabulary.numeric(100);

    private KeyedOneInputStreamOperatorTestHarness<String, Sourced<ClickEvent>, HistoryRequest>
            harness;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new UserHistoryFunction(
                                        3,
                                        Duration.ofMinutes(30),
                                        Duration.ofHours(1),
                                        EnumSet.allOf(ClickEventType.class),
                                        UserHistoryFunction.DEFAULT_DEDUP_KEEP,
                                        LEGACY)),
                        e -> e.value.getUserId(),
                        Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    /**
     * A new harness: L = 3, 30 min history, 5 min de-duplication of at most {@code dedupKeep} ids.
     */
    private void reopen(Set<ClickEventType> scoreOn, int dedupKeep) throws Exception {
        harness.close();
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new UserHistoryFunction(
                                        3,
                                        Duration.ofMinutes(30),
                                        Duration.ofMinutes(5),
                                        scoreOn,
                                        dedupKeep,
                                        LEGACY)),
                        e -> e.value.getUserId(),
                        Types.STRING);
        harness.open();
    }

    /** Processing time for the function and for state TTL, which the harness keeps apart. */
    private void at(long millis) throws Exception {
        harness.setProcessingTime(millis);
        harness.setStateTtlProcessingTime(millis);
    }

    private List<HistoryRequest> out() {
        return harness.extractOutputValues();
    }

    @Test
    void historyIncludesTheCurrentClickAndKeepsTheLastLItemsPerUser() throws Exception {
        harness.processElement(sourced(click("u1", "5", 0, List.of()), 0), 0);
        harness.processElement(sourced(click("u2", "9", 1, List.of()), 1), 0);
        harness.processElement(sourced(click("u1", "6", 2, List.of()), 2), 0);
        harness.processElement(sourced(click("u1", "7", 3, List.of()), 3), 0);
        harness.processElement(sourced(click("u1", "8", 4, List.of()), 4), 0);

        List<HistoryRequest> out = out();
        assertThat(out).hasSize(5);
        assertThat(out.get(0).items).containsExactly("5");
        assertThat(out.get(1).items).containsExactly("9");
        assertThat(out.get(2).items).containsExactly("5", "6");
        assertThat(out.get(3).items).containsExactly("5", "6", "7");
        assertThat(out.get(4).items)
                .as("capped at L = 3, oldest dropped")
                .containsExactly("6", "7", "8");
        assertThat(out.get(4).event.offset).isEqualTo(4L);
        assertThat(harness.numKeyedStateEntries())
                .as("one value per user: history and recent event ids")
                .isEqualTo(2);
    }

    @Test
    void itemsNoModelKnowsStayInTheHistoryAsIds() throws Exception {
        harness.processElement(sourced(click("u1", "5", 0, List.of()), 0), 0);
        harness.processElement(
                sourced(click("u1", "not-an-item", 1, List.of("7", "999", "x")), 1), 0);

        HistoryRequest r = out().get(1);
        assertThat(r.items)
                .as("which items a model knows is for the version that scores it")
                .containsExactly("5", "not-an-item");
        assertThat(r.history).as("no indexes").isNull();
        var request = r.toModelRequest(null);
        assertThat(request.items()).containsExactly("5", "not-an-item");
        assertThat(request.candidates()).containsExactly("7", "999", "x");
    }

    @Test
    void historyOfAUserWhoStaysAwayExpires() throws Exception {
        at(0);
        harness.processElement(sourced(click("u1", "5", 0, List.of()), 0), 0);
        at(Duration.ofMinutes(31).toMillis());
        harness.processElement(sourced(click("u1", "6", 1, List.of()), 1), 0);
        assertThat(out().get(1).items).as("the first click expired").containsExactly("6");
    }

    @Test
    void appendKeepsOrderAndLength() {
        UserHistoryFunction three = new UserHistoryFunction(3, Duration.ofMinutes(30));
        assertThat(three.append(new String[] {"1", "2", "3"}, "4")).containsExactly("2", "3", "4");
        assertThat(three.append(new String[] {}, "4")).containsExactly("4");
        UserHistoryFunction one = new UserHistoryFunction(1, Duration.ofMinutes(30));
        assertThat(one.append(new String[] {"1"}, "2")).containsExactly("2");
    }

    @Test
    void aReDeliveredEventIsNeitherAddedNorScoredTwice() throws Exception {
        ClickEvent first = click("u1", "5", 0, List.of());
        first.setEventId("e-1");
        harness.processElement(sourced(first, 0), 0);
        ClickEvent again = click("u1", "5", 0, List.of());
        again.setEventId("e-1");
        harness.processElement(sourced(again, 1), 0);
        harness.processElement(sourced(click("u1", "6", 2, List.of()), 2), 0);

        assertThat(out()).hasSize(2);
        assertThat(out().get(1).items).as("5 once, then 6").containsExactly("5", "6");
    }

    @Test
    void eventsWithoutAnIdAreRecognisedByUserItemTypeAndTime() throws Exception {
        harness.processElement(sourced(click("u1", "5", 0, List.of()), 0), 0);
        harness.processElement(
                sourced(click("u1", "5", 0, List.of()), 1), 0); // same user, item, type, time
        harness.processElement(
                sourced(click("u1", "5", 1, List.of()), 2), 0); // a second click a second later

        assertThat(out()).hasSize(2);
        assertThat(out().get(1).items).containsExactly("5", "5");
    }

    @Test
    void onlyChosenEventTypesAreScoredButAllExtendTheHistory() throws Exception {
        reopen(EnumSet.of(ClickEventType.PURCHASE), 8);
        harness.processElement(sourced(click("u1", "5", 0, List.of()), 0), 0); // CLICK: not scored
        ClickEvent purchase = click("u1", "6", 1, List.of());
        purchase.setEventType(ClickEventType.PURCHASE);
        harness.processElement(sourced(purchase, 1), 0);

        assertThat(out()).hasSize(1);
        assertThat(out().get(0).items)
                .as("the unscored click is context")
                .containsExactly("5", "6");
    }

    @Test
    void duplicateMemoryExpires() throws Exception {
        at(0);
        ClickEvent e = click("u1", "5", 0, List.of());
        e.setEventId("e-9");
        harness.processElement(sourced(e, 0), 0);
        at(Duration.ofHours(2).toMillis());
        harness.processElement(sourced(e, 1), 0);
        assertThat(out()).as("after the dedup TTL the id is forgotten").hasSize(2);
    }

    @Test
    void aReDeliveryIsRecognisedAmongTheLastDedupKeepEventsAndForgottenBeyondThem()
            throws Exception {
        reopen(EnumSet.allOf(ClickEventType.class), 3);
        for (int i = 0; i < 4; i++) {
            ClickEvent e = click("u1", Integer.toString(10 + i), i, List.of());
            e.setEventId("e-" + i);
            harness.processElement(sourced(e, i), 0);
        }
        ClickEvent recentAgain = click("u1", "13", 3, List.of());
        recentAgain.setEventId("e-3");
        harness.processElement(sourced(recentAgain, 4), 0);
        ClickEvent oldAgain = click("u1", "10", 0, List.of());
        oldAgain.setEventId("e-0"); // the fourth id pushed it out of the last three
        harness.processElement(sourced(oldAgain, 5), 0);
        assertThat(out()).hasSize(5);
        assertThat(out().get(4).event.offset).isEqualTo(5L);
    }

    @Test
    void recentEventsDropIdsSeenBeforeTheWindowAndKeepAtMostKeep() {
        RecentEvents r =
                RecentEvents.empty().with("a", 0, 0, 3).with("b", 10, 0, 3).with("c", 20, 0, 3);
        assertThat(r.seenSince("a", 0)).isTrue();
        assertThat(r.seenSince("a", 5)).as("seen at 0, window from 5").isFalse();
        RecentEvents s = r.with("d", 30, 15, 3);
        assertThat(s.ids).as("a and b are older than 15").containsExactly("c", "d");
        assertThat(r.with("d", 30, 0, 3).ids).as("at most 3").containsExactly("b", "c", "d");
    }

    @Test
    void theHistoryExpiresAfterItsTtlEvenWhileTheLongerDedupMemoryKeepsTheUser() throws Exception {
        // 30 min history, 1 h de-duplication (the setUp's): the value lives an hour, its history
        // half of it
        at(0);
        ClickEvent e = click("u1", "5", 0, List.of());
        e.setEventId("e-1");
        harness.processElement(sourced(e, 0), 0);
        at(Duration.ofMinutes(40).toMillis());
        harness.processElement(sourced(e, 1), 0); // re-delivered after 40 min: still a duplicate
        harness.processElement(sourced(click("u1", "6", 2, List.of()), 2), 0);
        assertThat(out()).hasSize(2);
        assertThat(out().get(1).items).as("the 40-minute-old click expired").containsExactly("6");
    }

    @Test
    void aClickOfAnItemNoModelKnowsKeepsTheHistoryAliveLikeAnyOther() throws Exception {
        at(0);
        harness.processElement(sourced(click("u1", "5", 0, List.of()), 0), 0);
        at(Duration.ofMinutes(20).toMillis());
        harness.processElement(sourced(click("u1", "not-an-item", 1, List.of()), 1), 0);
        at(Duration.ofMinutes(35).toMillis());
        harness.processElement(sourced(click("u1", "6", 2, List.of()), 2), 0);
        assertThat(out().get(2).items)
                .as("the history grew 15 min ago")
                .containsExactly("5", "not-an-item", "6");
    }

    @Test
    void stateOfEarlierReleasesIsReadOnceAndCarriedOver() throws Exception {
        // What a savepoint of an earlier release holds for u1: its history, recent ids and the
        // older id map
        Duration ttl = Duration.ofMinutes(30);
        Duration dedup = Duration.ofHours(1);
        var operator = (AbstractStreamOperator<?>) harness.getOperator();
        var store = operator.getKeyedStateStore();
        operator.setCurrentKey("u1");
        store.getState(UserHistoryFunction.legacyHistoryState(ttl)).update(new int[] {3, 4});
        store.getState(UserHistoryFunction.legacyRecentState(dedup))
                .update(RecentEvents.empty().with("e-1", 0, 0, 8));
        store.getMapState(UserHistoryFunction.legacySeenState(dedup)).put("e-0", true);

        ClickEvent old = click("u1", "9", 0, List.of());
        old.setEventId("e-0");
        harness.processElement(sourced(old, 0), 0); // in the old map: a duplicate
        ClickEvent recent = click("u1", "9", 0, List.of());
        recent.setEventId("e-1");
        harness.processElement(sourced(recent, 1), 0); // in the old recent ids: a duplicate
        harness.processElement(sourced(click("u1", "5", 2, List.of()), 2), 0);

        assertThat(out()).hasSize(1);
        assertThat(out().get(0).items)
                .as("the old history continues, read through its vocabulary (keep = 3)")
                .containsExactly("3", "4", "5");
        operator.setCurrentKey("u1");
        assertThat(store.getState(UserHistoryFunction.legacyHistoryState(ttl)).value())
                .as("cleared")
                .isNull();
        assertThat(store.getState(UserHistoryFunction.legacyRecentState(dedup)).value())
                .as("cleared")
                .isNull();
        assertThat(store.getMapState(UserHistoryFunction.legacySeenState(dedup)).isEmpty())
                .as("cleared")
                .isTrue();
        assertThat(harness.numKeyedStateEntries())
                .as("only this release's value is left")
                .isEqualTo(1);
    }
}
