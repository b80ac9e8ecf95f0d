package io.attnstream.platform;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Builds the execution environment of a pipeline: a local MiniCluster with the web UI for {@code
 * demo} and {@code run --local}, or the cluster's own environment when the jar is submitted with
 * {@code flink run}.
 *
 * <p>attnstream's defaults (checkpointing, a bounded restart strategy) are applied only where the
 * environment's configuration does not set them, so a cluster's {@code config.yaml} and {@code -D}
 * options win.
 */
public final class FlinkEnvironments {
    private FlinkEnvironments() {}

    /**
     * A local MiniCluster with the web UI on {@link JobSettings#webUiPort()} (or the next free
     * port).
     */
    public static StreamExecutionEnvironment local(JobSettings job, Configuration overrides) {
        Configuration conf = withLocalCheckpointStorage(overrides, job);
        if (!conf.contains(RestOptions.BIND_PORT)) {
            conf.set(RestOptions.BIND_PORT, Integer.toString(freePort(job.webUiPort())));
        }
        conf.set(
                RestOptions.BIND_ADDRESS,
                conf.getOptional(RestOptions.BIND_ADDRESS).orElse("127.0.0.1"));
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        return configure(env, job, conf);
    }

    /**
     * {@code given} plus a checkpoint directory on local disk where it names no checkpoint storage
     * or directory: for a MiniCluster in this JVM (demo, {@code run --local}, the benches), never
     * for a cluster, whose machines must share theirs. Without one Flink keeps checkpoints in the
     * JobManager's memory, capped at 5 MB per task, and an unaligned checkpoint stores the records
     * in flight: under back-pressure the traffic job's source alone held 6.8 MB (bench traffic),
     * the checkpoint failed and the job restarted.
     */
    public static Configuration withLocalCheckpointStorage(Configuration given, JobSettings job) {
        Configuration conf = new Configuration(given);
        if (!conf.contains(CheckpointingOptions.CHECKPOINT_STORAGE)
                && !conf.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)) {
            try {
                Path dir =
                        Files.createTempDirectory("attnstream-checkpoints-" + job.jobName() + "-");
                conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toUri().toString());
            } catch (IOException e) {
                throw new AttnstreamException(
                        "no temporary directory for local checkpoints: " + e.getMessage(), e);
            }
        }
        return conf;
    }

    /**
     * The first free port from {@code wanted} to {@code wanted + 20}, or any free port when none is
     * (or 0).
     */
    static int freePort(int wanted) {
        for (int port = wanted; wanted > 0 && port <= Math.min(wanted + 20, 65535); port++) {
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // try the next one
            }
        }
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new AttnstreamException(
                    "no free port for the Flink web UI: " + e.getMessage(), e);
        }
    }

    /** Local without the web UI: what the integration tests use, next to their own MiniCluster. */
    public static StreamExecutionEnvironment ambient(JobSettings job, Configuration overrides) {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(overrides);
        return configure(env, job, overrides);
    }

    static StreamExecutionEnvironment configure(
            StreamExecutionEnvironment env, JobSettings job, ReadableConfig given) {
        // What the environment already has (a cluster's config.yaml under `flink run`) counts as
        // given too.
        Configuration known = Configuration.fromMap(env.getConfiguration().toMap());
        known.addAll(Configuration.fromMap(given.toMap()));
        Configuration defaults = jobDefaults(job, known);
        defaults.addAll(Configuration.fromMap(given.toMap()));
        env.configure(defaults);
        if (job.parallelism() > 0) {
            env.setParallelism(job.parallelism());
        }
        return env;
    }

    /** The settings attnstream needs, minus those the given configuration already decides. */
    static Configuration jobDefaults(JobSettings job, ReadableConfig given) {
        Configuration c = new Configuration();
        setIfAbsent(
                c, given, CheckpointingOptions.CHECKPOINTING_INTERVAL, job.checkpointInterval());
        setIfAbsent(
                c,
                given,
                CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                CheckpointingMode.EXACTLY_ONCE);
        // Under back-pressure (the model slower than the input) an aligned barrier waits behind
        // every record in the network buffers: measured in InferenceJobIT, the first checkpoint
        // completed only when 1,856 of 2,000 records had been scored. Unaligned barriers overtake
        // them (and store them in the checkpoint), so checkpoints, and with them exactly-once
        // output, keep their interval under load.
        setIfAbsent(c, given, CheckpointingOptions.ENABLE_UNALIGNED, true);
        if (given.getOptional(RestartStrategyOptions.RESTART_STRATEGY).isEmpty()) {
            // With checkpointing on, Flink's default is to restart forever: a poison pill would
            // loop silently.
            c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            c.set(
                    RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS,
                    job.restartAttempts());
            c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, job.restartDelay());
        }
        // Flink ships network buffers when full or after this timeout (default 100 ms): at moderate
        // rates that timeout, not the model, would dominate end-to-end latency.
        setIfAbsent(c, given, ExecutionOptions.BUFFER_TIMEOUT, Duration.ofMillis(2));
        // attnstream's functions never keep or mutate a record after emitting it, so chained
        // operators may pass objects on instead of deep-copying them (an Avro deep copy per record
        // per chained hop otherwise).
        setIfAbsent(c, given, PipelineOptions.OBJECT_REUSE, true);
        // Every type on the wire and in state is Avro or a POJO; a Kryo fallback is a bug, caught
        // at graph build.
        c.set(PipelineOptions.GENERIC_TYPES, false);
        setIfAbsent(c, given, PipelineOptions.NAME, "attnstream-" + job.jobName());
        return c;
    }

    private static <T> void setIfAbsent(
            Configuration target, ReadableConfig given, ConfigOption<T> option, T value) {
        if (given.getOptional(option).isEmpty()) {
            target.set(option, value);
        }
    }
}
