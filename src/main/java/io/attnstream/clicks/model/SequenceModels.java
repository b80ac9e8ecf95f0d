package io.attnstream.clicks.model;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.attnstream.clicks.data.ItemVocabulary;
import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.ModelStore;
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
