package io.attnstream.clicks.job;

import java.util.Locale;
import java.util.UUID;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** The user value's serialized size, indexes (before) vs ids (now); see {@code StateSizes}. */
public final class UserClicksSizes {
    private UserClicksSizes() {}

    static int size(UserClicks v) throws Exception {
        TypeSerializer<UserClicks> s =
                UserClicks.typeInfo().createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(256);
        s.serialize(v, out);
        return out.length();
    }

    public static void print() throws Exception {
        for (int recent : new int[] {0, 20}) {
            RecentEvents events = RecentEvents.empty();
            for (int i = 0; i < recent; i++) {
                events = events.with(UUID.randomUUID().toString(), i, 0, 256);
            }
            UserClicks before = new UserClicks(null, 0, events);
            before.history = new int[20]; // L = 20 known items
            for (int keep : new int[] {20, 50}) {
                String[] ids = new String[keep];
                for (int i = 0; i < keep; i++) {
                    ids[i] = String.format(Locale.ROOT, "B%09d", 4_000_000 + i); // an ASIN's shape
                }
                UserClicks now = new UserClicks(ids, 0, events);
                System.out.printf(
                        Locale.ROOT,
                        "user, %2d recent event ids: indexes (L = 20) %5d bytes; ids, keep %d"
                                + " (10-char ids) %5d bytes%n",
                        recent,
                        size(before),
                        keep,
                        size(now));
            }
        }
    }
}
