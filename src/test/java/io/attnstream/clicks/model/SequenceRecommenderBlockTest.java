package io.attnstream.clicks.model;

import static io.attnstream.nn.NnFixtures.MASKED;
import static io.attnstream.nn.NnFixtures.allFinite;
import static io.attnstream.nn.NnFixtures.infer;
import static io.attnstream.nn.NnFixtures.leftPadded;
import static io.attnstream.nn.NnFixtures.parameterCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoopTranslator;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attnstream.inference.DjlEngine;
import io.attnstream.nn.NnFixtures;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SequenceRecommenderBlockTest {
    private static final int B = 3;
    private static final int T = 50;
    private static final int D = 64;
    private static final int H = 2;
    private static final int N = 2;
    private static final int V = 1000;

    private static SequenceRecommenderBlock.Builder settings() {
        return SequenceRecommenderBlock.builder()
                .setVocabularySize(V)
                .setMaxLength(T)
                .setModelSize(D)
                .setHeads(H)
                .setLayers(N);
    }

    private static SequenceRecommenderBlock initialized(
            Model model, SequenceRecommenderBlock block) {
        model.setBlock(block);
        block.initialize(
                model.getNDManager(), DataType.FLOAT32, new Shape(B, block.getMaxLength()));
        return block;
    }

    private static long[] randomHistory(Random random, int length) {
        return random.longs(length, 1, V + 1).toArray();
    }

    /** Row 0: 5 items; row 1: a full history of T items; row 2: a single item. */
    private static long[][] histories() {
        Random random = new Random(7);
        return new long[][] {
            randomHistory(random, 5), randomHistory(random, T), randomHistory(random, 1)
        };
    }

    private static float maxAbsDifference(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    void outputsAreScoresBVPlusOneAndAttentionBT() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("sasrec")) {
            SequenceRecommenderBlock block = initialized(model, settings().build());

            NDList out = infer(block, manager, leftPadded(manager, T, histories()));

            assertThat(out).hasSize(3);
            assertThat(out.get(0).getShape()).isEqualTo(new Shape(B, V + 1));
            assertThat(out.get(1).getShape()).isEqualTo(new Shape(B, T));
            assertThat(out.get(2).getShape()).isEqualTo(new Shape(B, H, T));
            assertThat(block.getOutputShapes(new Shape[] {new Shape(B, T)}))
                    .containsExactly(new Shape(B, V + 1), new Shape(B, T), new Shape(B, H, T));
            NDList encoded =
                    block.encode(
                            new ParameterStore(manager, false),
                            leftPadded(manager, T, histories()),
                            false);
            assertThat(encoded.get(0).getShape()).isEqualTo(new Shape(B, T, D));
            assertThat(encoded.get(1).getShape()).isEqualTo(new Shape(B, H, T, T));
        }
    }

    @Test
    void changingTheLastItemChangesOnlyThatRowsScores() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("sasrec")) {
            SequenceRecommenderBlock block = initialized(model, settings().build());
            long[][] histories = histories();
            long[][] changed = histories();
            changed[0][changed[0].length - 1] = histories[0][histories[0].length - 1] % V + 1;

            NDArray scores = infer(block, manager, leftPadded(manager, T, histories)).get(0);
            NDArray changedScores = infer(block, manager, leftPadded(manager, T, changed)).get(0);

            assertThat(
                            maxAbsDifference(
                                    scores.get(0).toFloatArray(),
                                    changedScores.get(0).toFloatArray()))
                    .isGreaterThan(1e-2f);
            assertThat(changedScores.get("1:").toFloatArray())
                    .containsExactly(scores.get("1:").toFloatArray());
        }
    }

    @Test
    void anEarlierItemChangesTheLastPositionButNoPositionBeforeIt() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("sasrec")) {
            SequenceRecommenderBlock block = initialized(model, settings().build());
            ParameterStore ps = new ParameterStore(manager, false);
            int position = 30; // row 1 is a full history, so position 30 holds a real item
            long[][] histories = histories();
            long[][] changed = histories();
            changed[1][position] = histories[1][position] % V + 1;

            NDArray hidden =
                    block.encode(ps, leftPadded(manager, T, histories), false).get(0); // (B, T, D)
            NDArray changedHidden = block.encode(ps, leftPadded(manager, T, changed), false).get(0);

            assertThat(changedHidden.get("1, :" + position + ", :").toFloatArray())
                    .as("positions before it")
                    .containsExactly(
                            hidden.get("1, :" + position + ", :").toFloatArray(), within(1e-6f));
            assertThat(
                            maxAbsDifference(
                                    changedHidden.get("1, -1, :").toFloatArray(),
                                    hidden.get("1, -1, :").toFloatArray()))
                    .as("last position")
                    .isGreaterThan(1e-3f);
            assertThat(
                            maxAbsDifference(
                                    changedHidden.get("1, " + position + ", :").toFloatArray(),
                                    hidden.get("1, " + position + ", :").toFloatArray()))
                    .as("the position itself")
                    .isGreaterThan(1e-3f);
        }
    }

    @Test
    void attentionIgnoresPaddingAndSumsToOne() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("sasrec")) {
            SequenceRecommenderBlock block = initialized(model, settings().build());

            float[] attention =
                    infer(block, manager, leftPadded(manager, T, histories()))
                            .get(1)
                            .toFloatArray();

            int[] lengths = {5, T, 1};
            for (int b = 0; b < B; b++) {
                float sum = 0;
                for (int t = 0; t < T; t++) {
                    float weight = attention[b * T + t];
                    sum += weight;
                    if (t < T - lengths[b]) {
                        assertThat(weight).as("row %d padding position %d", b, t).isLessThan(1e-6f);
                    } else {
                        assertThat(weight).as("row %d item position %d", b, t).isGreaterThan(0f);
                    }
                }
                assertThat(sum).as("row %d", b).isCloseTo(1f, within(1e-5f));
            }
            assertThat(attention[2 * T + T - 1])
                    .as("a single item gets all the attention")
                    .isCloseTo(1f, within(1e-6f));
        }
    }

    @Test
    void eachHeadsAttentionSumsToOneOverTheHistoryAndTheirMeanIsTheAverageOutput() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("sasrec")) {
            SequenceRecommenderBlock block = initialized(model, settings().build());

            NDList out = infer(block, manager, leftPadded(manager, T, histories()));
            float[] average = out.get(1).toFloatArray(); // (B, T)
            float[] perHead = out.get(2).toFloatArray(); // (B, H, T)

            int[] lengths = {5, T, 1};
            boolean headsDiffer = false;
            for (int b = 0; b < B; b++) {
                for (int h = 0; h < H; h++) {
                    float sum = 0;
                    for (int t = 0; t < T; t++) {
                        float w = perHead[(b * H + h) * T + t];
                        sum += w;
                        if (t < T - lengths[b]) {
                            assertThat(w)
                                    .as("row %d head %d padding %d", b, h, t)
                                    .isLessThan(1e-6f);
                        }
                    }
                    assertThat(sum).as("row %d head %d", b, h).isCloseTo(1f, within(1e-5f));
                }
                for (int t = 0; t < T; t++) {
                    float mean = 0;
                    for (int h = 0; h < H; h++) {
                        mean += perHead[(b * H + h) * T + t] / H;
                    }
                    assertThat(average[b * T + t]).isCloseTo(mean, within(1e-6f));
                    headsDiffer |=
                            Math.abs(perHead[(b * H) * T + t] - perHead[(b * H + 1) * T + t])
                                    > 1e-4f;
                }
            }
            assertThat(headsDiffer).as("the heads are not one weight vector repeated").isTrue();
        }
    }

    @Test
    void thePaddingItemScoresMaskedSoItIsNeverRecommended() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("sasrec")) {
            SequenceRecommenderBlock block = initialized(model, settings().build());

            NDArray scores = infer(block, manager, leftPadded(manager, T, histories())).get(0);

            assertThat(scores.get(":, 0").toFloatArray()).containsExactly(MASKED, MASKED, MASKED);
            assertThat(scores.get(":, 1:").min().getFloat()).isGreaterThan(-1e3f);
            assertThat(scores.argMax(1).toLongArray()).doesNotContain(0L);
        }
    }

    @Test
    void allPaddingRowsGiveFiniteScoresAndAttention() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("sasrec")) {
            SequenceRecommenderBlock block = initialized(model, settings().build());

            NDList out = infer(block, manager, manager.zeros(new Shape(2, T), DataType.INT64));

            assertThat(allFinite(out.get(0).toFloatArray())).as("scores finite").isTrue();
            assertThat(allFinite(out.get(1).toFloatArray())).as("attention finite").isTrue();
            assertThat(out.get(1).sum(new int[] {1}).toFloatArray())
                    .containsOnly(new float[] {1f}, within(1e-5f));
        }
    }

    @Test
    void int32AndInt64IdsGiveTheSameScores() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("sasrec")) {
            SequenceRecommenderBlock block = initialized(model, settings().build());
            NDArray ids = leftPadded(manager, T, histories());

            float[] int64 = infer(block, manager, ids).get(0).toFloatArray();
            float[] int32 =
                    infer(block, manager, ids.toType(DataType.INT32, true)).get(0).toFloatArray();

            assertThat(int32).containsExactly(int64);
        }
    }

    @Test
    void aShorterHistoryScoresAsIfLeftPaddedToMaxLength() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("sasrec")) {
            SequenceRecommenderBlock block = initialized(model, settings().build());
            long[][] shortHistories = {histories()[0], histories()[2]};

            NDList full = infer(block, manager, leftPadded(manager, T, shortHistories));
            NDList shorter = infer(block, manager, leftPadded(manager, 8, shortHistories));

            assertThat(shorter.get(0).toFloatArray())
                    .containsExactly(full.get(0).toFloatArray(), within(1e-4f));
            assertThat(shorter.get(1).toFloatArray())
                    .containsExactly(full.get(1).get(":, -8:").toFloatArray(), within(1e-6f));
        }
    }

    @Test
    void itemEmbeddingsAreTheVectorsTheScoresUseAndZeroForPadding() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("sasrec")) {
            SequenceRecommenderBlock block = initialized(model, settings().build());
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray items = leftPadded(manager, T, histories());
            NDArray candidates = manager.create(new long[] {0, 1, 17, V}); // (4)

            NDArray last = block.encode(ps, items, false).get(0).get(":, -1, :"); // (B, D)
            NDArray embeddings = block.itemEmbeddings(ps, candidates); // (4, D)
            NDArray scores = infer(block, manager, items).get(0); // (B, V+1)

            assertThat(embeddings.getShape()).isEqualTo(new Shape(4, D));
            assertThat(embeddings.get(0).toFloatArray())
                    .containsOnly(new float[] {0f}, within(0f)); // 0 or -0
            float[] dot = last.matMul(embeddings.get("1:").transpose()).toFloatArray(); // (B, 3)
            float[] expected =
                    scores.get(":, {}", manager.create(new long[] {1, 17, V})).toFloatArray();
            assertThat(dot).containsExactly(expected, within(1e-4f));
        }
    }

    @Test
    void forwardAllocatesNothingInTheModelsManager() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("sasrec")) {
            SequenceRecommenderBlock block = initialized(model, settings().build());
            int before = ((BaseNDManager) model.getNDManager()).getManagedArrays().size();

            try (NDManager batch = manager.newSubManager()) {
                ParameterStore ps = new ParameterStore(batch, false);
                infer(block, batch, leftPadded(batch, T, histories()));
                infer(
                        block,
                        batch,
                        leftPadded(batch, 8, histories()[0])); // the right-aligned positions path
                block.itemEmbeddings(ps, batch.create(new long[] {0, 3}));
            }

            assertThat(((BaseNDManager) model.getNDManager()).getManagedArrays()).hasSize(before);
        }
    }

    @Test
    void thePaddingRowOfTheItemTableGetsNoGradient() {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("sasrec")) {
            SequenceRecommenderBlock block = initialized(model, settings().build());
            long[][] histories = histories(); // rows 0 and 2 are mostly padding

            try (GradientCollector collector =
                    Engine.getEngine(DjlEngine.ENGINE_NAME).newGradientCollector()) {
                NDArray items = leftPadded(manager, T, histories);
                NDArray scores = NnFixtures.train(block, manager, items).get(0); // (B, V+1)
                NDArray hidden =
                        block.encode(new ParameterStore(manager, false), items, true)
                                .get(0); // (B, T, D)
                // a loss that touches every position, padding included, and every item's score
                collector.backward(scores.get(":, 1:").logSoftmax(1).sum().add(hidden.sum()));
            }

            NDArray gradient =
                    block.getParameters().get("itemEmbedding").getArray().getGradient(); // (V+1, D)
            assertThat(gradient.get(0).toFloatArray()).containsOnly(new float[] {0f}, within(0f));
            long seen = histories[1][T - 1];
            assertThat(gradient.get(seen).abs().sum().getFloat())
                    .as("an item in the history")
                    .isGreaterThan(0f);
        }
    }

    @Test
    void parameterCountIsEmbeddingsLayersAndFinalNorm() {
        try (Model model = Model.newInstance("sasrec")) {
            SequenceRecommenderBlock block = initialized(model, settings().build());

            long layer = 2 * (2L * D) + 4L * (D * D + D) + 2L * (D * D + D); // F = D
            long expected = (V + 1L) * D + (long) T * D + N * layer + 2L * D;
            assertThat(parameterCount(block)).isEqualTo(expected);
        }
    }

    @Test
    void hyperParametersSurviveAJsonRoundTrip() throws Exception {
        SequenceRecommenderBlock original = settings().optFfnSize(96).optDropout(0.2f).build();
        ObjectMapper json = new ObjectMapper();

        String text = json.writeValueAsString(original.hyperParameters());
        Map<String, Object> read = json.readValue(text, new TypeReference<>() {});
        SequenceRecommenderBlock rebuilt = SequenceRecommenderBlock.fromHyperParameters(read);

        assertThat(text)
                .isEqualTo(
                        "{\"vocabularySize\":1000,\"maxLength\":50,\"modelSize\":64,\"heads\":2,"
                                + "\"layers\":2,\"ffnSize\":96,\"dropout\":0.2}");
        assertThat(rebuilt.hyperParameters()).isEqualTo(original.hyperParameters());
        assertThat(rebuilt.getOutputShapes(new Shape[] {new Shape(B, T)}))
                .containsExactly(original.getOutputShapes(new Shape[] {new Shape(B, T)}));
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("sasrec")) {
            initialized(model, rebuilt);
            NDList out = infer(rebuilt, manager, leftPadded(manager, T, histories()));
            assertThat(out.getShapes())
                    .containsExactly(new Shape(B, V + 1), new Shape(B, T), new Shape(B, H, T));
        }
    }

    @Test
    void fromHyperParametersAcceptsAnyIntegralNumberAndDefaultsTheOptionalOnes() {
        Map<String, Object> map = new HashMap<>();
        map.put("vocabularySize", 1000L);
        map.put("maxLength", 50.0);
        map.put("modelSize", 64);
        map.put("heads", 2);
        map.put("layers", 2L);

        SequenceRecommenderBlock block = SequenceRecommenderBlock.fromHyperParameters(map);

        assertThat(block.getVocabularySize()).isEqualTo(1000);
        assertThat(block.getMaxLength()).isEqualTo(50);
        assertThat(block.getModelSize()).isEqualTo(64);
        assertThat(block.getHeads()).isEqualTo(2);
        assertThat(block.getLayers()).isEqualTo(2);
        assertThat(block.getFfnSize()).as("default F = D").isEqualTo(64);
        assertThat(block.getDropout()).isEqualTo(0.2f);
    }

    @Test
    void fromHyperParametersNamesAMissingUnknownOrFractionalSetting() {
        Map<String, Object> valid = new HashMap<>(settings().build().hyperParameters());

        Map<String, Object> missing = new HashMap<>(valid);
        missing.remove("heads");
        assertThatThrownBy(() -> SequenceRecommenderBlock.fromHyperParameters(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hyper-parameter 'heads' is missing");

        Map<String, Object> unknown = new HashMap<>(valid);
        unknown.put("hedas", 2);
        assertThatThrownBy(() -> SequenceRecommenderBlock.fromHyperParameters(unknown))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "unknown SequenceRecommenderBlock hyper-parameter(s) [hedas]");

        Map<String, Object> fractional = new HashMap<>(valid);
        fractional.put("modelSize", 64.5);
        assertThatThrownBy(() -> SequenceRecommenderBlock.fromHyperParameters(fractional))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hyper-parameter 'modelSize' must be an integer, got 64.5");

        Map<String, Object> text = new HashMap<>(valid);
        text.put("layers", "two");
        assertThatThrownBy(() -> SequenceRecommenderBlock.fromHyperParameters(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hyper-parameter 'layers' must be a number, got 'two'");
    }

    @Test
    void savedAndLoadedModelGivesIdenticalScores(@TempDir Path dir) throws Exception {
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu())) {
            NDArray items = leftPadded(manager, T, histories());
            Map<String, Object> hyperParameters;
            float[] expected;
            try (Model model = Model.newInstance("m")) {
                SequenceRecommenderBlock block = initialized(model, settings().build());
                hyperParameters = block.hyperParameters();
                expected = infer(block, manager, items).get(0).toFloatArray();
                model.save(dir, "m");
            }

            try (Model loaded = Model.newInstance("m")) {
                loaded.setBlock(SequenceRecommenderBlock.fromHyperParameters(hyperParameters));
                loaded.load(dir, "m");
                try (Predictor<NDList, NDList> predictor =
                        loaded.newPredictor(new NoopTranslator())) {
                    NDList out = predictor.predict(new NDList(items));

                    assertThat(out.get(0).toFloatArray()).containsExactly(expected);
                    assertThat(out.get(1).getShape()).isEqualTo(new Shape(B, T));
                }
            }
        }
    }

    @Test
    void loadingIntoABlockWithOtherSettingsIsOneClearError(@TempDir Path dir) throws Exception {
        try (Model model = Model.newInstance("m")) {
            initialized(model, settings().build());
            model.save(dir, "m");
        }

        try (Model other = Model.newInstance("m")) {
            other.setBlock(settings().setVocabularySize(500).setHeads(4).build());

            assertThatThrownBy(() -> other.load(dir, "m"))
                    .isInstanceOf(MalformedModelException.class)
                    .hasMessage(
                            "SequenceRecommenderBlock parameters do not match the block's settings:"
                                + " vocabularySize saved 1000, built 500; heads saved 2, built 4");
        }
    }

    @Test
    void invalidSettingsAndInputsAreRejected() {
        assertThatThrownBy(() -> settings().setHeads(3).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model size D (64) must be divisible by heads H (3)");
        assertThatThrownBy(() -> settings().setLayers(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("layers N must be set to a positive value, got 0");
        try (NDManager manager = DjlEngine.pytorch().newBaseManager(Device.cpu());
                Model model = Model.newInstance("sasrec")) {
            SequenceRecommenderBlock block = initialized(model, settings().build());
            NDArray tooLong = manager.ones(new Shape(1, T + 1), DataType.INT64);
            NDArray floats = manager.ones(new Shape(1, T));

            assertThatThrownBy(() -> infer(block, manager, tooLong))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(
                            "SequenceRecommenderBlock expects items of shape (B, T) with 1 <= T <="
                                    + " 50, got (1, 51)");
            assertThatThrownBy(() -> infer(block, manager, floats))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("item ids must be int32 or int64, got float32");
        }
    }
}
