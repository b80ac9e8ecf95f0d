package io.attnstream.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.schema.DeadLetter;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
    /** Emits nothing: only the graph's shape is under test. */
    static final class Stage extends ProcessFunction<Long, Long> {
        @Override
        public void processElement(Long value, Context ctx, Collector<Long> out) {
            out.collect(value);
        }
    }

    @Test
    void deadLettersLeaveThroughAChainedRelayWithTheirOwnBufferTimeoutAndTheStageKeepsItsOwn() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.setBufferTimeout(2);
        SingleOutputStreamOperator<Long> stage =
                env.fromSequence(0, 10)
                        .uid("numbers")
                        .name("numbers")
                        .process(new Stage())
                        .returns(Types.LONG)
                        .uid("stage")
                        .name("stage");
        stage.keyBy(v -> v % 2).sinkTo(new DiscardingSink<>()).uid("main-sink").name("main sink");
        DeadLetters.outOf(stage)
                .sinkTo(new DiscardingSink<DeadLetter>())
                .uid("dead-letter-sink")
                .name("dead letters");

        StreamGraph graph = env.getStreamGraph(false);
        StreamNode stageNode = node(graph, "stage");
        StreamNode relay = node(graph, "stage-dead-letters");
        assertThat(relay.getOperatorName()).isEqualTo("dead-letters of stage");
        assertThat(relay.getBufferTimeout()).isEqualTo(DeadLetters.BUFFER_TIMEOUT_MILLIS);
        assertThat(stageNode.getBufferTimeout())
                .as("the stage's records keep the job's timeout")
                .isEqualTo(2L);

        JobGraph job = graph.getJobGraph();
        List<JobVertex> withStage = new ArrayList<>();
        for (JobVertex v : job.getVertices()) {
            if (v.getOperatorIDs().size() > 1 && v.getName().contains("stage")) {
                withStage.add(v);
            }
        }
        assertThat(withStage).as("one task holds the stage and its relay").hasSize(1);
        assertThat(withStage.get(0).getName()).contains("dead-letters of stage");
    }

    @Test
    void theRelayOfAStageWithItsOwnParallelismChainsToIt() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        SingleOutputStreamOperator<Long> single =
                env.fromSequence(0, 10)
                        .setParallelism(1)
                        .uid("numbers")
                        .process(new Stage())
                        .returns(Types.LONG)
                        .uid("single")
                        .name("single")
                        .setParallelism(1);
        single.sinkTo(new DiscardingSink<>()).uid("main-sink").name("main sink");
        DeadLetters.outOf(single)
                .sinkTo(new DiscardingSink<DeadLetter>())
                .uid("dead-letter-sink")
                .name("dead letters");

        StreamGraph graph = env.getStreamGraph(false);
        assertThat(node(graph, "single-dead-letters").getParallelism()).isEqualTo(1);
        JobGraph job = graph.getJobGraph();
        assertThat(job.getVertices())
                .filteredOn(v -> v.getName().contains("dead-letters of single"))
                .singleElement()
                .satisfies(v -> assertThat(v.getName()).contains("single ->"));
    }

    private static StreamNode node(StreamGraph graph, String uid) {
        return graph.getStreamNodes().stream()
                .filter(n -> uid.equals(n.getTransformationUID()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no node with uid " + uid));
    }
}
