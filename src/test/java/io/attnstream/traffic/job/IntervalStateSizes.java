package io.attnstream.traffic.job;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataOutputSerializer;

/** A network's serialized state, model columns (before) vs named columns (now). */
public final class IntervalStateSizes {
    private IntervalStateSizes() {}

    static <T> int size(TypeInformation<T> type, T v) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(4096);
        type.createSerializer(new SerializerConfigImpl()).serialize(v, out);
        return out.length();
    }

    public static void print() throws Exception {
        int n = 207; // Los-loop
        int t = 12;
        List<String> ids =
                IntStream.range(0, n).mapToObj(i -> Integer.toString(716_000 + i)).toList();
        RecentIntervals before = new RecentIntervals();
        before.steps = t;
        before.speeds = new float[t * n];
        RecentIntervals now = new RecentIntervals();
        now.steps = t;
        now.speeds = new float[t * n];
        now.sensors = ids.toArray(new String[0]);
        OpenInterval openBefore = new OpenInterval();
        openBefore.sum = new float[n];
        openBefore.count = new int[n];
        openBefore.topic = "traffic.readings";
        OpenInterval openNow = OpenInterval.empty();
        for (String id : ids) {
            openNow.add(id, 50f, "traffic.readings", 0, 0);
        }
        Arrays.fill(now.speeds, 1f);
        System.out.printf(
                Locale.ROOT,
                "network (N = %d, T = %d): recent intervals %d -> %d bytes, an open interval %d ->"
                        + " %d bytes (6-char sensor ids)%n",
                n,
                t,
                size(RecentIntervals.typeInfo(), before),
                size(RecentIntervals.typeInfo(), now),
                size(OpenInterval.typeInfo(), openBefore),
                size(OpenInterval.typeInfo(), openNow));
    }
}
