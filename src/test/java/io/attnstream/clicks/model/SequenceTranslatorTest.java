package io.attnstream.clicks.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pre- and post-processing of the sequence model, without a model. */
class SequenceTranslatorTest {
    private final SequenceTranslator translator = new SequenceTranslator(4, 2);

    @Test
    void historiesAreLeftPaddedOrCutToTheModelsFixedLength() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray items =
                    translator
                            .toTensors(
                                    m,
                                    List.of(
                                            new SequenceRequest(new int[] {7, 8}, new int[0]),
                                            new SequenceRequest(
                                                    new int[] {1, 2, 3, 4, 5, 6}, new int[0])))
                            .singletonOrThrow();
            assertThat(items.getShape()).isEqualTo(new Shape(2, 4));
            assertThat(items.toLongArray()).containsExactly(0, 0, 7, 8, 3, 4, 5, 6);
        }
    }

    @Test
    void topItemsExcludeTheHistoryAndPaddingAndAttentionCoversTheUsedHistory() {
        List<SequenceRequest> batch =
                List.of(new SequenceRequest(new int[] {3, 1}, new int[] {2, 4}));
        try (NDManager m = NDManager.newBaseManager()) {
            // V = 5 items (+ padding 0); item 3 scores highest but is in the history.
            NDArray scores =
                    m.create(
                            new float[] {-1e9f, 0.9f, 0.1f, 5f, 0.5f, 0.7f},
                            new Shape(1, 6)); // (B, V+1)
            NDArray attention =
                    m.create(new float[] {0f, 0f, 0.25f, 0.75f}, new Shape(1, 4)); // (B, T)
            SequenceScores s = translator.fromTensors(new NDList(scores, attention), batch).get(0);
            assertThat(s.topItems).containsExactly(5, 4);
            assertThat(s.topScores).containsExactly(0.7f, 0.5f);
            assertThat(s.candidateScores[0]).isCloseTo(0.1f, within(1e-6f));
            assertThat(s.candidateScores[1]).isCloseTo(0.5f, within(1e-6f));
            assertThat(s.attention).containsExactly(0.25f, 0.75f);
            assertThat(translator.attentionOf(s)).isSameAs(s.attention);
        }
    }

    @Test
    void perHeadAttentionIsCopiedOnlyWhenRequestedHeadMajorOverTheUsedHistory() {
        List<SequenceRequest> batch =
                List.of(
                        new SequenceRequest(new int[] {3, 1}, new int[0]),
                        new SequenceRequest(new int[] {2, 4, 5}, new int[0]));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray scores =
                    m.create(
                            new float[] {-1e9f, 1, 2, 3, 4, 5, -1e9f, 1, 2, 3, 4, 5},
                            new Shape(2, 6));
            NDArray attention =
                    m.create(new float[] {0, 0, 0.5f, 0.5f, 0, 0.2f, 0.3f, 0.5f}, new Shape(2, 4));
            NDArray heads =
                    m.create(
                            new float[] {
                                0, 0, 0.1f, 0.9f, /* row 0 head 0 */ 0, 0, 0.9f,
                                0.1f, // row 0 head 1
                                0, 0.4f, 0.2f, 0.4f, /* row 1 head 0 */ 0, 0f, 0.4f, 0.6f
                            }, // row 1 head 1
                            new Shape(2, 2, 4)); // (B, H, T)
            NDList outputs = new NDList(scores, attention, heads);

            List<SequenceScores> plain = translator.fromTensors(outputs, batch);
            assertThat(plain.get(0).headAttention).isNull();
            assertThat(plain.get(0).heads()).isZero();

            List<SequenceScores> out =
                    new SequenceTranslator(4, 2, true).fromTensors(outputs, batch);
            assertThat(out.get(0).heads()).isEqualTo(2);
            assertThat(out.get(0).headAttention).containsExactly(0.1f, 0.9f, 0.9f, 0.1f);
            assertThat(out.get(1).heads()).isEqualTo(2);
            assertThat(out.get(1).headAttention).containsExactly(0.4f, 0.2f, 0.4f, 0f, 0.4f, 0.6f);
        }
    }

    @Test
    void requestsWithoutCandidatesGetNoCandidateScores() {
        List<SequenceRequest> batch =
                List.of(
                        new SequenceRequest(new int[] {1}, new int[0]),
                        new SequenceRequest(new int[] {2}, new int[] {3}));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray scores =
                    m.create(
                            new float[] {-1e9f, 1, 2, 3, 4, 5, -1e9f, 1, 2, 3, 4, 5},
                            new Shape(2, 6));
            NDArray attention = m.create(new float[] {0, 0, 0, 1, 0, 0, 0, 1}, new Shape(2, 4));
            List<SequenceScores> out = translator.fromTensors(new NDList(scores, attention), batch);
            assertThat(out.get(0).candidateScores).isEmpty();
            assertThat(out.get(1).candidateScores).containsExactly(3f);
            assertThat(out.get(0).topItems).containsExactly(5, 4);
        }
    }
}
