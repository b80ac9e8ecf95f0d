package io.attnstream.demo;

import io.attnstream.platform.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the demo's output topics as a downstream consumer would ({@code read_committed}:
 * exactly-once output is visible once its checkpoint commits) and records counts, end-to-end
 * latency and labels per topic.
 */
public final class OutputMonitor implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(OutputMonitor.class);

    /**
     * What the monitor needs from an output record: its event time and a label (model version,
     * failure stage).
     */
    public record Observation(long eventTimeMillis, String label) {}

    @FunctionalInterface
    public interface Observer {
        /**
         * @return the observation, or null when the bytes do not decode (counted, not fatal)
         */
        Observation observe(byte[] value);
    }

    private final KafkaSettings kafka;
    private final Map<String, Observer> observers;
    private final Map<String, TopicStats> stats;
    private volatile boolean running = true;
    private volatile long undecodable;

    public OutputMonitor(
            KafkaSettings kafka, Map<String, Observer> observers, Map<String, TopicStats> stats) {
        this.kafka = kafka;
        this.observers = observers;
        this.stats = stats;
    }

    @Override
    public void run() {
        Properties p = kafka.clientProperties();
        p.setProperty("isolation.level", "read_committed");
        p.setProperty("enable.auto.commit", "false");
        p.setProperty("client.id", "attnstream-demo-monitor");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : observers.keySet()) {
                for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
            }
            consumer.assign(partitions);
            // Only this run's output counts (an external Kafka may hold older runs' records).
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    long now = System.currentTimeMillis();
                    Observation o = null;
                    try {
                        o = observers.get(r.topic()).observe(r.value());
                    } catch (RuntimeException e) {
                        LOG.debug("Undecodable record on {}", r.topic(), e);
                    }
                    if (o == null) {
                        undecodable++;
                        stats.get(r.topic()).add(now, -1, "undecodable");
                    } else {
                        stats.get(r.topic()).add(now, o.eventTimeMillis(), o.label());
                    }
                }
            }
        } catch (RuntimeException e) {
            if (running) {
                LOG.warn("Output monitor stopped: {}", e.toString());
            }
        }
    }

    public void stop() {
        running = false;
    }

    public long undecodable() {
        return undecodable;
    }
}
