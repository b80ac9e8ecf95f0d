package io.attnstream.clicks.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.attnstream.clicks.data.ItemVocabulary;
import io.attnstream.inference.ModelSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Id histories through one version's vocabulary, without a model: each version encodes with its own
 * indexes, leaves out and counts what it does not know, and answers in ids.
 */
class ItemHistoryTranslatorTest {
    /** Version 1 knows a..d; version 2 was retrained with e and f, which also moved the indexes. */
    private static final ItemVocabulary V1 = ItemVocabulary.of(List.of("a", "b", "c", "d"));

    private static final ItemVocabulary V2 =
            ItemVocabulary.of(List.of("f", "a", "b", "c", "d", "e"));

    private static ItemHistoryTranslator translator(ItemVocabulary v) {
        return new ItemHistoryTranslator(v, new SequenceTranslator(3, 2));
    }

    @Test
    void eachVersionEncodesTheSameIdsWithItsOwnIndexesAndLeavesOutWhatItDoesNotKnow() {
        ItemHistory h = new ItemHistory(new String[] {"a", "e", "b", "f", "c"}, new String[0]);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray v1 = translator(V1).toTensors(m, List.of(h)).singletonOrThrow(); // (1, L)
            assertThat(v1.toLongArray())
                    .as("the last 3 items v1 knows: a, b, c")
                    .containsExactly(1, 2, 3);
            NDArray v2 = translator(V2).toTensors(m, List.of(h)).singletonOrThrow();
            assertThat(v2.toLongArray()).as("b, f, c in v2 indexes").containsExactly(3, 1, 4);
        }
    }

    @Test
    void resultsAreInIdsUnknownCandidatesScoreNaNAndUnknownItemsAreCounted() {
        ItemHistory h = new ItemHistory(new String[] {"z", "b", "a"}, new String[] {"c", "zz"});
        ItemHistoryTranslator t = translator(V1);
        try (NDManager m = NDManager.newBaseManager()) {
            t.toTensors(m, List.of(h));
            // V = 4 (+ padding 0): a=1 b=2 c=3 d=4; b and a are the history
            NDArray scores =
                    m.create(new float[] {-1e9f, 9f, 8f, 0.3f, 0.7f}, new Shape(1, 5)); // (B, V+1)
            NDArray attention = m.create(new float[] {0f, 0.4f, 0.6f}, new Shape(1, 3)); // (B, L)
            ItemScores s = t.fromTensors(new NDList(scores, attention), List.of(h)).get(0);
            assertThat(s.topItems).containsExactly("d", "c");
            assertThat(s.topScores).containsExactly(0.7f, 0.3f);
            assertThat(s.candidateScores[0]).isEqualTo(0.3f);
            assertThat(s.candidateScores[1]).isNaN();
            assertThat(s.attendedItems).containsExactly("b", "a");
            assertThat(s.attention).containsExactly(0.4f, 0.6f);
            assertThat(s.unknownItems).as("z in the history, zz among the candidates").isEqualTo(2);
            assertThat(t.attentionOf(s)).isSameAs(s.attention);
        }
    }

    @Test
    void versionsOfOneJobShareLAndTheOutputsButNotTheVocabulary() {
        var factory = ItemHistoryTranslator.factory(10, false);
        ModelSpec small = spec("1", 20, V1);
        ModelSpec retrained = spec("2", 20, V2);
        ModelSpec longer = spec("3", 50, V2);
        assertThat(factory.contract(retrained)).isEqualTo(factory.contract(small));
        assertThat(factory.contract(longer)).isNotEqualTo(factory.contract(small));
        assertThat(factory.contract(longer).toString())
                .isEqualTo(
                        "kind sequence-recommender, history length L 50, outputs [scores/2,"
                                + " attention/2]");
        assertThat(factory.forVersion(retrained))
                .as("a translator per version")
                .isNotSameAs(factory.forVersion(small));
        assertThatThrownBy(() -> ItemHistoryTranslator.factory(0, false))
                .hasMessage("top-k must be >= 1, got 0");
    }

    private static ModelSpec spec(String version, int maxLength, ItemVocabulary vocabulary) {
        return new ModelSpec(
                "shop",
                version,
                SequenceModels.KIND,
                Map.of(),
                List.of(new ModelSpec.TensorSpec("items", "int64", new long[] {-1, maxLength})),
                List.of(
                        new ModelSpec.TensorSpec(
                                "scores", "float32", new long[] {-1, vocabulary.size() + 1}),
                        new ModelSpec.TensorSpec(
                                "attention", "float32", new long[] {-1, maxLength})),
                vocabulary.toPreprocessing(),
                null,
                null,
                null,
                null);
    }
}
