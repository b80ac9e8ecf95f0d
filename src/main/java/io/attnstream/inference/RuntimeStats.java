package io.attnstream.inference;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What a batching runtime measures, shared by its workers and read by the Flink metric groups of
 * every subtask using it. Times are in microseconds; attention entropy is normalised to [0, 1] (1 =
 * uniform attention).
 */
public final class RuntimeStats {
    public final SlidingHistogram batchSize = new SlidingHistogram(2048);
    public final SlidingHistogram queueWaitMicros = new SlidingHistogram(8192);
    public final SlidingHistogram inferenceMicros = new SlidingHistogram(2048);

    /** Normalised entropy x 1000 (Flink histograms hold longs). */
    public final SlidingHistogram attentionEntropyPermille = new SlidingHistogram(8192);

    public final AtomicLong requests = new AtomicLong();
    public final AtomicLong completed = new AtomicLong();
    public final AtomicLong errors = new AtomicLong();
    public final AtomicLong batches = new AtomicLong();
    public final AtomicLong swaps = new AtomicLong();

    /**
     * Entropy of a weight vector divided by log(n): 0 when all weight is on one position (a
     * collapse), 1 when spread uniformly (attention that says nothing). Positions with zero weight
     * (padding) do not count in n.
     */
    public static double normalisedEntropy(float[] weights) {
        int n = 0;
        double h = 0;
        double sum = 0;
        for (float w : weights) {
            sum += w;
        }
        if (sum <= 0) {
            return 0;
        }
        for (float w : weights) {
            if (w > 0) {
                n++;
                double p = w / sum;
                h -= p * Math.log(p);
            }
        }
        return n <= 1 ? 0 : h / Math.log(n);
    }
}
