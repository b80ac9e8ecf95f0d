package io.attnstream.demo;

import java.util.Map;
import java.util.TreeMap;

/** What the demo saw on one topic: record count, latency, which model versions and failure stages. */
public final class TopicStats {
    private final String topic;
    private final String direction;
    private final LatencyHistogram latency = new LatencyHistogram();
    private final Map<String, Long> labels = new TreeMap<>();
    private long records;
    private long firstAtMillis = -1;
    private long lastAtMillis = -1;

    public TopicStats(String topic, String direction) {
        this.topic = topic;
        this.direction = direction;
    }

    public synchronized void add(long nowMillis, long latencyMillis, String label) {
        records++;
        if (firstAtMillis < 0) {
            firstAtMillis = nowMillis;
        }
        lastAtMillis = nowMillis;
        if (latencyMillis >= 0) {
            latency.record(latencyMillis);
        }
        if (label != null) {
            labels.merge(label, 1L, Long::sum);
        }
    }

    /** For input topics, whose count comes from the producer's acknowledgements over its active window. */
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

    /** Records per second between the first and the last record seen (start-up time does not count). */
    public synchronized double throughputPerSecond() {
        if (records < 2 || lastAtMillis <= firstAtMillis) {
            return 0;
        }
        return (records - 1) * 1000.0 / (lastAtMillis - firstAtMillis);
    }

    public LatencyHistogram latency() {
        return latency;
    }

    public synchronized Map<String, Long> labels() {
        return new TreeMap<>(labels);
    }
}
