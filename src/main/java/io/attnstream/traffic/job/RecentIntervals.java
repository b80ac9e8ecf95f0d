package io.attnstream.traffic.job;

import java.util.Arrays;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The last T closed intervals of a network, (T, N) row-major, oldest first, NaN where a sensor had
 * no reading (including whole intervals in which the network sent nothing). A Flink POJO for keyed
 * state.
 */
public class RecentIntervals {
    /** Index (start / step) of the newest closed interval. */
    public long lastClosed;

    /** How many of the T rows hold closed intervals (the rest, oldest first, are still empty). */
    public int filled;

    /** T, the rows kept. */
    public int steps;

    public float[] speeds;

    public RecentIntervals() {}

    public static RecentIntervals empty(int steps, int sensors) {
        RecentIntervals r = new RecentIntervals();
        r.speeds = new float[steps * sensors];
        Arrays.fill(r.speeds, Float.NaN);
        r.steps = steps;
        return r;
    }

    /**
     * Appends closed interval {@code index}. Intervals skipped since the last one (no reading at
     * all) become rows of NaN; a gap of T or more intervals starts the history afresh, since
     * nothing of it would be left.
     */
    public void close(long index, float[] means) {
        int n = means.length;
        if (filled > 0) {
            long gap = index - lastClosed - 1;
            if (gap >= steps) {
                Arrays.fill(speeds, Float.NaN);
                filled = 0;
            } else {
                for (long g = 0; g < gap; g++) {
                    shiftIn(null, n);
                }
            }
        }
        shiftIn(means, n);
        lastClosed = index;
    }

    private void shiftIn(float[] row, int n) {
        System.arraycopy(speeds, n, speeds, 0, (steps - 1) * n);
        if (row == null) {
            Arrays.fill(speeds, (steps - 1) * n, steps * n, Float.NaN);
        } else {
            System.arraycopy(row, 0, speeds, (steps - 1) * n, n);
        }
        filled = Math.min(steps, filled + 1);
    }

    /** True once T intervals have closed since the history (re)started. */
    public boolean full() {
        return filled == steps;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static TypeInformation<RecentIntervals> typeInfo() {
        return (TypeInformation)
                Types.POJO(
                        RecentIntervals.class,
                        Map.of(
                                "lastClosed", Types.LONG,
                                "filled", Types.INT,
                                "steps", Types.INT,
                                "speeds", Types.PRIMITIVE_ARRAY(Types.FLOAT)));
    }
}
