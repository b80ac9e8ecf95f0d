package io.attnstream.platform;

import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import java.util.List;

/** Builds Kafka sources of {@link RawRecord}s; decoding happens downstream in {@link DecodeFunction}. */
public final class KafkaSources {
    private KafkaSources() {}

    /**
     * A source over the topics, reading committed transactions only (upstream attnstream jobs write
     * transactionally), starting where {@link JobSettings#startFrom()} says when there is no checkpoint.
     *
     * @param stopAt null for an unbounded source, or where to stop (tests and replays)
     */
    @SuppressWarnings("deprecation") // OffsetResetStrategy: the connector's committedOffsets() still takes it
    public static KafkaSource<RawRecord> raw(KafkaSettings kafka, JobSettings job, List<String> topics,
            OffsetsInitializer stopAt) {
        OffsetsInitializer start = switch (job.startFrom()) {
            case "earliest" -> OffsetsInitializer.earliest();
            case "latest" -> OffsetsInitializer.latest();
            default -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
        return raw(kafka, job, topics, start, stopAt);
    }

    /**
     * Model updates: a job without a checkpoint starts after the updates already published (from the group's
     * committed offsets if it has any), so it serves the model it was started with instead of replaying, and
     * possibly downgrading to, every historical update. A restored job resumes from its checkpoint.
     */
    @SuppressWarnings("deprecation")
    public static KafkaSource<RawRecord> modelUpdates(KafkaSettings kafka, JobSettings job, String topic) {
        return raw(kafka, job, List.of(topic), OffsetsInitializer.committedOffsets(OffsetResetStrategy.LATEST), null);
    }

    private static KafkaSource<RawRecord> raw(KafkaSettings kafka, JobSettings job, List<String> topics,
            OffsetsInitializer start, OffsetsInitializer stopAt) {
        KafkaSourceBuilder<RawRecord> b = KafkaSource.<RawRecord>builder()
                .setProperties(kafka.clientProperties())
                .setBootstrapServers(kafka.bootstrapServers())
                .setTopics(topics)
                .setGroupId(job.transactionalIdPrefix())
                .setClientIdPrefix(job.transactionalIdPrefix())
                .setStartingOffsets(start)
                .setDeserializer(new RawRecordDeserializer())
                .setProperty("isolation.level", "read_committed")
                // Offsets are committed on checkpoints for monitoring; Flink's checkpoint is the source of truth.
                .setProperty("commit.offsets.on.checkpoint", "true")
                .setProperty("partition.discovery.interval.ms", "60000");
        if (stopAt != null) {
            b.setBounded(stopAt);
        }
        return b.build();
    }
}
