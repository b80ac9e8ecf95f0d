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
        assertThat(SequenceModels.maxLength(spec, dir)).isEqualTo(12);
        assertThat(SequenceModels.vocabulary(spec, dir).size()).isEqualTo(30);
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
        assertThatThrownBy(() -> SequenceModels.vocabulary(noVocabulary, dir))
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
        assertThatThrownBy(() -> SequenceModels.maxLength(noHistory, dir))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage(
                        dir.resolve("model.json")
                                + ": inputs[0] is not the item history of shape [-1, T]");
    }
}
