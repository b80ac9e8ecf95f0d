package io.attnstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.attnstream.clicks.model.SequenceModels;
import io.attnstream.clicks.model.SequencePreprocessing;
import io.attnstream.clicks.model.SequenceRequest;
import io.attnstream.clicks.model.SequenceScores;
import io.attnstream.clicks.model.SequenceTranslator;
import io.attnstream.inference.BatchTranslatorAdapter;
import io.attnstream.inference.LoadedModel;
import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.ModelStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The null twin of a sequence model: loads like the model, gives constants of its shapes through
 * its translator.
 */
class NullModelsTest {
    private static final int V = 30;
    private static final int T = 5;
    private static final int H = 2;

    @Test
    void theTwinLoadsThroughTheStoreWithTheRealModelsShapesAndVocabulary(@TempDir Path dir) {
        Path real =
                SequenceModels.writeUntrained(dir.resolve("real"), "seq", "3", V, T, 4, H, 1, 7);
        ModelSpec realSpec = ModelStore.readSpec(real);
        Path twin = NullModels.writeTwin(realSpec, "seq-null", dir.resolve("null"));

        try (LoadedModel m = ModelStore.load(twin, Device.cpu());
                NDManager manager = NDManager.newBaseManager()) {
            assertThat(m.spec().kind()).isEqualTo(ConstantOutputsBlock.KIND);
            assertThat(m.spec().name()).isEqualTo("seq-null");
            assertThat(m.spec().version()).isEqualTo("3");
            assertThat(m.spec().inputs()).isEqualTo(realSpec.inputs());
            assertThat(m.spec().outputs()).isEqualTo(realSpec.outputs());
            assertThat(SequencePreprocessing.of(m.spec()).vocabulary().size()).isEqualTo(V);
            NDList out =
                    m.model()
                            .getBlock()
                            .forward(
                                    new ParameterStore(manager, false),
                                    new NDList(manager.zeros(new Shape(3, T), DataType.INT64)),
                                    false);
            assertThat(out)
                    .extracting(NDArray::getShape)
                    .containsExactly(
                            new Shape(3, V + 1),
                            new Shape(3, T),
                            new Shape(3, H, T)); // scores, attention, per head
            assertThat(out.get(0).toFloatArray()).containsOnly(1f / (V + 1));
            assertThat(out.get(1).toFloatArray()).containsOnly(1f / T);
            assertThat(out.get(2).toFloatArray()).containsOnly(1f / T);
        }
    }

    @Test
    void throughTheRealTranslatorScoresAreConstantAndAttentionCoversTheHistory(@TempDir Path dir)
            throws Exception {
        Path real =
                SequenceModels.writeUntrained(dir.resolve("real"), "seq", "1", V, T, 4, H, 1, 7);
        Path twin =
                NullModels.writeTwin(ModelStore.readSpec(real), "seq-null", dir.resolve("null"));
        List<SequenceRequest> batch =
                List.of(
                        new SequenceRequest(new int[] {3, 1}, new int[] {2, 4}),
                        new SequenceRequest(new int[] {1, 2, 3, 4, 5, 6, 7}, new int[0]));

        List<SequenceScores> out;
        try (LoadedModel m = ModelStore.load(twin, Device.cpu());
                Predictor<List<SequenceRequest>, List<SequenceScores>> p =
                        m.model()
                                .newPredictor(
                                        new BatchTranslatorAdapter<>(
                                                new SequenceTranslator(T, 10, true)))) {
            out = p.predict(batch);
        }

        assertThat(out).hasSize(2);
        SequenceScores first = out.get(0);
        assertThat(first.topItems).hasSize(10).doesNotContain(0, 1, 3);
        assertThat(first.topScores).containsOnly(1f / (V + 1));
        assertThat(first.candidateScores).containsExactly(1f / (V + 1), 1f / (V + 1));
        assertThat(first.attention).hasSize(2).containsOnly(1f / T);
        assertThat(first.headAttention).hasSize(H * 2).containsOnly(1f / T);
        // a history longer than T is cut to T, as for the real model
        assertThat(out.get(1).attention).hasSize(T);
        assertThat(out.get(1).topItems).hasSize(10).doesNotContain(0, 3, 4, 5, 6, 7);
        float sum = 0;
        for (float w : out.get(1).attention) {
            sum += w;
        }
        assertThat(sum).isCloseTo(1f, within(1e-5f));
    }

    @Test
    void malformedHyperParametersAreOneMessage() {
        assertThatThrownBy(
                        () ->
                                ConstantOutputsBlock.fromHyperParameters(
                                        Map.of("outputs", List.of(List.of(3)))))
                .hasMessageContaining("'values'");
        assertThatThrownBy(
                        () ->
                                ConstantOutputsBlock.fromHyperParameters(
                                        Map.of(
                                                "outputs",
                                                List.of(List.of(3, 0)),
                                                "values",
                                                List.of(1))))
                .hasMessageContaining("dimensions must be >= 1");
        assertThat(
                        ConstantOutputsBlock.fromHyperParameters(
                                        Map.of(
                                                "outputs",
                                                List.of(List.of(3L, 2.0)),
                                                "values",
                                                List.of(0.5)))
                                .getOutputShapes(new Shape[] {new Shape(4, 1)}))
                .containsExactly(new Shape(4, 3, 2));
    }
}
