package io.attnstream.clicks.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.clicks.model.SequenceLoss;
import io.attnstream.training.Stopping;
import org.junit.jupiter.api.Test;

class SequenceTrainingConfigTest {
    @Test
    void defaultsAreTheSettingsTheReadmesResultsWereMeasuredWith() {
        SequenceTrainingConfig d = SequenceTrainingConfig.defaults();

        assertThat(d.architecture())
                .isEqualTo(new SequenceTrainingConfig.Architecture(20, 50, 1, 2, 0.5f));
        assertThat(d.optimization())
                .isEqualTo(
                        new SequenceTrainingConfig.Optimization(
                                128, 3e-3f, 5f, 5, SequenceLoss.SAMPLED_SOFTMAX, 1024));
        assertThat(d.stopping()).isEqualTo(new Stopping(200, 20, 0));
        assertThat(d.validation()).isEqualTo(new SequenceTrainingConfig.Validation(1, 10_000, 42));
        assertThat(d.seed()).isEqualTo(42);
        assertThat(d.threads()).isEqualTo(1);
    }

    @Test
    void unsetNegativesAreTheChosenLossesOwn() {
        assertThat(
                        SequenceTrainingConfig.builder()
                                .optLoss(SequenceLoss.BCE)
                                .build()
                                .optimization()
                                .negatives())
                .isEqualTo(SequenceTrainingConfig.BCE_NEGATIVES);
    }

    @Test
    void buildNamesTheSettingOutOfRange() {
        assertThatThrownBy(() -> SequenceTrainingConfig.builder().optLearningRate(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("learning rate must be positive, got 0.0");
        assertThatThrownBy(() -> SequenceTrainingConfig.builder().optDropout(1f).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the dropout in [0, 1)");
    }
}
