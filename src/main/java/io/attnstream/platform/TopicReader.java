package io.attnstream.platform;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a whole topic from the beginning, as a downstream consumer would: for benchmarks and tests.
 */
public final class TopicReader {
    private TopicReader() {}

    /**
     * Reads every partition from the beginning until {@code expected} records arrived or the
     * timeout passed, then keeps polling for {@code settle} more (so that extra records, e.g.
     * duplicates, would be seen too).
     *
     * @param readCommitted true reads only committed transactions (what exactly-once output
     *     promises)
     */
    public static List<ConsumerRecord<byte[], byte[]>> read(
            KafkaSettings kafka,
            String topic,
            boolean readCommitted,
            int expected,
            Duration timeout,
            Duration settle) {
        Properties p = kafka.clientProperties();
        p.setProperty("isolation.level", readCommitted ? "read_committed" : "read_uncommitted");
        p.setProperty("enable.auto.commit", "false");
        p.setProperty("max.poll.records", "5000");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts =
                    c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && out.size() < expected) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            long settleUntil = System.nanoTime() + settle.toNanos();
            while (System.nanoTime() < settleUntil) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
