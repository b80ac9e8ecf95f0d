package io.attnstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PerRecordTest {

    @Test
    void cpuAndSwitchesPerRecordLeaveOutTheBenchAndReportTheBrokerApart() {
        ThreadCpu.Usage u =
                new ThreadCpu.Usage(
                        2.0,
                        Map.of(
                                ThreadCpu.FLINK_TASKS,
                                1.0,
                                "kafka clients",
                                0.5,
                                ThreadCpu.BROKER,
                                0.4,
                                ThreadCpu.BENCH_DRIVER,
                                3.0,
                                ThreadCpu.MAIN,
                                7.0,
                                ThreadCpu.JIT,
                                2.0),
                        Map.of(
                                ThreadCpu.FLINK_TASKS,
                                5_000L,
                                ThreadCpu.BROKER,
                                3_000L,
                                ThreadCpu.BENCH_DRIVER,
                                90_000L));

        PerRecord p = PerRecord.of(u, 10_000);

        assertThat(p.cpuMicrosByGroup())
                .containsOnlyKeys(ThreadCpu.FLINK_TASKS, "kafka clients", ThreadCpu.JIT);
        assertThat(p.cpuMicrosByGroup().get(ThreadCpu.FLINK_TASKS))
                .isCloseTo(100, within(1e-9)); // 1 s / 10k
        // JIT compilation is shown but is warm-up, not in the total
        assertThat(p.cpuMicrosByGroup().get(ThreadCpu.JIT)).isCloseTo(200, within(1e-9));
        assertThat(p.cpuMicrosExcludingBroker()).isCloseTo(150, within(1e-9));
        assertThat(p.brokerCpuMicros()).isCloseTo(40, within(1e-9));
        assertThat(p.contextSwitches()).isCloseTo(0.8, within(1e-9)); // (5,000 + 3,000) / 10k
        assertThat(p.contextSwitchesExcludingBroker()).isCloseTo(0.5, within(1e-9));
        assertThat(p.recordsPerSecond()).isCloseTo(5_000, within(1e-9));

        Map<String, Object> report = p.toReport("reading");
        assertThat(report)
                .containsEntry("readings", 10_000L)
                .containsEntry("readings_per_second", 5000.0)
                .containsEntry("cpu_us_per_reading_excluding_broker", 150.0)
                .containsEntry("broker_cpu_us_per_reading", 40.0)
                .containsEntry("context_switches_per_reading", 0.8)
                .containsEntry("context_switches_per_reading_excluding_broker", 0.5);
    }

    @Test
    void aWindowWithoutProcFiguresHasNoContextSwitches() {
        PerRecord p =
                PerRecord.of(
                        new ThreadCpu.Usage(1.0, Map.of(ThreadCpu.FLINK_TASKS, 0.2), Map.of()),
                        100);
        assertThat(p.cpuMicrosExcludingBroker()).isCloseTo(2_000, within(1e-9));
        assertThat(p.contextSwitchesByGroup()).isEmpty();
        assertThat(p.contextSwitches()).isZero();
    }
}
