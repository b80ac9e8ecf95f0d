package io.attnstream.clicks.job;

import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * What the clicks job keeps per user, in one keyed value: the history (item ids, oldest first),
 * when it last grew, and the recent event ids for de-duplication. One value, so a click costs one
 * TTL'd read and one write; as two states (history and recent ids) the TTL wrapping, checks and
 * incremental cleanup of the second were a fifth of the job's task-thread CPU with a null model.
 *
 * <p>Ids, not one model's vocabulary indexes: the history outlives the model (a retrained version
 * with new items, a restore with another model) and keeps items no model knows yet. Releases before
 * that kept indexes in {@link #history}; a value restored from them has {@link #items} null until
 * {@link UserHistoryFunction} converts it. Immutable; a Flink POJO (see {@link #typeInfo}): the
 * field added to the earlier POJO, so their savepoints restore into this one.
 */
public class UserClicks {
    /** Item ids, oldest first; null only in a value restored from an earlier release. */
    public String[] items;

    /**
     * The earlier releases' history: indexes into the vocabulary of the model they served; null in
     * values this release wrote.
     */
    public int[] history;

    /**
     * Processing time the history last grew: it expires {@code ttl} later, which may be before the
     * value does.
     */
    public long historyAt;

    public RecentEvents recent;

    public UserClicks() {}

    UserClicks(String[] items, long historyAt, RecentEvents recent) {
        this.items = items;
        this.historyAt = historyAt;
        this.recent = recent;
    }

    static UserClicks empty() {
        return new UserClicks(new String[0], Long.MIN_VALUE, RecentEvents.empty());
    }

    /** The history unless it is older than {@code since}. */
    String[] itemsSince(long since) {
        return historyAt >= since ? items : new String[0];
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static TypeInformation<UserClicks> typeInfo() {
        return (TypeInformation)
                Types.POJO(
                        UserClicks.class,
                        Map.of(
                                "items", Types.OBJECT_ARRAY(Types.STRING),
                                "history", Types.PRIMITIVE_ARRAY(Types.INT),
                                "historyAt", Types.LONG,
                                "recent", RecentEvents.typeInfo()));
    }
}
