package io.attnstream.demo;

import java.util.Map;
import java.util.TreeMap;

/**
 * What the demo saw on one topic: record count, latency, which model versions and failure stages.
 *
 * <p>Latency is kept three ways: over every output ({@link #latencyWithWarmUp()}); over outputs
 * whose input time is at or after {@link #countLatencyFrom(long)} ({@link #latency()}, what the
 * summary reports: the first seconds measure model loading, JIT and the first checkpoint, not the
 * pipeline); and over the outputs seen since the last {@link #takeRecentLatency()} (the live
 * status).
 */
public final class TopicStats {
    private final String topic;
    private final String direction;
    private final LatencyHistogram all = new LatencyHistogram();
    private final LatencyHistogram counted = new LatencyHistogram();
    private LatencyHistogram recent = new LatencyHistogram();
    private final Map<String, Long> labels = new TreeMap<>();
    private long countFromMillis = Long.MIN_VALUE;
    private long records;
    private long firstAtMillis = -1;
    private long lastAtMillis = -1;

    public TopicStats(String topic, String direction) {
        this.topic = topic;
        this.direction = direction;
    }

    /**
     * Only outputs whose input time is at or after this instant count in {@link #latency()}
     * (default: all).
     */
    public synchronized void countLatencyFrom(long epochMillis) {
        countFromMillis = epochMillis;
    }

    /**
     * @param nowMillis when the output became visible
     * @param inputTimeMillis when its input happened (the latency's start), or negative when
     *     unknown
     */
    public synchronized void add(long nowMillis, long inputTimeMillis, String label) {
        records++;
        if (firstAtMillis < 0) {
            firstAtMillis = nowMillis;
        }
        lastAtMillis = nowMillis;
        if (inputTimeMillis >= 0) {
            long latency = nowMillis - inputTimeMillis;
            all.record(latency);
            recent.record(latency);
            if (inputTimeMillis >= countFromMillis) {
                counted.record(latency);
            }
        }
        if (label != null) {
            labels.merge(label, 1L, Long::sum);
        }
    }

    /**
     * For input topics, whose count comes from the producer's acknowledgements over its active
     * window.
     */
    public synchronized void setProduced(long n, long firstMillis, long lastMillis) {
        records = n;
        firstAtMillis = firstMillis;
        lastAtMillis = lastMillis;
    }

    public String topic() {
        return topic;
    }

    public String direction() {
        return direction;
    }

    public synchronized long records() {
        return records;
    }

    public synchronized long firstAtMillis() {
        return firstAtMillis;
    }

    /**
     * Records per second between the first and the last record seen (start-up time does not count).
     */
    public synchronized double throughputPerSecond() {
        if (records < 2 || lastAtMillis <= firstAtMillis) {
            return 0;
        }
        return (records - 1) * 1000.0 / (lastAtMillis - firstAtMillis);
    }

    /**
     * Latency of the outputs whose input came at or after the {@link #countLatencyFrom(long)
     * cut-off}.
     */
    public LatencyHistogram latency() {
        return counted;
    }

    /** Latency of every output, warm-up included. */
    public LatencyHistogram latencyWithWarmUp() {
        return all;
    }

    /**
     * Latency of the outputs seen since the previous call (or since the start); starts a new
     * interval.
     */
    public synchronized LatencyHistogram takeRecentLatency() {
        LatencyHistogram h = recent;
        recent = new LatencyHistogram();
        return h;
    }

    public synchronized Map<String, Long> labels() {
        return new TreeMap<>(labels);
    }
}
