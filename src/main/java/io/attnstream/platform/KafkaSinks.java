package io.attnstream.platform;

import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Kafka sinks, exactly-once unless the job says at-least-once. Exactly-once output becomes visible
 * to {@code read_committed} consumers when the checkpoint that covers it completes. Each sink gets
 * its own transactional-id prefix, derived from the job's prefix and the topic, so two sinks of one
 * job (or two jobs) never fence each other.
 */
public final class KafkaSinks {
    private KafkaSinks() {}

    /** The job's delivery guarantee ({@link JobSettings#exactlyOnce()}). */
    public static <T extends SpecificRecord> KafkaSink<T> forJob(
            KafkaSettings kafka,
            JobSettings job,
            String topic,
            Class<T> type,
            SerializableFunction<T, String> key) {
        return forJob(kafka, job, topic, type, key, null);
    }

    /**
     * @param batching the pipeline's producer batching, null for Kafka's defaults
     */
    public static <T extends SpecificRecord> KafkaSink<T> forJob(
            KafkaSettings kafka,
            JobSettings job,
            String topic,
            Class<T> type,
            SerializableFunction<T, String> key,
            SinkBatching batching) {
        return job.exactlyOnce()
                ? exactlyOnce(kafka, job, topic, type, key, batching)
                : builder(kafka, topic, type, key, batching)
                        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                        .build();
    }

    public static <T extends SpecificRecord> KafkaSink<T> exactlyOnce(
            KafkaSettings kafka,
            JobSettings job,
            String topic,
            Class<T> type,
            SerializableFunction<T, String> key) {
        return exactlyOnce(kafka, job, topic, type, key, null);
    }

    private static <T extends SpecificRecord> KafkaSink<T> exactlyOnce(
            KafkaSettings kafka,
            JobSettings job,
            String topic,
            Class<T> type,
            SerializableFunction<T, String> key,
            SinkBatching batching) {
        return builder(kafka, topic, type, key, batching)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix(job, topic))
                .setProperty(
                        "transaction.timeout.ms",
                        Long.toString(job.transactionTimeout().toMillis()))
                .build();
    }

    /**
     * The sink's producer properties: the user's client properties, then the pipeline's batching
     * where unset.
     */
    static Properties producerProperties(KafkaSettings kafka, SinkBatching batching) {
        Properties p = kafka.clientProperties();
        if (batching != null) {
            p.putAll(batching.producerDefaults(p));
        }
        return p;
    }

    private static <T extends SpecificRecord> KafkaSinkBuilder<T> builder(
            KafkaSettings kafka,
            String topic,
            Class<T> type,
            SerializableFunction<T, String> key,
            SinkBatching batching) {
        return KafkaSink.<T>builder()
                .setKafkaProducerConfig(producerProperties(kafka, batching))
                .setBootstrapServers(kafka.bootstrapServers())
                .setRecordSerializer(new AvroKafkaSerializer<>(topic, type, key));
    }

    static String transactionalIdPrefix(JobSettings job, String topic) {
        return job.transactionalIdPrefix() + "-" + topic;
    }
}
