package io.attnstream.cli;

import io.attnstream.pipeline.Pipeline;
import io.attnstream.pipeline.PipelineCatalog;
import io.attnstream.pipeline.PipelineContext;
import io.attnstream.platform.AttnstreamException;
import io.attnstream.platform.AttnstreamOptions;
import io.attnstream.platform.FlinkEnvironments;
import io.attnstream.platform.JobSettings;
import io.attnstream.platform.KafkaSettings;
import io.attnstream.platform.TopicAdmin;
import io.attnstream.platform.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code run <pipeline>}: the pipeline's Flink job, on a cluster under {@code flink run}, or
 * locally.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description =
                "Run a pipeline's Flink job against Kafka. Under 'flink run' it runs on that"
                        + " cluster; with --local on an embedded MiniCluster with the web UI.")
public final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Parameters(
            index = "0",
            paramLabel = "PIPELINE",
            completionCandidates = PipelineCatalog.Names.class,
            description = "Pipeline to run: ${COMPLETION-CANDIDATES}.")
    String pipeline;

    @Option(
            names = "--model",
            paramLabel = "REF",
            description =
                    "The pipeline's model: a directory, or name[@version] under"
                            + " attnstream.models.root (default: models).")
    String model;

    @Option(
            names = "--attention-top-k",
            paramLabel = "K",
            description =
                    "traffic: attended sensors published per forecast in traffic.attention, capping"
                            + " its payload (attnstream.traffic.attention-top-k, default 5).")
    Integer attentionTopK;

    @Option(names = "--local", description = "Run on a local MiniCluster with the Flink web UI.")
    boolean local;

    @Option(
            names = "--create-topics",
            description =
                    "Create the pipeline's topics if missing (partitions and"
                            + " replication from attnstream.kafka.topic-*).")
    boolean createTopics;

    @Mixin CommonOptions common;

    @Mixin DeviceOption deviceOption;

    @Override
    public Integer call() throws Exception {
        Pipeline p = pipeline();
        Configuration conf = common.configuration();
        deviceOption.applyTo(conf);
        if (model != null) {
            conf.set(
                    p.modelOption()
                            .orElseThrow(
                                    () ->
                                            new Main.UsageException(
                                                    "pipeline " + p.name() + " takes no --model")),
                    model);
        }
        if (attentionTopK != null) {
            ConfigOption<Integer> topK =
                    p.attentionTopKOption()
                            .orElseThrow(
                                    () ->
                                            new Main.UsageException(
                                                    "--attention-top-k applies to "
                                                            + PipelineCatalog.withAttentionTopK()
                                                            + " only"));
            if (attentionTopK < 1) {
                throw new Main.UsageException("--attention-top-k must be >= 1");
            }
            conf.set(topK, attentionTopK);
        }
        KafkaSettings kafka = common.kafka(conf);
        JobSettings job = Settings.job(p.jobName(), conf);
        Topics topics = common.topics(conf);
        LOG.info("Running pipeline {} (job {}) against {}", p.name(), job.jobName(), kafka);
        if (createTopics) {
            try (TopicAdmin admin = new TopicAdmin(kafka)) {
                admin.ensureTopics(
                        pipelineTopics(p, topics),
                        conf.get(AttnstreamOptions.TOPIC_PARTITIONS),
                        conf.get(AttnstreamOptions.TOPIC_REPLICATION).shortValue(),
                        Duration.ofSeconds(60));
            }
        }
        StreamExecutionEnvironment env =
                local ? FlinkEnvironments.local(job, conf) : FlinkEnvironments.ambient(job, conf);
        p.build(env, new PipelineContext(kafka, job, topics, conf, null));
        env.execute("attnstream-" + job.jobName());
        return 0;
    }

    private Pipeline pipeline() {
        try {
            return PipelineCatalog.byName(pipeline);
        } catch (AttnstreamException e) {
            throw new Main.UsageException(e.getMessage());
        }
    }

    static List<String> pipelineTopics(Pipeline p, Topics topics) {
        List<String> names = new ArrayList<>();
        p.inputTopics().forEach(t -> names.add(topics.name(t)));
        p.outputTopics().forEach(t -> names.add(topics.name(t)));
        names.add(topics.name(Topics.DEAD_LETTER));
        return names;
    }
}
