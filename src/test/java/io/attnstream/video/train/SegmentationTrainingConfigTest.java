package io.attnstream.video.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.training.Stopping;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmentationTrainingConfigTest {
    @Test
    void defaultsAreTheSettingsTheReadmesResultsWereMeasuredWith() {
        SegmentationTrainingConfig d = SegmentationTrainingConfig.defaults();

        assertThat(d.stopping()).isEqualTo(new Stopping(100, 15, 0));
        assertThat(d.optimization())
                .isEqualTo(
                        new SegmentationTrainingConfig.Optimization(4, 1e-3f, 1e-5f, 100, 0f, 1f));
        assertThat(d.architecture())
                .isEqualTo(
                        new SegmentationTrainingConfig.Architecture(
                                List.of(16, 32, 64, 128), 2, 0f));
        assertThat(d.input())
                .isEqualTo(
                        new SegmentationTrainingConfig.Input(
                                240, 176, new Augmentation(true, 1f, 1f, 0f, 0f, 0f), 1f));
        assertThat(d.seed()).isEqualTo(42);
        assertThat(d.threads()).isEqualTo(1);
    }

    @Test
    void modelJsonKeepsItsNamesAndValueTypes() {
        Map<String, Object> m = SegmentationTrainingConfig.defaults().toMap();

        assertThat(m)
                .containsExactly(
                        Map.entry("max_epochs", 100),
                        Map.entry("batch_size", 4),
                        Map.entry("learning_rate", 1e-3f),
                        Map.entry("min_learning_rate", 1e-5f),
                        Map.entry("warmup_steps", 100),
                        Map.entry("weight_decay", 0f),
                        Map.entry("patience", 15),
                        Map.entry("max_minutes", 0.0),
                        Map.entry("seed", 42L),
                        Map.entry("gradient_clip", 1f),
                        Map.entry("class_weight_exponent", 1f),
                        Map.entry(
                                "augmentation",
                                "Augmentation[flip=true, minScale=1.0, maxScale=1.0,"
                                        + " brightness=0.0, contrast=0.0, saturation=0.0]"));
    }

    @Test
    void buildNamesTheSettingOutOfRange() {
        assertThatThrownBy(() -> SegmentationTrainingConfig.builder().optBatchSize(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batch size must be >= 1, got 0");
        assertThatThrownBy(
                        () ->
                                SegmentationTrainingConfig.builder()
                                        .optMinLearningRate(0.01f)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("min learning rate 0.01 > learning rate 0.001");
        assertThatThrownBy(() -> SegmentationTrainingConfig.builder().optMaxMinutes(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max minutes must be >= 0 (0 = no limit), got -1.0");
        assertThatThrownBy(() -> SegmentationTrainingConfig.builder().optDropout(1f).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dropout must be in [0, 1), got 1.0");
        assertThatThrownBy(
                        () ->
                                SegmentationTrainingConfig.builder()
                                        .optWidths(List.of(8, 16))
                                        .optInputSize(31, 176)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "the input size must be a multiple of 2^(stages-1) = 2 for 2 stages, got"
                                + " 31 x 176");
    }
}
