package io.attnstream.demo;

/**
 * Latency distribution in bounded memory: 1 ms buckets up to 10 s, 100 ms buckets up to 10 min, one
 * overflow bucket. Enough resolution for p50/p99 of a Kafka -> Flink -> Kafka path, whatever the
 * run length.
 */
public final class LatencyHistogram {
    private static final int FINE_MS = 10_000;
    private static final int COARSE_STEP_MS = 100;
    private static final int COARSE_BUCKETS = (600_000 - FINE_MS) / COARSE_STEP_MS;

    private final long[] fine = new long[FINE_MS];
    private final long[] coarse = new long[COARSE_BUCKETS];
    private long overflow;
    private long count;
    private long max;

    public synchronized void record(long millis) {
        long ms = Math.max(0, millis);
        if (ms < FINE_MS) {
            fine[(int) ms]++;
        } else if (ms < FINE_MS + (long) COARSE_BUCKETS * COARSE_STEP_MS) {
            coarse[(int) ((ms - FINE_MS) / COARSE_STEP_MS)]++;
        } else {
            overflow++;
        }
        count++;
        max = Math.max(max, ms);
    }

    public synchronized long count() {
        return count;
    }

    public synchronized long max() {
        return max;
    }

    /**
     * The smallest latency (ms, bucket upper bound) at or below which a fraction q of samples lie;
     * -1 if empty.
     */
    public synchronized long percentile(double q) {
        if (count == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(q * count);
        long seen = 0;
        for (int i = 0; i < FINE_MS; i++) {
            seen += fine[i];
            if (seen >= rank) {
                return i;
            }
        }
        for (int i = 0; i < COARSE_BUCKETS; i++) {
            seen += coarse[i];
            if (seen >= rank) {
                return FINE_MS + (long) (i + 1) * COARSE_STEP_MS;
            }
        }
        return max;
    }
}
