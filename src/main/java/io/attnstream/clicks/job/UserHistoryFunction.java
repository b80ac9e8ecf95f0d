package io.attnstream.clicks.job;

import io.attnstream.clicks.data.ItemVocabulary;
import io.attnstream.platform.Sourced;
import io.attnstream.platform.StateFormatMarker;
import io.attnstream.schema.ClickEvent;
import io.attnstream.schema.ClickEventType;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
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
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps each user's last {@code keep} item ids in keyed state and emits, for every click of a
 * scored event type, the history including that click. Users come and go without end, so the state
 * expires after {@code ttl} without clicks.
 *
 * <p>The history holds ids, every item included: which of them a model knows, and at which index,
 * is the business of the version that scores the request ({@code ItemHistoryTranslator}), so a
 * retrained model with new items sees them in every history, and a restore with another model reads
 * the same items. {@code keep} is at least the model's L, so the model always gets its L newest
 * known items when there are that many.
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
        extends KeyedProcessFunction<String, Sourced<ClickEvent>, HistoryRequest>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    private final int keep;
    private final Duration ttl;
    private final Duration dedupTtl;
    private final EnumSet<ClickEventType> scoreOn;
    private final int dedupKeep;

    /** The vocabulary of restored index state (see {@link LegacyHistories}); null if none. */
    private final ItemVocabulary legacyVocabulary;

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

    /**
     * The default of {@code attnstream.clicks.history-keep}: enough for the L of the models this
     * project trains (20 by default, 50 at most in its experiments), and room for items the serving
     * model does not know yet.
     */
    public static final int DEFAULT_HISTORY_KEEP = 50;

    /** The default of {@code attnstream.clicks.dedup-keep}. */
    public static final int DEFAULT_DEDUP_KEEP = 256;

    /** The name of the state that marks this operator's histories as item ids. */
    static final String FORMAT_STATE = "history-format";

    /**
     * Says in every checkpoint that this operator's histories hold ids: a client restoring a
     * savepoint without it knows the savepoint holds an earlier release's indexes and settles which
     * vocabulary reads them before the job starts ({@link LegacyStateModel}).
     */
    private final StateFormatMarker format = new StateFormatMarker(FORMAT_STATE, "item-ids");

    /** Every event type is scored; duplicates are recognised for an hour; no index state. */
    public UserHistoryFunction(int keep, Duration ttl) {
        this(
                keep,
                ttl,
                Duration.ofHours(1),
                EnumSet.allOf(ClickEventType.class),
                DEFAULT_DEDUP_KEEP,
                null);
    }

    /**
     * @param keep items kept per user
     * @param legacyVocabulary reads restored index state of earlier releases; null when the job
     *     restores none
     */
    public UserHistoryFunction(
            int keep,
            Duration ttl,
            Duration dedupTtl,
            Set<ClickEventType> scoreOn,
            int dedupKeep,
            ItemVocabulary legacyVocabulary) {
        if (dedupKeep < 1) {
            throw new IllegalArgumentException("dedup-keep must be >= 1, got " + dedupKeep);
        }
        if (keep < 1) {
            throw new IllegalArgumentException("history-keep must be >= 1, got " + keep);
        }
        this.keep = keep;
        this.legacyVocabulary = legacyVocabulary;
        this.ttl = ttl;
        this.dedupTtl = dedupTtl;
        this.scoreOn =
                scoreOn.isEmpty() ? EnumSet.noneOf(ClickEventType.class) : EnumSet.copyOf(scoreOn);
        this.dedupKeep = dedupKeep;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        format.initialize(context);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        format.snapshot();
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
        if (before.items == null) { // an earlier release's value: its indexes, read once
            before =
                    new UserClicks(
                            LegacyHistories.ids(before.history, legacyVocabulary),
                            before.historyAt,
                            before.recent);
        }
        String[] items = append(before.itemsSince(now - ttl.toMillis()), click.value.getItemId());
        user.update(new UserClicks(items, now, before.recent.with(id, now, since, dedupKeep)));
        if (!scoreOn.contains(click.value.getEventType())) {
            notScored.inc();
            return;
        }
        out.collect(new HistoryRequest(click, items));
    }

    /**
     * A user's first event in this release's state: whatever the states of earlier releases still
     * hold for them (after a restore), else nothing, and those states are cleared. Their history
     * and ids count as seen now: their times were not kept, and now is the cautious choice.
     */
    private UserClicks fromEarlierReleases(long now) throws Exception {
        int[] indexes = legacyHistory.value();
        boolean hadHistory = indexes != null;
        RecentEvents events = legacyRecent.value();
        if (hadHistory) {
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
        return hadHistory
                ? new UserClicks(LegacyHistories.ids(indexes, legacyVocabulary), now, events)
                : new UserClicks(new String[0], Long.MIN_VALUE, events);
    }

    /** The last {@code keep} items of {@code h} and {@code item}. */
    String[] append(String[] h, String item) {
        int kept = Math.min(h.length, keep - 1);
        String[] n = Arrays.copyOfRange(h, h.length - kept, h.length + 1);
        n[kept] = item;
        return n;
    }
}
