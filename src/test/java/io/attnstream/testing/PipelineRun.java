package io.attnstream.testing;

import io.attnstream.pipeline.Pipeline;
import io.attnstream.pipeline.PipelineContext;
import io.attnstream.platform.FlinkEnvironments;
import io.attnstream.platform.JobSettings;
import io.attnstream.platform.KafkaSettings;
import io.attnstream.platform.Topics;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

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
