package io.attnstream.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.junit.jupiter.api.Test;

class FlinkEnvironmentsTest {

    private static JobSettings job() {
        return JobSettings.from("traffic-baseline", new Configuration());
    }

    @Test
    void defaultsTurnOnExactlyOnceCheckpointingABoundedRestartStrategyAndNoKryo() {
        Configuration c = FlinkEnvironments.jobDefaults(job(), new Configuration());
        assertThat(c.get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(c.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE))
                .isEqualTo(CheckpointingMode.EXACTLY_ONCE);
        assertThat(c.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("fixed-delay");
        assertThat(c.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS))
                .isEqualTo(10);
        assertThat(c.get(PipelineOptions.GENERIC_TYPES)).isFalse();
    }

    @Test
    void clusterSettingsWinOverAttnstreamDefaults() {
        Configuration cluster = new Configuration();
        cluster.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMinutes(1));
        cluster.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        Configuration c = FlinkEnvironments.jobDefaults(job(), cluster);
        assertThat(c.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEmpty();
        assertThat(c.getOptional(RestartStrategyOptions.RESTART_STRATEGY)).isEmpty();
    }

    @Test
    void localJobsCheckpointToALocalDirectoryUnlessStorageIsGiven() throws Exception {
        Configuration c = FlinkEnvironments.withLocalCheckpointStorage(new Configuration(), job());
        URI dir = URI.create(c.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY));
        assertThat(dir.getScheme()).isEqualTo("file");
        assertThat(Path.of(dir)).isDirectory().isEmptyDirectory();
        Files.delete(Path.of(dir));

        Configuration givenDir =
                Configuration.fromMap(Map.of("execution.checkpointing.dir", "file:///ckpt"));
        assertThat(
                        FlinkEnvironments.withLocalCheckpointStorage(givenDir, job())
                                .get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo("file:///ckpt");
        Configuration inMemory =
                Configuration.fromMap(Map.of("execution.checkpointing.storage", "jobmanager"));
        assertThat(
                        FlinkEnvironments.withLocalCheckpointStorage(inMemory, job())
                                .getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .as("a storage chosen by the user stays as given")
                .isEmpty();
    }

    @Test
    void transactionalIdPrefixIsPerJobAndPerSink() {
        JobSettings a = JobSettings.from("traffic-baseline", new Configuration());
        assertThat(a.transactionalIdPrefix()).isEqualTo("attnstream-traffic-baseline");
        assertThat(KafkaSinks.transactionalIdPrefix(a, "traffic.forecasts"))
                .isNotEqualTo(KafkaSinks.transactionalIdPrefix(a, "attnstream.dead-letter"));
        Configuration c = new Configuration();
        c.set(AttnstreamOptions.TRANSACTIONAL_ID_PREFIX, "prod-eu-traffic");
        assertThat(JobSettings.from("traffic-baseline", c).transactionalIdPrefix())
                .isEqualTo("prod-eu-traffic");
    }

    @Test
    void transactionTimeoutAboveTheBrokersMaximumIsRejected() {
        Configuration c = new Configuration();
        c.set(AttnstreamOptions.TRANSACTION_TIMEOUT, Duration.ofMinutes(20));
        assertThatThrownBy(() -> JobSettings.from("x", c))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining("15 min");
    }

    @Test
    void topicNamesAreConfigurableAndPrefixed() {
        Configuration c = new Configuration();
        c.set(AttnstreamOptions.TOPIC_PREFIX, "staging.");
        c.set(Topics.TRAFFIC_READINGS, "loops");
        Topics t = Topics.from(c);
        assertThat(t.name(Topics.TRAFFIC_READINGS)).isEqualTo("staging.loops");
        assertThat(t.name(Topics.DEAD_LETTER)).isEqualTo("staging.attnstream.dead-letter");
        assertThat(t.all()).hasSize(11).doesNotHaveDuplicates();
    }
}
