package io.attnstream.clicks.job;

import io.attnstream.clicks.data.ItemVocabulary;
import io.attnstream.platform.Sourced;
import io.attnstream.schema.ClickEvent;
import io.attnstream.schema.ClickEventType;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps each user's last L known item indexes in keyed state and emits, for every click of a scored
 * event type, the history including that click. Users come and go without end, so the state expires
 * after {@code ttl} without clicks.
 *
 * <p>An event seen before (same event id, or for events without one the same user, item, type and
 * time) within {@code dedupTtl} is a re-delivery: it neither enters the history again nor produces
 * a second recommendation. The ids (at most {@code dedupKeep}) are kept with the history in one
 * value per user ({@link UserClicks}): a map state entry per event cost more CPU than the rest of
 * the function, and a second value state still cost a TTL'd read, a TTL'd write and incremental
 * cleanup on every click. Events of types not in {@code scoreOn} still extend the history (a
 * purchase is context) but are not scored.
 */
public class UserHistoryFunction
        extends KeyedProcessFunction<String, Sourced<ClickEvent>, HistoryRequest> {
    private static final long serialVersionUID = 1L;

    private final ItemVocabulary vocabulary;
    private final int maxLength;
    private final Duration ttl;
    private final Duration dedupTtl;
    private final EnumSet<ClickEventType> scoreOn;
    private final int dedupKeep;
    private transient ValueState<UserClicks> user;

    /**
     * Releases before one value per user kept the history and the recent ids apart; read once per
     * user.
     */
    private transient ValueState<int[]> legacyHistory;

    private transient ValueState<RecentEvents> legacyRecent;

    /**
     * Releases before the recent-events value kept a map entry per event id; read once per user,
     * then cleared.
     */
    private transient MapState<String, Boolean> legacySeen;

    private transient Counter duplicates;
    private transient Counter notScored;

    /** The default of {@code attnstream.clicks.dedup-keep}. */
    public static final int DEFAULT_DEDUP_KEEP = 256;

    /** Every event type is scored; duplicates are recognised for an hour. */
    public UserHistoryFunction(ItemVocabulary vocabulary, int maxLength, Duration ttl) {
        this(
                vocabulary,
                maxLength,
                ttl,
                Duration.ofHours(1),
                EnumSet.allOf(ClickEventType.class),
                DEFAULT_DEDUP_KEEP);
    }

    public UserHistoryFunction(
            ItemVocabulary vocabulary,
            int maxLength,
            Duration ttl,
            Duration dedupTtl,
            Set<ClickEventType> scoreOn,
            int dedupKeep) {
        if (dedupKeep < 1) {
            throw new IllegalArgumentException("dedup-keep must be >= 1, got " + dedupKeep);
        }
        this.vocabulary = vocabulary;
        this.maxLength = maxLength;
        this.ttl = ttl;
        this.dedupTtl = dedupTtl;
        this.scoreOn =
                scoreOn.isEmpty() ? EnumSet.noneOf(ClickEventType.class) : EnumSet.copyOf(scoreOn);
        this.dedupKeep = dedupKeep;
    }

    @Override
    public void open(OpenContext openContext) {
        // One TTL for the value: the longer of the two; the shorter is checked on read
        // (historySince, seenSince).
        ValueStateDescriptor<UserClicks> u =
                new ValueStateDescriptor<>("user-clicks", UserClicks.typeInfo());
        u.enableTimeToLive(ttl(ttl.compareTo(dedupTtl) >= 0 ? ttl : dedupTtl));
        user = getRuntimeContext().getState(u);
        legacyHistory = getRuntimeContext().getState(legacyHistoryState(ttl));
        legacyRecent = getRuntimeContext().getState(legacyRecentState(dedupTtl));
        legacySeen = getRuntimeContext().getMapState(legacySeenState(dedupTtl));
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicateEvents");
        notScored = getRuntimeContext().getMetricGroup().counter("eventsNotScored");
    }

    /**
     * The states of earlier releases, declared as they were (a TTL'd state restores only into a
     * TTL'd one).
     */
    static ValueStateDescriptor<int[]> legacyHistoryState(Duration ttl) {
        ValueStateDescriptor<int[]> d =
                new ValueStateDescriptor<>(
                        "user-history", PrimitiveArrayTypeInfo.INT_PRIMITIVE_ARRAY_TYPE_INFO);
        d.enableTimeToLive(ttl(ttl));
        return d;
    }

    static ValueStateDescriptor<RecentEvents> legacyRecentState(Duration dedupTtl) {
        ValueStateDescriptor<RecentEvents> d =
                new ValueStateDescriptor<>("recent-event-ids", RecentEvents.typeInfo());
        d.enableTimeToLive(ttl(dedupTtl));
        return d;
    }

    static MapStateDescriptor<String, Boolean> legacySeenState(Duration dedupTtl) {
        MapStateDescriptor<String, Boolean> d =
                new MapStateDescriptor<>("seen-event-ids", Types.STRING, Types.BOOLEAN);
        d.enableTimeToLive(ttl(dedupTtl));
        return d;
    }

    /**
     * On heap, expired users are removed by incremental cleanup: each state access also visits one
     * more entry. One is enough to keep up (every entry is created by an access, and every access
     * visits one), and Flink's default of five per access was a sixth of this function's CPU.
     */
    private static StateTtlConfig ttl(Duration d) {
        return StateTtlConfig.newBuilder(d)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupIncrementally(1, false)
                .build();
    }

    /** The event's id, or one derived from what identifies it when the producer sent none. */
    static String eventId(ClickEvent e) {
        return e.getEventId() != null
                ? e.getEventId()
                : e.getUserId()
                        + "|"
                        + e.getItemId()
                        + "|"
                        + e.getEventType()
                        + "|"
                        + e.getEventTime().toEpochMilli();
    }

    @Override
    public void processElement(
            Sourced<ClickEvent> click, Context ctx, Collector<HistoryRequest> out)
            throws Exception {
        String id = eventId(click.value);
        long now = ctx.timerService().currentProcessingTime();
        long since = now - dedupTtl.toMillis();
        UserClicks before = user.value();
        boolean carriedOver = before == null;
        if (carriedOver) {
            before = fromEarlierReleases(now);
        }
        if (before.recent.seenSince(id, since)) {
            if (carriedOver) {
                user.update(before); // the earlier states are cleared: what they held lives on here
            }
            duplicates.inc();
            return;
        }
        int[] history = before.historySince(now - ttl.toMillis());
        long historyAt = before.historyAt;
        int item = vocabulary.indexOf(click.value.getItemId());
        if (item != ItemVocabulary.UNKNOWN) {
            history = append(history, item, maxLength);
            historyAt = now;
        }
        user.update(
                new UserClicks(history, historyAt, before.recent.with(id, now, since, dedupKeep)));
        if (!scoreOn.contains(click.value.getEventType())) {
            notScored.inc();
            return;
        }
        List<String> candidates = click.value.getCandidates();
        int[] cand = new int[candidates.size()];
        for (int i = 0; i < cand.length; i++) {
            cand[i] = vocabulary.indexOf(candidates.get(i));
        }
        out.collect(new HistoryRequest(click, history, cand));
    }

    /**
     * A user's first event in this release's state: whatever the states of earlier releases still
     * hold for them (after a restore), else nothing, and those states are cleared. Their history
     * and ids count as seen now: their times were not kept, and now is the cautious choice.
     */
    private UserClicks fromEarlierReleases(long now) throws Exception {
        int[] history = legacyHistory.value();
        RecentEvents events = legacyRecent.value();
        if (history != null) {
            legacyHistory.clear();
        }
        if (events != null) {
            legacyRecent.clear();
        } else {
            events = RecentEvents.empty();
        }
        if (!legacySeen.isEmpty()) {
            for (String seen : legacySeen.keys()) {
                events = events.with(seen, now, Long.MIN_VALUE, dedupKeep);
            }
            legacySeen.clear();
        }
        return history == null
                ? new UserClicks(new int[0], Long.MIN_VALUE, events)
                : new UserClicks(history, now, events);
    }

    static int[] append(int[] h, int item, int maxLength) {
        int keep = Math.min(h.length, maxLength - 1);
        int[] n = Arrays.copyOfRange(h, h.length - keep, h.length + 1);
        n[keep] = item;
        return n;
    }
}
