package io.attnstream.pipeline;

import java.util.List;
import java.util.Optional;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One runnable attnstream pipeline: which topics it reads and writes, and how it builds its Flink
 * graph.
 */
public interface Pipeline {
    /** The name users type: {@code run traffic}. */
    String name();

    /**
     * Job name; also the default transactional-id prefix and consumer group ({@code
     * attnstream-<job>}).
     */
    String jobName();

    List<ConfigOption<String>> inputTopics();

    List<ConfigOption<String>> outputTopics();

    /**
     * The option naming the pipeline's model ({@code run <pipeline> --model REF} sets it), if it
     * has one.
     */
    default Optional<ConfigOption<String>> modelOption() {
        return Optional.empty();
    }

    /**
     * The option capping how many attended elements each attention record publishes, for pipelines
     * whose attention is over a set that can be large (traffic: all sensors); empty where the whole
     * attention is small enough.
     */
    default Optional<ConfigOption<Integer>> attentionTopKOption() {
        return Optional.empty();
    }

    /** Adds the pipeline's sources, operators and sinks to the environment. */
    void build(StreamExecutionEnvironment env, PipelineContext ctx);
}
