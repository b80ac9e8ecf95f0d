package io.attnstream.clicks.job;

import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * What the clicks job keeps per user, in one keyed value: the history (item indexes, oldest first),
 * when it last grew, and the recent event ids for de-duplication. One value, so a click costs one
 * TTL'd read and one write; as two states (history and recent ids) the TTL wrapping, checks and
 * incremental cleanup of the second were a fifth of the job's task-thread CPU with a null model.
 * Immutable; a Flink POJO (see {@link #typeInfo}).
 */
public class UserClicks {
    public int[] history;

    /**
     * Processing time the history last grew: it expires {@code ttl} later, which may be before the
     * value does.
     */
    public long historyAt;

    public RecentEvents recent;

    public UserClicks() {}

    UserClicks(int[] history, long historyAt, RecentEvents recent) {
        this.history = history;
        this.historyAt = historyAt;
        this.recent = recent;
    }

    static UserClicks empty() {
        return new UserClicks(new int[0], Long.MIN_VALUE, RecentEvents.empty());
    }

    /** The history unless it is older than {@code since}. */
    int[] historySince(long since) {
        return historyAt >= since ? history : new int[0];
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static TypeInformation<UserClicks> typeInfo() {
        return (TypeInformation)
                Types.POJO(
                        UserClicks.class,
                        Map.of(
                                "history", Types.PRIMITIVE_ARRAY(Types.INT),
                                "historyAt", Types.LONG,
                                "recent", RecentEvents.typeInfo()));
    }
}
