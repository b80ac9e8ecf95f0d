package io.attnstream.bench;

import java.util.Arrays;
import java.util.List;

/** Small statistics shared by the benchmarks. */
final class BenchStats {
    private BenchStats() {}

    /**
     * The q-quantile (nearest rank) of the values; -1 when there are none. Safe while another
     * thread appends.
     */
    static double percentile(List<Long> values, double q) {
        if (values.isEmpty()) {
            return -1;
        }
        long[] v;
        synchronized (values) {
            v = values.stream().mapToLong(Long::longValue).toArray();
        }
        Arrays.sort(v);
        return v[(int) Math.min(v.length - 1, Math.max(0, Math.ceil(q * v.length) - 1))];
    }

    static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }

    /**
     * Steady-state rate of events with the given (unsorted) times in ms: the events between the
     * 10th and the 90th percentile over the time between them, which leaves out start-up and the
     * drain at the end.
     */
    static double steadyRate(long[] timesMillis, double unitsPerEvent) {
        long[] t = timesMillis.clone();
        Arrays.sort(t);
        if (t.length < 2) {
            return 0;
        }
        int lo = t.length / 10;
        int hi = t.length * 9 / 10;
        if (hi <= lo) {
            lo = 0;
            hi = t.length - 1;
        }
        return (hi - lo) * unitsPerEvent * 1000.0 / Math.max(1, t[hi] - t[lo]);
    }
}
