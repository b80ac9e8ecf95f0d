package io.attnstream.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.client.deployment.executors.PipelineExecutorUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.MiniClusterJobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironmentFactory;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * One Flink MiniCluster for all of a benchmark's phases, installed as the context environment, so
 * each phase's {@code execute} submits its job to it, as jobs reach a long-running cluster.
 *
 * <p>Why: {@code execute} on a plain local environment starts a MiniCluster per job, and each one
 * loads Flink's RPC system (Pekko, Scala, Typesafe config) in a new classloader. The JIT then
 * compiled those classes again in every phase, in the phase's steady window: with the tiny
 * stand-in, about 0.45 of a core (25-40 CPU us per record) went to the compiler during (b), most of
 * it on {@code org.apache.pekko}, {@code scala} and {@code com.typesafe.config} methods
 * (-XX:+PrintCompilation). A TaskManager in production starts its RPC system once.
 */
public final class BenchCluster implements AutoCloseable {
    private static final String TARGET = "attnstream-bench-minicluster";
    private final MiniCluster cluster;

    private BenchCluster(MiniCluster cluster) {
        this.cluster = cluster;
    }

    /**
     * Starts a cluster of one TaskManager with {@code slots} slots, configured like a local
     * environment with {@code conf} (the benchmark's -D options), and makes it where {@link
     * StreamExecutionEnvironment #getExecutionEnvironment} runs jobs until {@link #close}.
     */
    public static BenchCluster start(Configuration conf, int slots) throws Exception {
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(slots)
                                .build());
        cluster.start();
        BenchCluster b = new BenchCluster(cluster);
        PipelineExecutorServiceLoader executors = b.executors();
        ContextEnvironment.install(
                given -> {
                    Configuration c = new Configuration(given);
                    c.set(DeploymentOptions.TARGET, TARGET);
                    c.set(DeploymentOptions.ATTACHED, true);
                    return new StreamExecutionEnvironment(
                            executors, c, BenchCluster.class.getClassLoader());
                });
        return b;
    }

    private PipelineExecutorServiceLoader executors() {
        PipelineExecutor executor = this::submit;
        PipelineExecutorFactory factory =
                new PipelineExecutorFactory() {
                    @Override
                    public String getName() {
                        return TARGET;
                    }

                    @Override
                    public boolean isCompatibleWith(Configuration configuration) {
                        return true;
                    }

                    @Override
                    public PipelineExecutor getExecutor(Configuration configuration) {
                        return executor;
                    }
                };
        return new PipelineExecutorServiceLoader() {
            @Override
            public PipelineExecutorFactory getExecutorFactory(Configuration configuration) {
                return factory;
            }

            @Override
            public Stream<String> getExecutorNames() {
                return Stream.of(TARGET);
            }
        };
    }

    private CompletableFuture<JobClient> submit(
            Pipeline pipeline, Configuration conf, ClassLoader userCode) throws Exception {
        StreamGraph graph = PipelineExecutorUtils.getStreamGraph(pipeline, conf);
        return cluster.submitJob(graph)
                .thenApply(
                        r ->
                                new MiniClusterJobClient(
                                        r.getJobID(),
                                        cluster,
                                        userCode,
                                        MiniClusterJobClient.JobFinalizationBehavior.NOTHING));
    }

    @Override
    public void close() throws Exception {
        ContextEnvironment.reset();
        cluster.closeAsync().get(60, TimeUnit.SECONDS);
    }

    /** Reaches {@link StreamExecutionEnvironment}'s protected context-environment hooks. */
    private static final class ContextEnvironment extends StreamExecutionEnvironment {
        static void install(StreamExecutionEnvironmentFactory f) {
            initializeContextEnvironment(f);
        }

        static void reset() {
            resetContextEnvironment();
        }
    }
}
