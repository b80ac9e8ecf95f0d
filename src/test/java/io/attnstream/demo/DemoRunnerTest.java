package io.attnstream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.platform.AttnstreamOptions;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.junit.jupiter.api.Test;

class DemoRunnerTest {

    @Test
    void demoCheckpointsEverySecondWithA20msBufferTimeoutAndLeavesUnalignedToTheJobsDefault() {
        Configuration c = DemoRunner.demoDefaults(new Configuration());

        assertThat(c.get(AttnstreamOptions.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.getOptional(CheckpointingOptions.ENABLE_UNALIGNED))
                .as("FlinkEnvironments' unaligned default applies")
                .isEmpty();
        assertThat(c.get(ExecutionOptions.BUFFER_TIMEOUT)).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void optionsGivenWithDashDWin() {
        Configuration given =
                Configuration.fromMap(
                        Map.of(
                                "attnstream.job.checkpoint-interval",
                                "3s",
                                "execution.checkpointing.unaligned.enabled",
                                "false",
                                "execution.buffer-timeout.interval",
                                "2ms"));

        Configuration c = DemoRunner.demoDefaults(given);

        assertThat(c.get(AttnstreamOptions.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.get(CheckpointingOptions.ENABLE_UNALIGNED)).isFalse();
        assertThat(c.get(ExecutionOptions.BUFFER_TIMEOUT)).isEqualTo(Duration.ofMillis(2));
    }
}
