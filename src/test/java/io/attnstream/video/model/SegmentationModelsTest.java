package io.attnstream.video.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.attnstream.inference.LoadedModel;
import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.ModelStore;
import io.attnstream.platform.AttnstreamException;
import io.attnstream.video.SyntheticScenes;
import io.attnstream.video.data.SegmentationClasses;
import io.attnstream.video.image.AttentionMap;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentationModelsTest {
    @Test
    void anUntrainedModelLoadsAndSegmentsFramesOfAnySizeAtTheirSize(@TempDir Path dir) {
        SegmentationClasses camVid = SegmentationClasses.camVid();
        Path written =
                SegmentationModels.writeUntrained(
                        dir.resolve("seg/1"),
                        "seg",
                        "1",
                        camVid,
                        32,
                        24,
                        List.of(8, 16, 32, 64),
                        2,
                        7);

        try (LoadedModel model = ModelStore.load(written, Device.cpu())) {
            ModelSpec spec = model.spec();
            assertThat(spec.kind()).isEqualTo(SegmentationModels.KIND);
            assertThat(spec.outputs())
                    .extracting(ModelSpec.TensorSpec::toString)
                    .containsExactly(
                            "logits:float32[-1, 11, 24, 32]",
                            "gate_0:float32[-1, 24, 32]",
                            "gate_1:float32[-1, 12, 16]",
                            "gate_2:float32[-1, 6, 8]",
                            "heatmap:float32[-1, 3, 4]");
            assertThat(SegmentationPreprocessing.of(spec).inputWidth()).isEqualTo(32);
            assertThat(SegmentationPreprocessing.of(spec).inputHeight()).isEqualTo(24);
            SegmentationClasses classes = SegmentationPreprocessing.of(spec).classes();
            assertThat(classes.names()).isEqualTo(camVid.names());
            assertThat(classes.colours().get(8)).containsExactly(64, 0, 128);
            assertThat(classes.voidIndex()).isEqualTo(11);

            List<Segmentation> out =
                    FrameSegmenter.of(model, 4)
                            .segment(
                                    List.of(
                                            FrameSegmenterTest.redBlue(100, 70),
                                            FrameSegmenterTest.redBlue(31, 17)));

            assertThat(out.get(0).mask().width()).isEqualTo(100);
            assertThat(out.get(0).mask().height()).isEqualTo(70);
            assertThat(out.get(1).mask().width()).isEqualTo(31);
            for (byte b : out.get(0).mask().classes()) {
                assertThat(b & 0xFF).isLessThan(11);
            }
            assertThat(out.get(0).gates())
                    .extracting(AttentionMap::width)
                    .containsExactly(32, 16, 8);
            assertThat(out.get(0).heatmap().width()).isEqualTo(4);
            for (AttentionMap map : List.of(out.get(0).gates().get(2), out.get(0).heatmap())) {
                for (float v : map.values()) {
                    assertThat(v).isBetween(0f, 1f);
                }
            }
        }
    }

    @Test
    void missingOrMalformedPreprocessingIsNamed(@TempDir Path dir) {
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
        ModelSpec spec = ModelStore.readSpec(written);

        Map<String, Object> missing = new HashMap<>(spec.preprocessing());
        missing.remove("mean");
        Map<String, Object> fractional = new HashMap<>(spec.preprocessing());
        fractional.put("input_width", 16.5);

        assertThatThrownBy(() -> SegmentationPreprocessing.of(with(spec, missing)).normalisation())
                .isInstanceOf(AttnstreamException.class)
                .hasMessage("model.json of seg@1 lacks preprocessing.mean");
        assertThatThrownBy(() -> SegmentationPreprocessing.of(with(spec, fractional)).inputWidth())
                .isInstanceOf(AttnstreamException.class)
                .hasMessage(
                        "model.json of seg@1: preprocessing.input_width must be a positive integer,"
                                + " got '16.5'");
        assertThat(SegmentationPreprocessing.of(spec).normalisation().mean())
                .containsExactly(0.4f, 0.4f, 0.4f);
    }

    private static ModelSpec with(ModelSpec spec, Map<String, Object> preprocessing) {
        return new ModelSpec(
                spec.name(),
                spec.version(),
                spec.kind(),
                spec.hyperParameters(),
                spec.inputs(),
                spec.outputs(),
                preprocessing,
                spec.trainingData(),
                spec.metrics(),
                spec.parameters(),
                spec.createdAt());
    }
}
