package io.attnstream.clicks.model;

import io.attnstream.clicks.data.ItemVocabulary;
import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.ModelStore;
import io.attnstream.platform.AttnstreamException;
import java.nio.file.Path;

/**
 * What feeds a sequence recommender, read once from its model.json: the item vocabulary (from
 * {@code preprocessing}) and the history length T (the shape of {@code inputs[0]}).
 *
 * @param maxLength T, the fixed history length of the model's input
 */
public record SequencePreprocessing(ItemVocabulary vocabulary, int maxLength) {
    /**
     * @throws AttnstreamException when the vocabulary is missing or inputs[0] is not [-1, T]
     */
    public static SequencePreprocessing of(ModelSpec spec) {
        return new SequencePreprocessing(
                ItemVocabulary.fromPreprocessing(spec.preprocessing()), maxLength(spec));
    }

    /** As {@link #of(ModelSpec)} for the model in {@code dir}: an error names its model.json. */
    public static SequencePreprocessing of(ModelSpec spec, Path dir) {
        try {
            return of(spec);
        } catch (AttnstreamException e) {
            throw ModelStore.inFile(dir, e);
        }
    }

    /** T, from the shape of {@code inputs[0]}. */
    public static int maxLength(ModelSpec spec) {
        long[] shape =
                spec.inputs() == null || spec.inputs().isEmpty()
                        ? null
                        : spec.inputs().get(0).shape();
        if (shape == null || shape.length != 2 || shape[1] < 1) {
            throw new AttnstreamException(
                    "model.json inputs[0] is not the item history of shape [-1, T]");
        }
        return (int) shape[1];
    }
}
