package io.attnstream.clicks.job;

import java.util.Arrays;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The ids of a user's most recent events and when each was seen (processing time), oldest first:
 * what the de-duplication of re-delivered events needs, in one keyed value instead of a map entry
 * per event. Immutable; a Flink POJO (see {@link #typeInfo}).
 */
public class RecentEvents {
    public String[] ids;
    public long[] seenAt;

    public RecentEvents() {}

    RecentEvents(String[] ids, long[] seenAt) {
        this.ids = ids;
        this.seenAt = seenAt;
    }

    static RecentEvents empty() {
        return new RecentEvents(new String[0], new long[0]);
    }

    /**
     * Whether {@code id} was seen at or after {@code since}; newest first, as a re-delivery is
     * usually recent.
     */
    boolean seenSince(String id, long since) {
        for (int i = ids.length - 1; i >= 0 && seenAt[i] >= since; i--) {
            if (ids[i].equals(id)) {
                return true;
            }
        }
        return false;
    }

    /**
     * These events with {@code id} added, without those seen before {@code since}, at most {@code
     * keep} of them.
     */
    RecentEvents with(String id, long now, long since, int keep) {
        int from = 0;
        while (from < ids.length && seenAt[from] < since) {
            from++;
        }
        from = Math.max(from, ids.length + 1 - keep);
        int n = ids.length - from;
        String[] i = Arrays.copyOfRange(ids, from, from + n + 1);
        long[] t = Arrays.copyOfRange(seenAt, from, from + n + 1);
        i[n] = id;
        t[n] = now;
        return new RecentEvents(i, t);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static TypeInformation<RecentEvents> typeInfo() {
        return (TypeInformation)
                Types.POJO(
                        RecentEvents.class,
                        Map.of(
                                "ids", Types.OBJECT_ARRAY(Types.STRING),
                                "seenAt", Types.PRIMITIVE_ARRAY(Types.LONG)));
    }
}
