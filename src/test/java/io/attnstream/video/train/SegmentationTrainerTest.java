package io.attnstream.video.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import io.attnstream.inference.LoadedModel;
import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.ModelStore;
import io.attnstream.platform.AttnstreamException;
import io.attnstream.video.SyntheticScenes;
import io.attnstream.video.TickingClock;
import io.attnstream.video.data.SegmentationSample;
import io.attnstream.video.eval.SegmentationEvaluation;
import io.attnstream.video.model.ImageTensors;
import io.attnstream.video.model.SegmentationPreprocessing;
import io.attnstream.video.train.SegmentationTrainer.TrainingResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentationTrainerTest {
    /**
     * A tiny and fast setting: 32 x 24 frames, a 3-stage U-Net, one thread; the full augmentation
     * these tests were written with (the default is flips only).
     */
    private static SegmentationTrainingConfig.Builder tiny() {
        return SegmentationTrainingConfig.builder()
                .optInputSize(32, 24)
                .optWidths(List.of(4, 8, 16))
                .optHeads(2)
                .optDropout(0f)
                .optBatchSize(4)
                .optLearningRate(3e-3f)
                .optMinLearningRate(1e-5f)
                .optWarmupSteps(5)
                .optWeightDecay(0f)
                .optGradientClip(1f)
                .optAugmentation(Augmentation.full())
                .optThreads(1);
    }

    @Test
    void savesTheBestEpochWhoseModelScoresWhatTrainingReported(@TempDir Path root) {
        List<SegmentationSample> train = SyntheticScenes.generate(12, 32, 24, 1);
        List<SegmentationSample> validation = SyntheticScenes.generate(6, 32, 24, 2);
        List<Integer> seen = new ArrayList<>();

        TrainingResult result =
                new SegmentationTrainer(
                                train,
                                validation,
                                SyntheticScenes.CLASSES,
                                tiny().optMaxEpochs(4).optPatience(4).build())
                        .withSource("synthetic scenes")
                        .train(root.resolve("s/1"), "s", "1", summary -> seen.add(summary.epoch()));

        assertThat(seen).containsExactly(1, 2, 3, 4);
        assertThat(result.epochsRun()).isEqualTo(4);
        double bestMiou =
                result.epochs().stream()
                        .mapToDouble(SegmentationTrainingProgress.EpochSummary::validationMeanIou)
                        .max()
                        .orElseThrow();
        assertThat(result.bestValidation().metrics().meanIou()).isEqualTo(bestMiou);
        assertThat(result.epochs().get(result.bestEpoch() - 1).best()).isTrue();
        try (LoadedModel model = ModelStore.load(result.modelDir(), Device.cpu())) {
            SegmentationEvaluation.Result reloaded =
                    SegmentationEvaluation.evaluate(model, validation, SyntheticScenes.CLASSES, 4);
            assertThat(reloaded.metrics().confusion())
                    .as("the saved parameters are the best epoch's")
                    .isDeepEqualTo(result.bestValidation().metrics().confusion());
            ModelSpec spec = model.spec();
            assertThat(spec.metrics())
                    .containsEntry("best_epoch", result.bestEpoch())
                    .containsEntry("epochs_run", 4)
                    .containsEntry("validation_frames", 6);
            assertThat((double) spec.metrics().get("validation_mean_iou"))
                    .isCloseTo(bestMiou, within(1e-4));
            assertThat(SegmentationPreprocessing.of(spec).classes().names())
                    .containsExactly("sky", "road", "box");
            assertThat(SegmentationPreprocessing.of(spec).normalisation())
                    .isEqualTo(
                            ImageTensors.Normalisation.fit(
                                    train.stream().map(SegmentationSample::image).toList()));
            assertThat((String) spec.trainingData().get("description"))
                    .startsWith(
                            "synthetic scenes: 12 training"
                                    + " frames, 6 validation frames; trained at 32 x 24");
            assertThat((String) spec.trainingData().get("fingerprint"))
                    .startsWith("values-sha256:");
        }
        assertThat(result.classWeights()).hasSize(3);
        assertThat(result.classWeights()[SyntheticScenes.BOX])
                .as("boxes are the rarest class")
                .isGreaterThan(result.classWeights()[SyntheticScenes.SKY]);
    }

    @Test
    void aTimeBudgetEndsTheRunWithinItWithTheLastEpochCutShort(@TempDir Path root) {
        // 100 batches: an epoch takes longer than the budget, so the budget, not an epoch's end,
        // stops the run
        List<SegmentationSample> train = SyntheticScenes.generate(400, 32, 24, 3);
        List<SegmentationSample> validation = SyntheticScenes.generate(4, 32, 24, 4);
        SegmentationTrainingConfig config =
                tiny().optMaxEpochs(1000).optPatience(1000).optMaxMinutes(4.0 / 60).build();
        // The budget is measured on a clock that ticks 100 ms at each reading (once per batch, a
        // few times per epoch). On the wall clock the batch count, the last learning rate and the
        // run's length followed the machine's load: 1 to 51 batches and 4.0 to 13 s in 15 runs on a
        // loaded 2-core machine.
        TickingClock clock = new TickingClock(100);

        TrainingResult result =
                new SegmentationTrainer(train, validation, SyntheticScenes.CLASSES, config)
                        .withClock(clock)
                        .train(
                                root.resolve("s/1"),
                                "s",
                                "1",
                                SegmentationTrainingProgress.silent());

        // on this clock the whole epoch would take 10 s; the budget plus the last validation's
        // readings is 4.5 s
        assertThat(result.seconds()).as("4 s budget, plus the last validation").isBetween(4.0, 5.0);
        assertThat(result.epochsRun()).isEqualTo(1);
        SegmentationTrainingProgress.EpochSummary last = result.epochs().get(0);
        // 0.1 s of setup, then 0.1 s a batch: the 39th batch would start at the budget
        assertThat(last.batches()).as("the epoch stopped at the budget").isEqualTo(38);
        assertThat(last.learningRate())
                .as("the schedule reached its floor (1e-5) with the budget")
                .isLessThan(2e-5f);
        assertThat(result.skippedBatches()).as("non-finite batches").isZero();
    }

    @Test
    void missingFramesAndInputSizesTheUNetCannotTakeAreClearErrors(@TempDir Path root) {
        List<SegmentationSample> train = SyntheticScenes.generate(2, 32, 24, 1);

        assertThatThrownBy(
                        () ->
                                new SegmentationTrainer(
                                                train,
                                                List.of(),
                                                SyntheticScenes.CLASSES,
                                                tiny().build())
                                        .withSource("data/scenes")
                                        .train(
                                                root,
                                                "s",
                                                "1",
                                                SegmentationTrainingProgress.silent()))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage("data/scenes: no validation frames, nothing to train on");
        assertThatThrownBy(
                        () -> SegmentationTrainingConfig.builder().optInputSize(240, 180).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "the input size must be a multiple of 2^(stages-1) = 8 for 4 stages, got"
                                + " 240 x 180");
    }

    @Test
    void aClassWeightExponentSoftensTheLossWeightsAndIsRecordedInModelJson(@TempDir Path root) {
        List<SegmentationSample> train = SyntheticScenes.generate(4, 32, 24, 1);
        List<SegmentationSample> validation = SyntheticScenes.generate(2, 32, 24, 2);
        float[] full = ClassWeights.medianFrequency(train, 3, SyntheticScenes.CLASSES.voidIndex());

        TrainingResult result =
                new SegmentationTrainer(
                                train,
                                validation,
                                SyntheticScenes.CLASSES,
                                tiny().optMaxEpochs(1)
                                        .optPatience(1)
                                        .optAugmentation(Augmentation.none())
                                        .optClassWeightExponent(0.5f)
                                        .build())
                        .train(
                                root.resolve("s/1"),
                                "s",
                                "1",
                                SegmentationTrainingProgress.silent());

        assertThat(result.classWeights())
                .containsExactly(
                        new float[] {
                            (float) Math.sqrt(full[0]),
                            (float) Math.sqrt(full[1]),
                            (float) Math.sqrt(full[2])
                        },
                        within(1e-6f));
        assertThat(full[SyntheticScenes.BOX])
                .as("the fixture has a rare class to soften")
                .isGreaterThan(1.5f);
        @SuppressWarnings("unchecked")
        Map<String, Object> config =
                (Map<String, Object>)
                        ModelStore.readSpec(result.modelDir()).trainingData().get("config");
        assertThat(((Number) config.get("class_weight_exponent")).doubleValue()).isEqualTo(0.5);
        assertThat(SegmentationTrainingConfig.defaults().input().classWeightExponent())
                .as("full weights by default")
                .isEqualTo(1f);
        assertThat(
                        SegmentationTrainingConfig.builder()
                                .optAugmentation(Augmentation.none())
                                .optClassWeightExponent(0f)
                                .build()
                                .input()
                                .classWeightExponent())
                .isEqualTo(0f);
        assertThatThrownBy(
                        () ->
                                SegmentationTrainingConfig.builder()
                                        .optAugmentation(Augmentation.none())
                                        .optClassWeightExponent(1.5f)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("class weight exponent in [0, 1]");
    }
}
