package io.attnstream.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SinkBatchingTest {
    private static final SinkBatching TRAFFIC = new SinkBatching(Duration.ofMillis(20), 262_144);

    @Test
    void aPipelinesBatchingSetsLingerAndBatchSizeOfItsSinksProducers() {
        Properties p =
                KafkaSinks.producerProperties(
                        new KafkaSettings("k:9092", Map.of("acks", "all")), TRAFFIC);

        assertThat(p.getProperty("linger.ms")).isEqualTo("20");
        assertThat(p.getProperty("batch.size")).isEqualTo("262144");
        assertThat(p.getProperty("acks")).isEqualTo("all");
        assertThat(p.getProperty("bootstrap.servers")).isEqualTo("k:9092");
    }

    @Test
    void theUsersKafkaPropertiesWin() {
        Properties p =
                KafkaSinks.producerProperties(
                        new KafkaSettings("k:9092", Map.of("linger.ms", "0")), TRAFFIC);

        assertThat(p.getProperty("linger.ms")).isEqualTo("0");
        assertThat(p.getProperty("batch.size")).isEqualTo("262144");
    }

    @Test
    void withoutBatchingTheProducerKeepsKafkasDefaults() {
        Properties p = KafkaSinks.producerProperties(new KafkaSettings("k:9092", Map.of()), null);

        assertThat(p).doesNotContainKeys("linger.ms", "batch.size");
    }

    @Test
    void negativeLingerOrEmptyBatchIsRejected() {
        assertThatThrownBy(() -> new SinkBatching(Duration.ofMillis(-1), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SinkBatching(Duration.ZERO, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
