package io.attnstream.video.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.attnstream.inference.LoadedModel;
import io.attnstream.inference.ModelStore;
import io.attnstream.video.SyntheticScenes;
import io.attnstream.video.data.SegmentationSample;
import io.attnstream.video.eval.SegmentationEvaluation;
import io.attnstream.video.image.AttentionMap;
import io.attnstream.video.model.FrameSegmenter;
import io.attnstream.video.model.Segmentation;
import io.attnstream.video.train.SegmentationTrainer.TrainingResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether the segmenter learns at all: on tiny synthetic scenes (sky, road, boxes on the road) a
 * run of at most 15 s on one thread must reach a mean IoU of 0.6 on scenes it never saw, scored at
 * the labels' own resolution by the evaluation code, from the saved model directory.
 */
class SegmentationTrainerLearningTest {
    @Test
    void learnsSyntheticScenesToAMeanIouOfAtLeastSixtyPercent(@TempDir Path root) {
        List<SegmentationSample> train = SyntheticScenes.generate(48, 64, 48, 1);
        List<SegmentationSample> validation = SyntheticScenes.generate(12, 64, 48, 2);
        List<SegmentationSample> test = SyntheticScenes.generate(16, 64, 48, 3);
        // one thread: with two, a step stalls whenever another process holds the other core
        // the full augmentation this recipe was tuned with (the default is flips only)
        SegmentationTrainingConfig config =
                SegmentationTrainingConfig.builder()
                        .optInputSize(64, 48)
                        .optMaxEpochs(200)
                        .optPatience(200)
                        .optMaxMinutes(0.25)
                        .optWidths(List.of(8, 16, 32, 64))
                        .optHeads(2)
                        .optDropout(0f)
                        .optBatchSize(4)
                        .optLearningRate(3e-3f)
                        .optMinLearningRate(1e-5f)
                        .optWarmupSteps(20)
                        .optWeightDecay(0f)
                        .optGradientClip(1f)
                        .optAugmentation(Augmentation.full())
                        .optThreads(1)
                        .build();

        TrainingResult result =
                new SegmentationTrainer(train, validation, SyntheticScenes.CLASSES, config)
                        .train(
                                root.resolve("scenes/1"),
                                "scenes",
                                "1",
                                SegmentationTrainingProgress.silent());

        SegmentationEvaluation.Result heldOut;
        SegmentationEvaluation.Result larger;
        List<Segmentation> segmented;
        try (LoadedModel model = ModelStore.load(result.modelDir(), Device.cpu())) {
            heldOut = SegmentationEvaluation.evaluate(model, test, SyntheticScenes.CLASSES, 8);
            // frames and labels at twice the training size: resized to 64 x 48 in, logits resized
            // back out
            larger =
                    SegmentationEvaluation.evaluate(
                            model,
                            SyntheticScenes.generate(8, 128, 96, 4),
                            SyntheticScenes.CLASSES,
                            8);
            segmented =
                    FrameSegmenter.of(model, 8)
                            .segment(test.stream().map(SegmentationSample::image).toList());
        }
        String summary =
                String.format(
                        Locale.ROOT,
                        "%d epochs in %.1f s, best %d: val mIoU %.3f; held-out mIoU %.3f pixel acc."
                                + " %.3f, at 128 x 96 mIoU %.3f; first loss %.3f, last %.3f%n%s",
                        result.epochsRun(),
                        result.seconds(),
                        result.bestEpoch(),
                        result.bestValidation().metrics().meanIou(),
                        heldOut.metrics().meanIou(),
                        heldOut.metrics().pixelAccuracy(),
                        larger.metrics().meanIou(),
                        result.epochs().get(0).trainLoss(),
                        result.epochs().get(result.epochsRun() - 1).trainLoss(),
                        heldOut.table());
        System.out.println(summary);
        assertThat(heldOut.metrics().meanIou())
                .as("held-out mean IoU; %s", summary)
                .isGreaterThanOrEqualTo(0.6);
        assertThat(heldOut.metrics().classesScored())
                .as("classes scored; %s", summary)
                .isEqualTo(3);
        assertThat(larger.metrics().meanIou())
                .as("held-out mean IoU at 128 x 96; %s", summary)
                .isGreaterThanOrEqualTo(0.6);
        for (Segmentation s : segmented) {
            for (AttentionMap map : concat(s.gates(), s.heatmap())) {
                for (float v : map.values()) {
                    assertThat(v).as("attention map value").isBetween(0f, 1f); // NaN fails too
                }
            }
        }
        assertThat(result.seconds()).as("training seconds; %s", summary).isLessThan(40);
    }

    private static List<AttentionMap> concat(List<AttentionMap> gates, AttentionMap heatmap) {
        List<AttentionMap> all = new ArrayList<>(gates);
        all.add(heatmap);
        return all;
    }
}
