package io.attnstream.bench;

import io.attnstream.pipeline.PipelineContext;
import io.attnstream.platform.FlinkEnvironments;
import io.attnstream.platform.JobSettings;
import io.attnstream.platform.KafkaSettings;
import io.attnstream.platform.TopicAdmin;
import io.attnstream.platform.Topics;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.util.List;

/** A benchmark job's environment: its topics (2 partitions) exist, and a context wires its Kafka I/O. */
record BenchJobs(StreamExecutionEnvironment env, PipelineContext context) {

    /** @param stopAt where the sources stop (a bounded backlog), or null to run until cancelled */
    static BenchJobs prepare(KafkaSettings kafka, Configuration c, String jobName, OffsetsInitializer stopAt,
            List<org.apache.flink.configuration.ConfigOption<String>> topicOptions) {
        Topics topics = Topics.from(c);
        try (TopicAdmin admin = new TopicAdmin(kafka)) {
            admin.ensureTopics(topicOptions.stream().map(topics::name).toList(), 2, (short) 1, Duration.ofSeconds(30));
        }
        JobSettings js = JobSettings.from(jobName, c);
        return new BenchJobs(FlinkEnvironments.ambient(js, c), new PipelineContext(kafka, js, topics, c, stopAt));
    }
}
