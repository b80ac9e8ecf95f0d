package io.attnstream.traffic.job;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The last T closed intervals of a network, (T, N) row-major, oldest first, NaN where a sensor had
 * no reading (including whole intervals in which the network sent nothing). The N columns are the
 * sensors heard from within the last T intervals, named by id ({@link #sensors}) in the order they
 * first reported: a sensor that has been silent for T intervals leaves, a new one joins, and no
 * model's sensor order is in the state. A Flink POJO for keyed state; releases before sensor ids
 * wrote it without {@link #sensors}, in their model's order, which {@link #inOrder} restores.
 */
public class RecentIntervals {
    /** Index (start / step) of the newest closed interval. */
    public long lastClosed;

    /** How many of the T rows hold closed intervals (the rest, oldest first, are still empty). */
    public int filled;

    /** T, the rows kept. */
    public int steps;

    /** Column ids; null only in a value restored from an earlier release. */
    public String[] sensors;

    public float[] speeds;

    public RecentIntervals() {}

    public static RecentIntervals empty(int steps) {
        RecentIntervals r = new RecentIntervals();
        r.sensors = new String[0];
        r.speeds = new float[0];
        r.steps = steps;
        return r;
    }

    /** Names an earlier release's columns: they are {@code order}, the model's sensors then. */
    void inOrder(List<String> order) {
        if (order.size() * steps != speeds.length) {
            throw new IllegalStateException(
                    "restored history has "
                            + speeds.length / Math.max(1, steps)
                            + " sensor columns, the sensor order it is read with "
                            + order.size()
                            + ": start the job with the model that wrote the savepoint");
        }
        sensors = order.toArray(new String[0]);
    }

    /** N, the columns. */
    public int width() {
        return sensors.length;
    }

    /**
     * Appends closed interval {@code index} with the mean speed of each of {@code ids}. Intervals
     * skipped since the last one (no reading at all) become rows of NaN; a gap of T or more
     * intervals starts the history afresh, since nothing of it would be left.
     */
    public void close(long index, String[] ids, float[] means) {
        if (filled > 0) {
            long gap = index - lastClosed - 1;
            if (gap >= steps) {
                sensors = new String[0];
                speeds = new float[0];
                filled = 0;
            } else {
                for (long g = 0; g < gap; g++) {
                    shiftIn(null);
                }
            }
        }
        shiftIn(ids.length > 0 ? rowFor(ids, means) : null);
        lastClosed = index;
        dropSilentColumns();
    }

    /** The means in this history's columns, adding a column for each sensor new to it. */
    private float[] rowFor(String[] ids, float[] means) {
        Map<String, Integer> columns = new HashMap<>(sensors.length * 2);
        for (int i = 0; i < sensors.length; i++) {
            columns.put(sensors[i], i);
        }
        int n = sensors.length;
        String[] joined = Arrays.copyOf(sensors, n + ids.length);
        int[] target = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            Integer c = columns.get(ids[i]);
            if (c == null) {
                c = n;
                joined[n++] = ids[i];
            }
            target[i] = c;
        }
        widen(Arrays.copyOf(joined, n));
        float[] row = new float[n];
        Arrays.fill(row, Float.NaN);
        for (int i = 0; i < ids.length; i++) {
            row[target[i]] = means[i];
        }
        return row;
    }

    /** Grows the columns to {@code ids} (the current ones first), new columns NaN. */
    private void widen(String[] ids) {
        int old = sensors.length;
        int n = ids.length;
        if (n == old) {
            return;
        }
        float[] wider = new float[steps * n];
        Arrays.fill(wider, Float.NaN);
        for (int t = 0; t < steps; t++) {
            System.arraycopy(speeds, t * old, wider, t * n, old);
        }
        sensors = ids;
        speeds = wider;
    }

    private void shiftIn(float[] row) {
        int n = sensors.length;
        System.arraycopy(speeds, n, speeds, 0, (steps - 1) * n);
        if (row == null) {
            Arrays.fill(speeds, (steps - 1) * n, steps * n, Float.NaN);
        } else {
            System.arraycopy(row, 0, speeds, (steps - 1) * n, n);
        }
        filled = Math.min(steps, filled + 1);
    }

    /**
     * Sensors without a reading in any of the T intervals leave the state: what a decommissioned
     * sensor (or a mistyped id) left behind would otherwise stay for as long as its network
     * reports.
     */
    private void dropSilentColumns() {
        int n = sensors.length;
        boolean[] keep = new boolean[n];
        int kept = 0;
        for (int c = 0; c < n; c++) {
            for (int t = 0; t < steps && !keep[c]; t++) {
                keep[c] = !Float.isNaN(speeds[t * n + c]);
            }
            kept += keep[c] ? 1 : 0;
        }
        if (kept == n) {
            return;
        }
        String[] ids = new String[kept];
        float[] narrower = new float[steps * kept];
        for (int c = 0, k = 0; c < n; c++) {
            if (keep[c]) {
                ids[k] = sensors[c];
                for (int t = 0; t < steps; t++) {
                    narrower[t * kept + k] = speeds[t * n + c];
                }
                k++;
            }
        }
        sensors = ids;
        speeds = narrower;
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
                                "sensors", Types.OBJECT_ARRAY(Types.STRING),
                                "speeds", Types.PRIMITIVE_ARRAY(Types.FLOAT)));
    }
}
