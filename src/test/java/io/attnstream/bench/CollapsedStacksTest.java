package io.attnstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CollapsedStacksTest {
    private static final String TASK = "[user history -> inference (1/2)#0 tid=101]";
    private static final String TRUNK =
            "java/lang/Thread.run;org/apache/flink/runtime/taskmanager/Task.run;"
                    + "org/apache/flink/streaming/runtime/tasks/StreamTask.invoke";
    private static final String STACKS =
            String.join(
                    "\n",
                    TASK
                            + ";"
                            + TRUNK
                            + ";io/attnstream/clicks/job/UserHistoryFunction.processElement_[j]"
                            + ";java/util/HashMap.get_[j]"
                            + " 30",
                    TASK
                            + ";"
                            + TRUNK
                            + ";io/attnstream/platform/AvroCodec.encode;org/apache/avro/io/Encoder.writeString_[i]"
                            + " 50",
                    TASK
                            + ";"
                            + TRUNK
                            // CHECKSTYLE.OFF: LineLength (a verbatim collapsed stack)
                            + ";org/apache/flink/streaming/runtime/io/RecordProcessorUtils$$Lambda$412.0x0000000801234000.accept;io/attnstream/platform/AvroCodec.encode;__futex_wait_[k]"
                            // CHECKSTYLE.ON: LineLength
                            + " 20",
                    "[data-plane-kafka-request-handler-0"
                            + " tid=7];kafka/server/KafkaApis.handle;java/util/HashMap.get 400",
                    "[C2 CompilerThre tid=9];Compile::Optimize() 100",
                    "");

    @Test
    void selfTimeCountsTheInnermostFrameOverTheChosenThreads() {
        CollapsedStacks s = CollapsedStacks.parse(STACKS);
        assertThat(s.samples(t -> true)).isEqualTo(600);
        List<CollapsedStacks.Frame> self =
                s.topSelf(2, CollapsedStacks.inGroup(ThreadCpu.FLINK_TASKS));
        assertThat(self)
                .extracting(CollapsedStacks.Frame::name)
                .containsExactly("org.apache.avro.io.Encoder.writeString", "java.util.HashMap.get");
        assertThat(self.get(0).share()).isCloseTo(0.5, within(1e-9));
        // the broker's HashMap.get is left out with the broker
        assertThat(s.topSelf(5, t -> !ThreadCpu.group(t).equals(ThreadCpu.BROKER)))
                .filteredOn(f -> f.name().equals("java.util.HashMap.get"))
                .extracting(CollapsedStacks.Frame::samples)
                .containsExactly(30L);
    }

    @Test
    void inclusiveTimeLeavesOutTheTrunkAndFlinksPlumbing() {
        CollapsedStacks s = CollapsedStacks.parse(STACKS);
        List<CollapsedStacks.Frame> top =
                s.topInclusive(
                        10,
                        CollapsedStacks.inGroup(ThreadCpu.FLINK_TASKS),
                        0.9,
                        CollapsedStacks::isPlumbing);
        assertThat(top)
                .extracting(CollapsedStacks.Frame::name)
                .containsExactly(
                        // 50 + 20 samples, counted once per stack
                        "io.attnstream.platform.AvroCodec.encode",
                        "org.apache.avro.io.Encoder.writeString",
                        "io.attnstream.clicks.job.UserHistoryFunction.processElement",
                        "java.util.HashMap.get",
                        "__futex_wait [kernel]");
        assertThat(top.get(0).share()).isCloseTo(0.7, within(1e-9));
    }

    @Test
    void framesReadLikeJavaAndGeneratedLambdasMerge() {
        assertThat(CollapsedStacks.readable("java/util/HashMap.get_[j]"))
                .isEqualTo("java.util.HashMap.get");
        assertThat(CollapsedStacks.readable("a/B$$Lambda$412.0x0000000801234000.accept"))
                .isEqualTo("a.B$$Lambda.accept");
        assertThat(CollapsedStacks.readable("do_syscall_64_[k]"))
                .isEqualTo("do_syscall_64 [kernel]");
        assertThat(CollapsedStacks.readable("Compile::Optimize()"))
                .isEqualTo("Compile::Optimize()");
        assertThat(CollapsedStacks.parse(STACKS).samplesByGroup())
                .containsExactly(
                        Map.entry(ThreadCpu.BROKER, 400L),
                        Map.entry(ThreadCpu.FLINK_TASKS, 100L),
                        Map.entry(ThreadCpu.JIT, 100L));
    }
}
