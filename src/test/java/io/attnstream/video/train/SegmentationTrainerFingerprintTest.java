package io.attnstream.video.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.inference.ModelStore;
import io.attnstream.video.SyntheticScenes;
import io.attnstream.video.data.SegmentationSample;
import io.attnstream.video.image.LabelMap;
import io.attnstream.video.image.RgbImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the fingerprint model.json records for frames held in memory: saved models and the tools
 * that compare them read it, so its byte layout (training then validation frames, each its name's
 * UTF-8, its RGB bytes and its label bytes, each part closed by a 0 byte) must never change by
 * accident. The frames are built from a formula, not a generator, so the pin cannot move with one.
 */
class SegmentationTrainerFingerprintTest {
    @TempDir Path root;

    @Test
    void inMemoryFramesKeepTheirFingerprint() {
        List<SegmentationSample> training = frames("train", 3, 1);
        List<SegmentationSample> validation = frames("val", 2, 7);
        // the smallest run that writes model.json: one epoch of a 2-stage U-Net at 16 x 16
        SegmentationTrainingConfig config =
                SegmentationTrainingConfig.builder()
                        .optInputSize(16, 16)
                        .optWidths(List.of(4, 8))
                        .optHeads(1)
                        .optBatchSize(2)
                        .optWarmupSteps(1)
                        .optMaxEpochs(1)
                        .optPatience(1)
                        .optAugmentation(Augmentation.none())
                        .build();

        Path dir =
                new SegmentationTrainer(training, validation, SyntheticScenes.CLASSES, config)
                        .train(root.resolve("m"), "pin", "1", SegmentationTrainingProgress.silent())
                        .modelDir();

        assertThat(ModelStore.readSpec(dir).trainingData())
                .containsEntry(
                        "fingerprint",
                        "values-sha256:"
                            + "d3c361b02da3979507ec917e6ce57383748e046428b0e404e0f31f0b4a011142");
    }

    /** {@code count} 16 x 16 frames whose pixels and labels follow from their index and salt. */
    private static List<SegmentationSample> frames(String prefix, int count, int salt) {
        List<SegmentationSample> frames = new ArrayList<>();
        for (int f = 0; f < count; f++) {
            byte[] rgb = new byte[3 * 16 * 16];
            byte[] labels = new byte[16 * 16];
            for (int p = 0; p < labels.length; p++) {
                rgb[3 * p] = (byte) (p * 7 + f * 31 + salt);
                rgb[3 * p + 1] = (byte) (p * 3 + f * 11);
                rgb[3 * p + 2] = (byte) (255 - p - salt);
                labels[p] = (byte) ((p / 16 + f + salt) % 4); // 3 is void
            }
            frames.add(
                    new SegmentationSample(
                            prefix + f, new RgbImage(16, 16, rgb), new LabelMap(16, 16, labels)));
        }
        return frames;
    }
}
