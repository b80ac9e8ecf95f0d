package io.attnstream.demo;

import io.attnstream.platform.AttnstreamOptions;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DemoRunnerTest {

    @Test
    void demoCheckpointsEverySecondAlignedWithA20msBufferTimeout() {
        Configuration c = DemoRunner.demoDefaults(new Configuration());

        assertThat(c.get(AttnstreamOptions.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.get(CheckpointingOptions.ENABLE_UNALIGNED)).as("the traffic shards rule it out").isFalse();
        assertThat(c.get(ExecutionOptions.BUFFER_TIMEOUT)).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void optionsGivenWithDashDWin() {
        Configuration given = Configuration.fromMap(Map.of("attnstream.job.checkpoint-interval", "3s",
                "execution.buffer-timeout.interval", "2ms"));

        Configuration c = DemoRunner.demoDefaults(given);

        assertThat(c.get(AttnstreamOptions.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.get(ExecutionOptions.BUFFER_TIMEOUT)).isEqualTo(Duration.ofMillis(2));
    }
}
