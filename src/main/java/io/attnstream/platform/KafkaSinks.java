package io.attnstream.platform;

import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Exactly-once Kafka sinks. Output becomes visible to {@code read_committed} consumers when the checkpoint that
 * covers it completes. Each sink gets its own transactional-id prefix, derived from the job's prefix and the
 * topic, so two sinks of one job (or two jobs) never fence each other.
 */
public final class KafkaSinks {
    private KafkaSinks() {}

    public static <T extends SpecificRecord> KafkaSink<T> exactlyOnce(KafkaSettings kafka, JobSettings job,
            String topic, Class<T> type, SerializableFunction<T, String> key) {
        return KafkaSink.<T>builder()
                .setKafkaProducerConfig(kafka.clientProperties())
                .setBootstrapServers(kafka.bootstrapServers())
                .setRecordSerializer(new AvroKafkaSerializer<>(topic, type, key))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix(job, topic))
                .setProperty("transaction.timeout.ms", Long.toString(job.transactionTimeout().toMillis()))
                .build();
    }

    static String transactionalIdPrefix(JobSettings job, String topic) {
        return job.transactionalIdPrefix() + "-" + topic;
    }
}
