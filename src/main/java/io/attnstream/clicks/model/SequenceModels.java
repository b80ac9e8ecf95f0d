package io.attnstream.clicks.model;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.attnstream.clicks.data.ItemVocabulary;
import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.ModelStore;
import io.attnstream.platform.AttnstreamException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The self-attentive sequence recommender as a model directory: its kind, shapes, vocabulary and
 * translator.
 */
public final class SequenceModels {
    public static final String KIND = "sequence-recommender";

    private SequenceModels() {}

    /** T, the fixed history length of the model's input. */
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

    public static ItemVocabulary vocabulary(ModelSpec spec) {
        return ItemVocabulary.fromPreprocessing(spec.preprocessing());
    }

    /**
     * {@link #maxLength(ModelSpec)} of the model in {@code dir}; a model.json without it is an
     * error naming the file.
     */
    public static int maxLength(ModelSpec spec, Path dir) {
        try {
            return maxLength(spec);
        } catch (AttnstreamException e) {
            throw naming(dir, e);
        }
    }

    /**
     * {@link #vocabulary(ModelSpec)} of the model in {@code dir}; a model.json without one is an
     * error naming the file.
     */
    public static ItemVocabulary vocabulary(ModelSpec spec, Path dir) {
        try {
            return vocabulary(spec);
        } catch (AttnstreamException e) {
            throw naming(dir, e);
        }
    }

    private static AttnstreamException naming(Path dir, AttnstreamException e) {
        return new AttnstreamException(
                dir.resolve("model.json")
                        + ": "
                        + e.getMessage().replaceFirst("^model\\.json ", ""),
                e);
    }

    /** The model.json of a sequence model built from this block. */
    public static ModelSpec spec(
            String name,
            String version,
            SequenceRecommenderBlock block,
            ItemVocabulary vocabulary,
            Map<String, Object> trainingData,
            Map<String, Object> metrics) {
        long t = block.getMaxLength();
        long v = block.getVocabularySize() + 1L;
        return new ModelSpec(
                name,
                version,
                KIND,
                block.hyperParameters(),
                List.of(new ModelSpec.TensorSpec("items", "int64", new long[] {-1, t})),
                List.of(
                        new ModelSpec.TensorSpec("scores", "float32", new long[] {-1, v}),
                        new ModelSpec.TensorSpec("attention", "float32", new long[] {-1, t}),
                        new ModelSpec.TensorSpec(
                                "head_attention", "float32", new long[] {-1, block.getHeads(), t})),
                vocabulary.toPreprocessing(),
                trainingData,
                metrics,
                null,
                null);
    }

    /**
     * An untrained model of the given shape with numeric item ids 1..V: the benchmark's stand-in,
     * so speed can be measured before (and independently of) training.
     */
    public static Path writeUntrained(
            Path dir,
            String name,
            String version,
            int vocabularySize,
            int maxLength,
            int modelSize,
            int heads,
            int layers,
            int seed) {
        return writeUntrained(
                dir,
                name,
                version,
                ItemVocabulary.numeric(vocabularySize),
                maxLength,
                modelSize,
                heads,
                layers,
                seed);
    }

    /**
     * As above for the given vocabulary (e.g. a simulated shop's catalogue), so its items are
     * known.
     */
    public static Path writeUntrained(
            Path dir,
            String name,
            String version,
            ItemVocabulary vocabulary,
            int maxLength,
            int modelSize,
            int heads,
            int layers,
            int seed) {
        SequenceRecommenderBlock block =
                SequenceRecommenderBlock.builder()
                        .setVocabularySize(vocabulary.size())
                        .setMaxLength(maxLength)
                        .setModelSize(modelSize)
                        .setHeads(heads)
                        .setLayers(layers)
                        .build();
        try (Model model = Model.newInstance(name)) {
            Engine.getInstance().setRandomSeed(seed);
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, maxLength));
            return ModelStore.save(
                    model,
                    spec(
                            name,
                            version,
                            block,
                            vocabulary,
                            Map.of(
                                    "fingerprint",
                                    "none",
                                    "description",
                                    "untrained stand-in (random weights)"),
                            Map.of()),
                    dir);
        }
    }
}
