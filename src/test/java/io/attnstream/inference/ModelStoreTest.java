package io.attnstream.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.attnstream.platform.AttnstreamException;
import io.attnstream.testing.AffineModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
    @BeforeAll
    static void register() {
        AffineModels.register();
    }

    @Test
    void savedModelLoadsWithItsSpecAndChecksum(@TempDir Path root) {
        Path dir = AffineModels.write(root, "aff", "1", 2f, 1f);
        try (LoadedModel m = ModelStore.load(dir, Device.cpu())) {
            assertThat(m.spec().ref()).isEqualTo("aff@1");
            assertThat(m.spec().parameters().file()).isEqualTo("aff-0000.params");
            assertThat(m.spec().parameters().sha256())
                    .isEqualTo(ModelStore.sha256(dir.resolve("aff-0000.params")));
            assertThat(m.spec().createdAt()).isNotBlank();
        }
    }

    @Test
    void resolvesPathsNameAtVersionAndLatestVersionInNaturalOrder(@TempDir Path root) {
        AffineModels.write(root, "aff", "2", 1f, 0f);
        AffineModels.write(root, "aff", "10", 1f, 0f);
        AffineModels.write(root, "aff", "9", 1f, 0f);
        ModelStore store = new ModelStore(root);
        assertThat(store.resolve("aff").getFileName().toString()).isEqualTo("10");
        assertThat(store.resolve("aff@9").getFileName().toString()).isEqualTo("9");
        assertThat(store.resolve(root.resolve("aff/2").toString()))
                .isEqualTo(root.resolve("aff/2"));
        assertThatThrownBy(() -> store.resolve("aff@3"))
                .isInstanceOf(AttnstreamException.class)
                .hasMessageContaining("aff/3/model.json");
        assertThatThrownBy(() -> store.resolve("nope"))
                .hasMessageContaining("model 'nope' not found");
    }

    @Test
    void missingModelJsonIsOneClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> ModelStore.load(dir, Device.cpu()))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage("model directory " + dir + " has no model.json");
    }

    @Test
    void unparseableModelJsonNamesTheFile(@TempDir Path root) throws Exception {
        Path dir = AffineModels.write(root, "aff", "1", 1f, 0f);
        Files.writeString(dir.resolve("model.json"), "{ not json");
        assertThatThrownBy(() -> ModelStore.load(dir, Device.cpu()))
                .hasMessageStartingWith(
                        dir.resolve("model.json") + " is not a valid model description");
    }

    @Test
    void missingParameterFileNamesIt(@TempDir Path root) throws Exception {
        Path dir = AffineModels.write(root, "aff", "1", 1f, 0f);
        Files.delete(dir.resolve("aff-0000.params"));
        assertThatThrownBy(() -> ModelStore.load(dir, Device.cpu()))
                .hasMessageStartingWith("parameter file " + dir.resolve("aff-0000.params"))
                .hasMessageContaining("does not exist");
    }

    @Test
    void corruptParameterFileFailsTheChecksum(@TempDir Path root) throws Exception {
        Path dir = AffineModels.write(root, "aff", "1", 1f, 0f);
        Files.write(
                dir.resolve("aff-0000.params"), new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
        assertThatThrownBy(() -> ModelStore.load(dir, Device.cpu()))
                .hasMessageContaining(
                        dir.resolve("aff-0000.params") + " is corrupt or was replaced: SHA-256");
    }

    @Test
    void declaredShapesThatTheBlockDoesNotProduceAreAMismatch(@TempDir Path root) throws Exception {
        Path dir = AffineModels.write(root, "aff", "1", 1f, 0f);
        Path json = dir.resolve("model.json");
        var tree = (ObjectNode) ModelStore.JSON.readTree(json.toFile());
        ((ArrayNode) tree.get("outputs").get(0).get("shape")).set(1, 3);
        ModelStore.JSON.writeValue(json.toFile(), tree);
        assertThatThrownBy(() -> ModelStore.load(dir, Device.cpu()))
                .hasMessageStartingWith(json + ": shape mismatch")
                .hasMessageContaining("(1, 1)")
                .hasMessageContaining("(1, 3)");
    }

    @Test
    void unknownKindNamesTheKnownOnes(@TempDir Path root) throws Exception {
        Path dir = AffineModels.write(root, "aff", "1", 1f, 0f);
        Path json = dir.resolve("model.json");
        Files.writeString(json, Files.readString(json).replace("\"test-affine\"", "\"quantum\""));
        assertThatThrownBy(() -> ModelStore.load(dir, Device.cpu()))
                .hasMessageContaining("unknown model kind 'quantum'")
                .hasMessageContaining("test-affine");
    }

    @Test
    void versionsCompareNaturally() {
        assertThat(ModelStore.compareVersions("2", "10")).isNegative();
        assertThat(ModelStore.compareVersions("1.10", "1.9")).isPositive();
        assertThat(ModelStore.compareVersions("2024-05-01", "2024-05-01")).isZero();
    }
}
