package io.attnstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

    @Test
    void threadNamesSeenInTheBenchmarksFallIntoTheirGroups() {
        assertThat(ThreadCpu.group("attnstream-bench-seq-null-worker-0"))
                .isEqualTo(ThreadCpu.INFERENCE_WORKERS);
        assertThat(ThreadCpu.group("attnstream-bench-seq-null-batcher"))
                .isEqualTo("inference batcher");
        assertThat(ThreadCpu.group("Source: clicks-source -> decode + validate ClickEvent (1/2)#0"))
                .isEqualTo(ThreadCpu.FLINK_TASKS);
        assertThat(
                        ThreadCpu.group(
                                "skeleton: last 4 items -> recommendation -> kafka at-least-once:"
                                        + " x: Writer (2/2)#0"))
                .isEqualTo(ThreadCpu.FLINK_TASKS);
        assertThat(
                        ThreadCpu.group(
                                "OutputFlusher for Source: clicks-source -> decode + validate"
                                        + " ClickEvent (1/2)#0"))
                .isEqualTo("flink output flushers");
        assertThat(
                        ThreadCpu.group(
                                "Time Trigger for user history (last 4 items) -> inference"
                                        + " (1/2)#0"))
                .isEqualTo("flink runtime");
        assertThat(ThreadCpu.group("Source Data Fetcher for Source: clicks-source (1/2)#0"))
                .isEqualTo("kafka clients");
        assertThat(ThreadCpu.group("kafka-producer-network-thread | producer-12"))
                .isEqualTo("kafka clients");
        assertThat(ThreadCpu.group("kafka-producer-network-thread | bench-b"))
                .isEqualTo(ThreadCpu.BENCH_DRIVER);
        assertThat(ThreadCpu.group("bench-driver-window-b")).isEqualTo(ThreadCpu.BENCH_DRIVER);
        for (String broker :
                new String[] {
                    "data-plane-kafka-request-handler-3",
                    "kafka-scheduler-7",
                    "kafka-cluster-test-kit-2",
                    "TxnMarkerSenderThread-1",
                    "AddPartitionsToTxnSenderThread-1",
                    "PersisterStateManager",
                    "client-metrics-reaper",
                    "metrics-meter-tick-thread-1",
                    "group-coordinator-event-processor-0"
                }) {
            assertThat(ThreadCpu.group(broker)).as(broker).isEqualTo(ThreadCpu.BROKER);
        }
        assertThat(ThreadCpu.group("C2 CompilerThread0")).isEqualTo(ThreadCpu.JIT);
        assertThat(ThreadCpu.group("GC Thread#1")).isEqualTo("jvm GC");
        assertThat(ThreadCpu.group("G1 Conc#0")).isEqualTo("jvm GC");
        assertThat(ThreadCpu.group("VM Thread")).isEqualTo("jvm other");
        assertThat(ThreadCpu.group("Reference Handler")).isEqualTo("jvm other");
        assertThat(ThreadCpu.group("mini-cluster-io-thread-3")).isEqualTo("flink runtime");
        assertThat(ThreadCpu.group("main")).isEqualTo(ThreadCpu.MAIN);
    }

    @Test
    void aThreadThatEndsBetweenTwoMarksStillCountsItsCpuAndContextSwitches() throws Exception {
        Assumptions.assumeTrue(ProcThreads.available(), "context switches need /proc");
        var mx = ManagementFactory.getThreadMXBean();
        long[] burnt = new long[1];
        try (ThreadCpu cpu = new ThreadCpu()) {
            ThreadCpu.Mark from = cpu.mark();
            Thread worker =
                    new Thread(
                            () -> {
                                long end =
                                        System.nanoTime()
                                                + 1_200_000_000L; // outlives two /proc samples
                                // (every 500 ms)
                                double x = 0;
                                while (System.nanoTime() < end) {
                                    for (int i = 0; i < 200_000; i++) {
                                        x += Math.sqrt(i + x);
                                    }
                                    try {
                                        Thread.sleep(1); // a voluntary context switch each time
                                    } catch (InterruptedException e) {
                                        return;
                                    }
                                }
                                burnt[0] = mx.getCurrentThreadCpuTime();
                            },
                            "attnstream-test-worker-0");
            worker.start();
            worker.join();
            Thread.sleep(50);
            ThreadCpu.Usage u = cpu.between(from, cpu.mark());

            double seconds = u.cpuSecondsByGroup().get(ThreadCpu.INFERENCE_WORKERS);
            // sampled every 100 ms: at most the last 100 ms are missing
            assertThat(seconds).isBetween(burnt[0] / 1e9 - 0.15, burnt[0] / 1e9 + 0.01);
            // up to its last /proc sample, 0.5 s or more after it started sleeping every few ms
            assertThat(u.contextSwitchesByGroup().get(ThreadCpu.INFERENCE_WORKERS))
                    .isGreaterThan(20);
            assertThat(u.wallSeconds()).isGreaterThan(1.2);
        }
    }
}
