package io.attnstream.clicks;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.attnstream.clicks.data.ItemVocabulary;
import io.attnstream.clicks.model.SequencePreprocessing;
import io.attnstream.inference.ModelStore;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A sequence model called directly (no runtime, no Flink, no translator): what a job's outputs are
 * compared with.
 */
public final class SequenceScoring {
    private SequenceScoring() {}

    /**
     * Scores over all items (index 0 = padding) of the model in {@code dir} for each history of
     * item ids, oldest first, newest last: the ids through the model's vocabulary (they must all be
     * known to it), left-padded to its L.
     */
    public static <K> Map<K, float[]> scores(Path dir, Map<K, List<String>> histories) {
        Map<K, float[]> out = new HashMap<>();
        try (var m = ModelStore.load(dir, Device.cpu());
                var manager = m.model().getNDManager().newSubManager()) {
            SequencePreprocessing p = SequencePreprocessing.of(m.spec());
            ItemVocabulary vocab = p.vocabulary();
            int t = p.maxLength();
            histories.forEach(
                    (key, ids) -> {
                        long[] items = new long[t];
                        List<String> used = ids.subList(Math.max(0, ids.size() - t), ids.size());
                        for (int i = 0; i < used.size(); i++) {
                            int index = vocab.indexOf(used.get(i));
                            if (index == ItemVocabulary.UNKNOWN) {
                                throw new IllegalArgumentException(
                                        used.get(i) + " is not in " + m.spec().ref());
                            }
                            items[t - used.size() + i] = index; // left-padded, newest last
                        }
                        var input = new NDList(manager.create(items, new Shape(1, t))); // (1, L)
                        var scores =
                                m.model()
                                        .getBlock()
                                        .forward(new ParameterStore(manager, false), input, false);
                        out.put(key, scores.get(0).toFloatArray()); // (V+1)
                    });
        }
        return out;
    }
}
