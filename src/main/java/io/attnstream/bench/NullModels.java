package io.attnstream.bench;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.ModelStore;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Null models: a model directory whose forward pass returns constants of another model's output
 * shapes, with that model's inputs, outputs and preprocessing (vocabulary, normalisation) in its
 * model.json. It loads through {@link ModelStore} and the batching runtime like any model, so a job
 * serving it is the real job minus the model.
 */
final class NullModels {
    private NullModels() {}

    /**
     * Writes the null twin of {@code real} under {@code dir}, named {@code name} (the runtime
     * registry keys runtimes by model name, so the twin must not share the real model's). Every
     * output holds 1 / its last dimension: rows sum to 1 like attention weights do, and scores are
     * all equal.
     *
     * @return the directory written
     */
    static Path writeTwin(ModelSpec real, String name, Path dir) {
        long[][] shapes = new long[real.outputs().size()][];
        float[] values = new float[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            long[] declared = real.outputs().get(i).shape(); // (-1, S...)
            shapes[i] = Arrays.copyOfRange(declared, 1, declared.length);
            values[i] = shapes[i].length == 0 ? 0f : 1f / shapes[i][shapes[i].length - 1];
        }
        ConstantOutputsBlock block = new ConstantOutputsBlock(shapes, values);
        Shape[] inputs =
                real.inputs().stream()
                        .map(t -> ModelStore.withBatch(t.shape()))
                        .toArray(Shape[]::new);
        ModelSpec spec =
                new ModelSpec(
                        name,
                        real.version(),
                        ConstantOutputsBlock.KIND,
                        block.hyperParameters(),
                        real.inputs(),
                        real.outputs(),
                        real.preprocessing(),
                        Map.of(
                                "fingerprint",
                                "none",
                                "description",
                                "null twin of " + real.ref() + " (constant outputs)"),
                        Map.of(),
                        null,
                        null);
        try (Model model = Model.newInstance(name)) {
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, inputs);
            return ModelStore.save(model, spec, dir);
        }
    }
}
