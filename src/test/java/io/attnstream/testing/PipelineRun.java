package io.attnstream.testing;

import io.attnstream.pipeline.Pipeline;
import io.attnstream.pipeline.PipelineContext;
import io.attnstream.platform.AttnstreamOptions;
import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.FlinkEnvironments;
import io.attnstream.platform.JobSettings;
import io.attnstream.platform.KafkaSettings;
import io.attnstream.platform.Topics;
import io.attnstream.schema.ModelUpdate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A pipeline as {@code run <pipeline>} builds it, started on the test's MiniCluster, unbounded:
 * optionally from a savepoint (the option {@code flink run -s} sets), stopped with one.
 */
public final class PipelineRun implements AutoCloseable {
    private final JobClient client;
    private boolean stopped;

    private PipelineRun(JobClient client) {
        this.client = client;
    }

    /**
     * @param savepoint null for a fresh start
     */
    public static PipelineRun start(
            Pipeline pipeline, KafkaSettings kafka, Configuration conf, String savepoint)
            throws Exception {
        Configuration c = new Configuration(conf);
        if (savepoint != null) {
            c.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        JobSettings job = JobSettings.from(pipeline.jobName(), c);
        StreamExecutionEnvironment env = FlinkEnvironments.ambient(job, c);
        pipeline.build(env, new PipelineContext(kafka, job, Topics.from(c), c, null));
        return new PipelineRun(env.executeAsync(pipeline.jobName()));
    }

    /**
     * What the pipeline ITs run with: parallelism {@code parallelism}, checkpoints every 500 ms
     * (the exactly-once output is visible then), sources from the earliest offsets, topics under
     * {@code prefix}.
     */
    public static Configuration config(String prefix, int parallelism) {
        Configuration conf = new Configuration();
        conf.set(AttnstreamOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
        conf.set(AttnstreamOptions.PARALLELISM, parallelism);
        conf.set(AttnstreamOptions.START_FROM, "earliest");
        conf.set(AttnstreamOptions.TOPIC_PREFIX, prefix);
        return conf;
    }

    /** Creates the pipeline's topics (inputs, outputs, dead letters), two partitions each. */
    public static Topics createTopics(
            EmbeddedKafkaExtension kafka, Pipeline pipeline, Configuration conf) {
        Topics topics = Topics.from(conf);
        List<String> names = new ArrayList<>();
        pipeline.inputTopics().forEach(t -> names.add(topics.name(t)));
        pipeline.outputTopics().forEach(t -> names.add(topics.name(t)));
        names.add(topics.name(Topics.DEAD_LETTER));
        kafka.createTopics(2, names.toArray(new String[0]));
        return topics;
    }

    /** An update record as {@code publish-model} writes it. */
    public static ProducerRecord<byte[], byte[]> update(
            Topics topics, String model, String version, Path location, Instant issuedAt) {
        return new ProducerRecord<>(
                topics.name(Topics.MODEL_UPDATES),
                model.getBytes(StandardCharsets.UTF_8),
                AvroCodec.of(ModelUpdate.class)
                        .encode(
                                ModelUpdate.newBuilder()
                                        .setModelName(model)
                                        .setModelVersion(version)
                                        .setLocation(location.toString())
                                        .setIssuedAt(issuedAt)
                                        .build()));
    }

    /** Stops the job with a savepoint under {@code dir} (sources stay where they are). */
    public String stopWithSavepoint(Path dir) throws Exception {
        String path =
                client.stopWithSavepoint(
                                false, dir.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get(120, TimeUnit.SECONDS);
        stopped = true;
        return path;
    }

    @Override
    public void close() throws Exception {
        if (!stopped) {
            client.cancel().get(60, TimeUnit.SECONDS);
        }
    }
}
