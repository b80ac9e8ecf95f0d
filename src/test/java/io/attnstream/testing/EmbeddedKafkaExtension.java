package io.attnstream.testing;

import io.attnstream.platform.EmbeddedKafka;
import io.attnstream.platform.KafkaSettings;
import io.attnstream.platform.TopicAdmin;
import io.attnstream.platform.TopicReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real in-process KRaft broker per test class, plus the small client helpers integration tests
 * need: create topics (waiting for leaders), produce with every send checked, and read a topic
 * back.
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback {
    private EmbeddedKafka kafka;

    @Override
    public void beforeAll(ExtensionContext context) {
        kafka = EmbeddedKafka.start(0);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (kafka != null) {
            kafka.close();
        }
    }

    public KafkaSettings settings() {
        return kafka.settings();
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /**
     * Creates the topics, without time-based retention: tests write records with event times of
     * fixed days (e.g. 2026-01-05), which the jobs' sinks keep as the records' timestamps, and the
     * broker's default retention (7 days, first checked 30 s after it started) deleted such
     * records. Measured: with an at-least-once sink (no transaction markers, which carry the
     * current time, in the segment) the traffic fault test's first 220 forecasts were gone from the
     * topic (log start offsets 88 and 132).
     */
    public void createTopics(int partitions, String... topics) {
        try (TopicAdmin admin = new TopicAdmin(settings())) {
            admin.ensureTopics(List.of(topics), partitions, (short) 1, Duration.ofSeconds(30));
        }
        Map<ConfigResource, Collection<AlterConfigOp>> keepForever = new HashMap<>();
        for (String topic : topics) {
            keepForever.put(
                    new ConfigResource(ConfigResource.Type.TOPIC, topic),
                    List.of(
                            new AlterConfigOp(
                                    new ConfigEntry("retention.ms", "-1"),
                                    AlterConfigOp.OpType.SET)));
        }
        try (Admin admin = Admin.create(settings().clientProperties())) {
            admin.incrementalAlterConfigs(keepForever).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not turn off retention of " + keepForever, e);
        }
    }

    /**
     * Sends the records and waits for each acknowledgement; returns their metadata in send order.
     */
    public List<RecordMetadata> produce(List<ProducerRecord<byte[], byte[]>> records)
            throws Exception {
        Properties p = settings().clientProperties();
        p.setProperty("acks", "all");
        p.setProperty("enable.idempotence", "true");
        List<RecordMetadata> out = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> futures = new ArrayList<>();
            for (ProducerRecord<byte[], byte[]> r : records) {
                futures.add(producer.send(r));
            }
            for (var f : futures) {
                out.add(f.get(30, TimeUnit.SECONDS));
            }
        }
        return out;
    }

    /**
     * As {@link #produce}, {@code batch} records at a time with {@code pause} after each batch: a
     * stream that lasts while a test injects faults.
     */
    public List<RecordMetadata> producePaced(
            List<ProducerRecord<byte[], byte[]>> records, int batch, Duration pause)
            throws Exception {
        List<RecordMetadata> out = new ArrayList<>();
        for (int from = 0; from < records.size(); from += batch) {
            if (from > 0) {
                Thread.sleep(pause.toMillis());
            }
            out.addAll(produce(records.subList(from, Math.min(records.size(), from + batch))));
        }
        return out;
    }

    /**
     * Reads a topic from the beginning until {@code expected} records arrived, or nothing new came
     * for {@code quiet} after at least that many, or the timeout passed; whatever was read is
     * returned.
     */
    public List<ConsumerRecord<byte[], byte[]>> consume(
            String topic, boolean readCommitted, int expected, Duration timeout) {
        return TopicReader.read(
                settings(), topic, readCommitted, expected, timeout, Duration.ofSeconds(1));
    }
}
