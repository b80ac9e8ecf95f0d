package io.attnstream.platform;

import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Builds Kafka sources: of {@link Decoded} envelopes for the pipelines' records (decoded and
 * validated in the source), and of {@link RawRecord}s for model updates, which are decoded
 * downstream by {@link DecodeFunction}.
 */
public final class KafkaSources {
    private KafkaSources() {}

    /**
     * A source over the topics, reading committed transactions only (upstream attnstream jobs write
     * transactionally), starting where {@link JobSettings#startFrom()} says when there is no
     * checkpoint.
     *
     * @param stopAt null for an unbounded source, or where to stop (tests and replays)
     */
    public static KafkaSource<RawRecord> raw(
            KafkaSettings kafka, JobSettings job, List<String> topics, OffsetsInitializer stopAt) {
        return build(kafka, job, topics, start(job), stopAt, new RawRecordDeserializer());
    }

    /**
     * As {@link #raw(KafkaSettings, JobSettings, List, OffsetsInitializer)}, decoding and
     * validating each record in the source: it emits one envelope per record, the value or its dead
     * letter.
     */
    public static <T extends SpecificRecordBase> KafkaSource<Decoded<T>> decoded(
            KafkaSettings kafka,
            JobSettings job,
            List<String> topics,
            OffsetsInitializer stopAt,
            DecodingDeserializer<T> deserializer) {
        return build(kafka, job, topics, start(job), stopAt, deserializer);
    }

    @SuppressWarnings(
            "deprecation") // OffsetResetStrategy: the connector's committedOffsets() still takes it
    private static OffsetsInitializer start(JobSettings job) {
        return switch (job.startFrom()) {
            case "earliest" -> OffsetsInitializer.earliest();
            case "latest" -> OffsetsInitializer.latest();
            default -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
    }

    /**
     * Model updates: a job without a checkpoint starts after the updates already published (from
     * the group's committed offsets if it has any), so it serves the model it was started with
     * instead of replaying, and possibly downgrading to, every historical update. A restored job
     * resumes from its checkpoint.
     */
    @SuppressWarnings("deprecation")
    public static KafkaSource<RawRecord> modelUpdates(
            KafkaSettings kafka, JobSettings job, String topic) {
        return build(
                kafka,
                job,
                List.of(topic),
                OffsetsInitializer.committedOffsets(OffsetResetStrategy.LATEST),
                null,
                new RawRecordDeserializer());
    }

    private static <T> KafkaSource<T> build(
            KafkaSettings kafka,
            JobSettings job,
            List<String> topics,
            OffsetsInitializer start,
            OffsetsInitializer stopAt,
            KafkaRecordDeserializationSchema<T> deserializer) {
        KafkaSourceBuilder<T> b =
                KafkaSource.<T>builder()
                        .setProperties(kafka.clientProperties())
                        .setBootstrapServers(kafka.bootstrapServers())
                        .setTopics(topics)
                        .setGroupId(job.transactionalIdPrefix())
                        .setClientIdPrefix(job.transactionalIdPrefix())
                        .setStartingOffsets(start)
                        .setDeserializer(deserializer)
                        .setProperty("isolation.level", "read_committed")
                        // Offsets are committed on checkpoints for monitoring; Flink's checkpoint
                        // is the source of truth.
                        .setProperty("commit.offsets.on.checkpoint", "true")
                        .setProperty("partition.discovery.interval.ms", "60000");
        if (stopAt != null) {
            b.setBounded(stopAt);
        }
        return b.build();
    }
}
