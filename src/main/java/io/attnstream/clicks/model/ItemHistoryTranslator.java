package io.attnstream.clicks.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.attnstream.clicks.data.ItemVocabulary;
import io.attnstream.inference.BatchTranslator;
import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.TranslatorFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One sequence-model version's translation of id histories: ids to the indexes of <em>its</em>
 * vocabulary when the batch is encoded, indexes back to ids when the results are split. Items the
 * version does not know are left out of its input (the model sees the last L items it knows, as it
 * did in training) and unknown candidates score NaN; both are counted in {@link
 * ItemScores#unknownItems}. The tensor work is {@link SequenceTranslator}'s.
 */
public final class ItemHistoryTranslator implements BatchTranslator<ItemHistory, ItemScores> {
    private static final long serialVersionUID = 1L;

    private final ItemVocabulary vocabulary;
    private final SequenceTranslator indexes;

    public ItemHistoryTranslator(ItemVocabulary vocabulary, SequenceTranslator indexes) {
        this.vocabulary = vocabulary;
        this.indexes = indexes;
    }

    /** The translators of a clicks job: per version its vocabulary and L, the job's top-k. */
    public static Factory factory(int topK, boolean perHead) {
        return new Factory(topK, perHead);
    }

    @Override
    public NDList toTensors(NDManager manager, List<ItemHistory> batch) {
        return indexes.toTensors(manager, encode(batch)); // (B, L) int64
    }

    @Override
    public List<ItemScores> fromTensors(NDList outputs, List<ItemHistory> batch) {
        List<SequenceRequest> encoded = encode(batch);
        List<SequenceScores> scores = indexes.fromTensors(outputs, encoded);
        List<ItemScores> out = new ArrayList<>(batch.size());
        for (int r = 0; r < batch.size(); r++) {
            out.add(toIds(batch.get(r), encoded.get(r), scores.get(r)));
        }
        return out;
    }

    @Override
    public float[] attentionOf(ItemScores result) {
        return result.attention;
    }

    /**
     * Each request in this version's indexes, encoded once per version (the runtime encodes it for
     * the tensors, then again to read the results).
     */
    private List<SequenceRequest> encode(List<ItemHistory> batch) {
        List<SequenceRequest> out = new ArrayList<>(batch.size());
        for (ItemHistory h : batch) {
            if (h.encodedBy != this) {
                encodeInto(h);
            }
            out.add(h.encoded);
        }
        return out;
    }

    private void encodeInto(ItemHistory h) {
        int max = indexes.maxLength();
        int[] known = new int[Math.min(h.items.length, max)];
        int n = 0;
        int unknown = 0;
        // newest first, so the last L known items are kept when the history holds more
        for (int i = h.items.length - 1; i >= 0; i--) {
            int index = vocabulary.indexOf(h.items[i]);
            if (index == ItemVocabulary.UNKNOWN) {
                unknown++;
            } else if (n < known.length) {
                known[known.length - 1 - n++] = index;
            }
        }
        int[] history = Arrays.copyOfRange(known, known.length - n, known.length);
        int[] candidates = new int[h.candidates.length];
        for (int i = 0; i < candidates.length; i++) {
            candidates[i] = vocabulary.indexOf(h.candidates[i]);
            unknown += candidates[i] == ItemVocabulary.UNKNOWN ? 1 : 0;
        }
        h.encoded = new SequenceRequest(history, candidates);
        h.unknownItems = unknown;
        h.encodedBy = this;
    }

    private ItemScores toIds(ItemHistory h, SequenceRequest encoded, SequenceScores s) {
        ItemScores out = new ItemScores();
        out.topItems = new String[s.topItems.length];
        for (int i = 0; i < s.topItems.length; i++) {
            out.topItems[i] = vocabulary.idOf(s.topItems[i]);
        }
        out.topScores = s.topScores;
        out.candidateScores = new float[encoded.candidates.length];
        for (int i = 0; i < encoded.candidates.length; i++) {
            // The model cannot score an item it never saw: NaN says so instead of inventing one.
            boolean known = encoded.candidates[i] != ItemVocabulary.UNKNOWN;
            out.candidateScores[i] = known ? s.candidateScores[i] : Float.NaN;
        }
        int used = s.attention.length; // the last `used` items of the encoded history
        out.attendedItems = new String[used];
        for (int i = 0; i < used; i++) {
            out.attendedItems[i] =
                    vocabulary.idOf(encoded.history[encoded.history.length - used + i]);
        }
        out.attention = s.attention;
        out.headAttention = s.headAttention;
        out.unknownItems = h.unknownItems;
        return out;
    }

    /**
     * Builds each version's translator from its model.json. Versions of one job must share the
     * history length L (the input shape) and the output tensors' names and ranks; the vocabulary,
     * and with it the score matrix's width, may change.
     */
    public record Factory(int topK, boolean perHead)
            implements TranslatorFactory<ItemHistory, ItemScores> {
        public Factory {
            if (topK < 1) {
                throw new IllegalArgumentException("top-k must be >= 1, got " + topK);
            }
        }

        @Override
        public ItemHistoryTranslator forVersion(ModelSpec spec) {
            SequencePreprocessing p = SequencePreprocessing.of(spec);
            return new ItemHistoryTranslator(
                    p.vocabulary(), new SequenceTranslator(p.maxLength(), topK, perHead));
        }

        @Override
        public Contract contract(ModelSpec spec) {
            return new Contract(
                    spec.kind(),
                    SequencePreprocessing.maxLength(spec),
                    spec.outputs().stream().map(t -> t.name() + "/" + t.shape().length).toList());
        }
    }

    /**
     * What the versions of one clicks job share.
     *
     * @param outputs each output tensor's name and rank
     */
    public record Contract(String kind, int maxLength, List<String> outputs) {
        @Override
        public String toString() {
            return "kind " + kind + ", history length L " + maxLength + ", outputs " + outputs;
        }
    }
}
