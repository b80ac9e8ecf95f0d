package io.attnstream.clicks.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.ModelStore;
import io.attnstream.platform.AttnstreamException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SequenceModelsTest {

    @Test
    void readsTheVocabularyAndHistoryLengthOfAWrittenModel(@TempDir Path tmp) {
        Path dir =
                SequenceModels.writeUntrained(tmp.resolve("seq"), "seq", "1", 30, 12, 8, 2, 1, 1);
        ModelSpec spec = ModelStore.readSpec(dir);
        assertThat(SequencePreprocessing.of(spec, dir).maxLength()).isEqualTo(12);
        assertThat(SequencePreprocessing.of(spec, dir).vocabulary().size()).isEqualTo(30);
    }

    @Test
    void aModelJsonWithoutVocabularyOrHistoryShapeIsOneErrorNamingTheFile(@TempDir Path tmp) {
        Path dir =
                SequenceModels.writeUntrained(tmp.resolve("seq"), "seq", "1", 30, 12, 8, 2, 1, 1);
        ModelSpec ok = ModelStore.readSpec(dir);
        ModelSpec noVocabulary =
                new ModelSpec(
                        ok.name(),
                        ok.version(),
                        ok.kind(),
                        ok.hyperParameters(),
                        ok.inputs(),
                        ok.outputs(),
                        Map.of(),
                        ok.trainingData(),
                        ok.metrics(),
                        ok.parameters(),
                        ok.createdAt());
        assertThatThrownBy(() -> SequencePreprocessing.of(noVocabulary, dir).vocabulary())
                .isInstanceOf(AttnstreamException.class)
                .hasMessage(
                        dir.resolve("model.json")
                                + ": preprocessing has neither a vocabulary nor numeric item ids"
                                + " with a vocabulary_size");
        ModelSpec noHistory =
                new ModelSpec(
                        ok.name(),
                        ok.version(),
                        ok.kind(),
                        ok.hyperParameters(),
                        List.of(new ModelSpec.TensorSpec("items", "int64", new long[] {-1})),
                        ok.outputs(),
                        ok.preprocessing(),
                        ok.trainingData(),
                        ok.metrics(),
                        ok.parameters(),
                        ok.createdAt());
        assertThatThrownBy(() -> SequencePreprocessing.of(noHistory, dir).maxLength())
                .isInstanceOf(AttnstreamException.class)
                .hasMessage(
                        dir.resolve("model.json")
                                + ": inputs[0] is not the item history of shape [-1, T]");
    }
}
