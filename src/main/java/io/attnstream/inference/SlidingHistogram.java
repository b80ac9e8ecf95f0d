package io.attnstream.inference;

import java.util.Arrays;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.HistogramStatistics;

/**
 * A thread-safe Flink {@link Histogram} over the last {@code window} values: the runtime's worker
 * threads update it concurrently while Flink's reporters read it.
 */
public final class SlidingHistogram implements Histogram {
    private final long[] values;
    private long count;

    public SlidingHistogram(int window) {
        this.values = new long[window];
    }

    @Override
    public synchronized void update(long value) {
        values[(int) (count % values.length)] = value;
        count++;
    }

    @Override
    public synchronized long getCount() {
        return count;
    }

    @Override
    public HistogramStatistics getStatistics() {
        long[] snapshot;
        synchronized (this) {
            snapshot = Arrays.copyOf(values, (int) Math.min(count, values.length));
        }
        Arrays.sort(snapshot);
        return new Stats(snapshot);
    }

    private static final class Stats extends HistogramStatistics {
        private final long[] sorted;

        Stats(long[] sorted) {
            this.sorted = sorted;
        }

        @Override
        public double getQuantile(double q) {
            if (sorted.length == 0) {
                return 0;
            }
            int i =
                    (int)
                            Math.min(
                                    sorted.length - 1,
                                    Math.max(0, Math.ceil(q * sorted.length) - 1));
            return sorted[i];
        }

        @Override
        public long[] getValues() {
            return sorted.clone();
        }

        @Override
        public int size() {
            return sorted.length;
        }

        @Override
        public double getMean() {
            return sorted.length == 0 ? 0 : Arrays.stream(sorted).average().orElse(0);
        }

        @Override
        public double getStdDev() {
            if (sorted.length < 2) {
                return 0;
            }
            double m = getMean();
            double ss = 0;
            for (long v : sorted) {
                ss += (v - m) * (v - m);
            }
            return Math.sqrt(ss / (sorted.length - 1));
        }

        @Override
        public long getMax() {
            return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
        }

        @Override
        public long getMin() {
            return sorted.length == 0 ? 0 : sorted[0];
        }
    }
}
