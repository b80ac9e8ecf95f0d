package io.attnstream.video.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.attnstream.inference.DjlEngine;
import io.attnstream.inference.LoadedModel;
import io.attnstream.inference.ModelStore;
import io.attnstream.platform.AttnstreamException;
import io.attnstream.video.SyntheticScenes;
import io.attnstream.video.data.SegmentationClasses;
import io.attnstream.video.data.SegmentationSample;
import io.attnstream.video.image.LabelMap;
import io.attnstream.video.image.RgbImage;
import io.attnstream.video.model.FrameSegmenter;
import io.attnstream.video.model.FrameSegmenterTest;
import io.attnstream.video.model.SegmentationModels;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentationEvaluationTest {
    /** Red-blue frames labelled 0 (red) and 2 (blue), with the top row void. */
    private static SegmentationSample labelled(int width, int height) {
        RgbImage image = FrameSegmenterTest.redBlue(width, height);
        byte[] labels = new byte[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                labels[y * width + x] = (byte) (y == 0 ? 11 : x < width / 2 ? 0 : 2);
            }
        }
        return new SegmentationSample("rb", image, new LabelMap(width, height, labels));
    }

    @Test
    void scoresAtEachLabelsOwnResolution() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu())) {
            FrameSegmenter segmenter =
                    new FrameSegmenter(
                            FrameSegmenterTest.COLOUR, manager, 8, 8, FrameSegmenterTest.UNIT, 4);
            List<SegmentationSample> samples = List.of(labelled(16, 12), labelled(48, 36));

            SegmentationEvaluation.Result result =
                    SegmentationEvaluation.evaluate(
                            segmenter, samples, SegmentationClasses.camVid());

            assertThat(result.metrics().pixels())
                    .as("every non-void label pixel")
                    .isEqualTo(16 * 11 + 48 * 35);
            assertThat(result.metrics().meanIou()).isEqualTo(1.0);
            assertThat(result.metrics().classesScored()).isEqualTo(2);
            assertThat(result.frames()).isEqualTo(2);
        }
    }

    @Test
    void reportsAJsonFriendlyMapAndATable() {
        SegmentationMetrics metrics = new SegmentationMetrics(3, 3);
        metrics.add(
                new LabelMap(4, 1, new byte[] {0, 0, 1, 3}),
                new LabelMap(4, 1, new byte[] {0, 1, 1, 2}));

        SegmentationEvaluation.Result result =
                new SegmentationEvaluation.Result(metrics, SyntheticScenes.CLASSES, 1);
        Map<String, Object> map = result.toMap();

        // truth 0 0 1 (void), predicted 0 1 1: sky IoU 1 / 2, road IoU 1 / 2, box neither present
        // nor predicted
        assertThat(map)
                .containsEntry("mean_iou", 0.5)
                .containsEntry("pixel_accuracy", 0.6667)
                .containsEntry("classes_scored", 2)
                .containsEntry("frames", 1)
                .containsEntry("labelled_pixels", 3L)
                .containsEntry("void_index", 3);
        @SuppressWarnings("unchecked")
        Map<String, Object> classIou = (Map<String, Object>) map.get("class_iou");
        assertThat(classIou)
                .containsEntry("sky", 0.5)
                .containsEntry("road", 0.5)
                .containsEntry("box", null);
        assertThat(map.get("confusion_matrix"))
                .isEqualTo(List.of(List.of(1L, 1L, 0L), List.of(0L, 1L, 0L), List.of(0L, 0L, 0L)));
        assertThat(result.table())
                .contains("sky           50.0      50.0")
                .contains("box              -         -")
                .contains("mean          50.0      75.0")
                .contains("pixel accuracy 66.7 %, 1 frames, 3 labelled pixels");
    }

    @Test
    void aModelOfOtherClassesIsRefused(@TempDir Path dir) {
        Path written =
                SegmentationModels.writeUntrained(
                        dir.resolve("seg/1"),
                        "seg",
                        "1",
                        SyntheticScenes.CLASSES,
                        16,
                        16,
                        List.of(4, 8),
                        1,
                        7);
        try (LoadedModel model = ModelStore.load(written, Device.cpu())) {
            assertThatThrownBy(
                            () ->
                                    SegmentationEvaluation.evaluate(
                                            model,
                                            List.of(labelled(16, 16)),
                                            SegmentationClasses.camVid(),
                                            4))
                    .isInstanceOf(AttnstreamException.class)
                    .hasMessage(
                            "model seg@1 knows 3 classes [sky, road, box], void 3; the data has 11"
                                    + " classes "
                                    + Arrays.toString(
                                            SegmentationClasses.camVid().names().toArray())
                                    + ", void 11");
        }
    }
}
