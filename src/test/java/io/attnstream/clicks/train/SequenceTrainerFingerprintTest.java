package io.attnstream.clicks.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.inference.ModelStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the fingerprint model.json records for sequences built in memory: saved models and the tools
 * that compare them read it, so its byte layout (users in sorted order, each "user\n", then "item "
 * per item, then "\n") must never change by accident.
 */
class SequenceTrainerFingerprintTest {
    @TempDir Path root;

    @Test
    void inMemorySequencesKeepTheirFingerprint() {
        Map<String, List<String>> sequences =
                Map.of(
                        "u2", List.of("b", "c", "d", "a", "e"),
                        "u1", List.of("a", "b", "c", "d"),
                        "u3", List.of("c", "a", "b", "e"));
        SequenceTrainingConfig config =
                SequenceTrainingConfig.builder()
                        .optMaxLength(4)
                        .optModelSize(8)
                        .optHeads(1)
                        .optLayers(1)
                        .optDropout(0.1f)
                        .optBatchSize(4)
                        .optMaxEpochs(1)
                        .optPatience(1)
                        .build();

        Path dir =
                new SequenceTrainer(sequences, config)
                        .train(root.resolve("m"), "pin", "1", SequenceTrainingProgress.silent())
                        .modelDir();

        assertThat(ModelStore.readSpec(dir).trainingData())
                .containsEntry(
                        "fingerprint",
                        "values-sha256:"
                            + "fb28fc6d228a3ed8a8c6dc296473a5dcae4f9cc89b8aa7df7526e5a78045faff");
    }
}
