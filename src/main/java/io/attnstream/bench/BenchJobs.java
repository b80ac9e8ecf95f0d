package io.attnstream.bench;

import io.attnstream.pipeline.PipelineContext;
import io.attnstream.platform.FlinkEnvironments;
import io.attnstream.platform.JobSettings;
import io.attnstream.platform.KafkaSettings;
import io.attnstream.platform.TopicAdmin;
import io.attnstream.platform.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A benchmark job's environment: its topics (2 partitions) exist, and a context wires its Kafka
 * I/O.
 */
record BenchJobs(StreamExecutionEnvironment env, PipelineContext context) {
    /** Names of the benchmark's own threads, which {@link ThreadCpu} keeps apart from the job's. */
    static final String DRIVER_PREFIX = "bench-driver-";

    /**
     * @param stopAt where the sources stop (a bounded backlog), or null to run until cancelled
     */
    static BenchJobs prepare(
            KafkaSettings kafka,
            Configuration c,
            String jobName,
            OffsetsInitializer stopAt,
            List<ConfigOption<String>> topicOptions) {
        Topics topics = Topics.from(c);
        try (TopicAdmin admin = new TopicAdmin(kafka)) {
            admin.ensureTopics(
                    topicOptions.stream().map(topics::name).toList(),
                    2,
                    (short) 1,
                    Duration.ofSeconds(30));
        }
        JobSettings js = JobSettings.from(jobName, c);
        // The bench's MiniCluster runs in this JVM: local checkpoint storage, as for the demo
        // (unaligned checkpoints of a back-pressured job outgrow the JobManager's 5 MB in-memory
        // storage).
        Configuration local = FlinkEnvironments.withLocalCheckpointStorage(c, js);
        return new BenchJobs(
                FlinkEnvironments.ambient(js, local),
                new PipelineContext(kafka, js, topics, local, stopAt));
    }

    /** What to do with each output value and the wall-clock time a consumer saw it. */
    @FunctionalInterface
    interface Arrival {
        void seen(byte[] value, long nowMillis) throws Exception;
    }

    /**
     * Reads {@code topic} from the beginning, read_uncommitted (the latency phases use
     * at-least-once sinks), until {@code reading} turns false; values that fail to decode are
     * skipped.
     */
    static void readArrivals(
            KafkaSettings kafka, String topic, AtomicBoolean reading, Arrival arrival) {
        Properties p = kafka.clientProperties();
        p.setProperty("isolation.level", "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts =
                    c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            while (reading.get()) {
                for (var r : c.poll(Duration.ofMillis(20))) {
                    long now = System.currentTimeMillis();
                    try {
                        arrival.seen(r.value(), now);
                    } catch (Exception e) {
                        // not a record of this topic's type: skip
                    }
                }
            }
        }
    }

    /**
     * Records in {@code topic}: the sum of its partitions' end offsets. Exact for the benchmarks'
     * at-least-once (non-transactional) sinks, whose topics hold no transaction markers; counting
     * this way reads no values.
     */
    static long recordCount(KafkaSettings kafka, String topic) {
        try (RecordCounter c = new RecordCounter(kafka, topic)) {
            return c.count();
        }
    }

    /** {@link #recordCount} again and again with one consumer, e.g. to follow a job's progress. */
    static final class RecordCounter implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final List<TopicPartition> partitions;

        RecordCounter(KafkaSettings kafka, String topic) {
            consumer =
                    new KafkaConsumer<>(
                            kafka.clientProperties(),
                            new ByteArrayDeserializer(),
                            new ByteArrayDeserializer());
            partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
            // Assigned (never polled): end offsets of unassigned partitions make the client log a
            // warning per call.
            consumer.assign(partitions);
        }

        long count() {
            return consumer.endOffsets(partitions, Duration.ofSeconds(10)).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    /** Runs {@code task} on a daemon thread of the benchmark's own (see {@link #DRIVER_PREFIX}). */
    static CompletableFuture<Void> inBackground(String name, Runnable task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t =
                new Thread(
                        () -> {
                            try {
                                task.run();
                                done.complete(null);
                            } catch (Throwable e) {
                                done.completeExceptionally(e);
                            }
                        },
                        DRIVER_PREFIX + name);
        t.setDaemon(true);
        t.start();
        return done;
    }
}
