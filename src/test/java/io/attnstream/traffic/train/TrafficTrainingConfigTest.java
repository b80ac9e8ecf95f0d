package io.attnstream.traffic.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.training.Stopping;
import org.junit.jupiter.api.Test;

class TrafficTrainingConfigTest {
    /** Changing a default changes what the README's command trains: it must be a deliberate act. */
    @Test
    void defaultsAreTheSettingsTheReadmesResultsWereMeasuredWith() {
        TrafficTrainingConfig d = TrafficTrainingConfig.defaults();

        assertThat(d.stopping()).isEqualTo(new Stopping(50, 10, 0));
        assertThat(d.optimization())
                .isEqualTo(new TrafficTrainingConfig.Optimization(32, 1e-3f, 0f, 1f));
        assertThat(d.windows()).isEqualTo(new TrafficTrainingConfig.Windows(12, 12, 0.1, true));
        assertThat(d.architecture())
                .isEqualTo(new TrafficTrainingConfig.Architecture(32, 2, 1, 1, 0f));
        assertThat(d.seed()).isEqualTo(42);
        assertThat(d.threads()).isEqualTo(1);
    }

    @Test
    void buildNamesTheSettingOutOfRange() {
        assertThatThrownBy(() -> TrafficTrainingConfig.builder().optValidationFraction(1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("validation fraction must be in (0, 1), got 1.0");
        assertThatThrownBy(() -> TrafficTrainingConfig.builder().optHeads(3).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the model size must be a positive multiple of the heads");
        assertThatThrownBy(() -> TrafficTrainingConfig.builder().optPatience(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max epochs and patience must be >= 1, got 50, 0");
    }
}
