package io.attnstream.testing;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import io.attnstream.inference.BatchTranslator;
import io.attnstream.inference.ModelFamilies;
import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.ModelStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A one-parameter model family for runtime tests: y = w * x + b, so results tell which version made
 * them and whether they belong to the request that got them.
 */
public final class AffineModels {
    public static final String KIND = "test-affine";

    static {
        ModelFamilies.register(KIND, hp -> Linear.builder().setUnits(1).build());
    }

    private AffineModels() {}

    public static void register() {
        // the static initialiser did it
    }

    public static ModelSpec spec(String name, String version) {
        return spec(name, version, Map.of());
    }

    public static ModelSpec spec(String name, String version, Map<String, Object> preprocessing) {
        return new ModelSpec(
                name,
                version,
                KIND,
                Map.of(),
                List.of(new ModelSpec.TensorSpec("x", "float32", new long[] {-1, 1})),
                List.of(new ModelSpec.TensorSpec("y", "float32", new long[] {-1, 1})),
                preprocessing,
                Map.of("fingerprint", "synthetic"),
                Map.of(),
                null,
                null);
    }

    /** Writes {@code <root>/<name>/<version>} computing y = w * x + b. */
    public static Path write(Path root, String name, String version, float w, float b) {
        return write(root, name, version, w, b, Map.of());
    }

    /**
     * As {@link #write(Path, String, String, float, float)} with the given preprocessing in
     * model.json.
     */
    public static Path write(
            Path root,
            String name,
            String version,
            float w,
            float b,
            Map<String, Object> preprocessing) {
        try (Model model = Model.newInstance(name)) {
            Linear block = Linear.builder().setUnits(1).build();
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1));
            block.getParameters().get("weight").getArray().set(new float[] {w});
            block.getParameters().get("bias").getArray().set(new float[] {b});
            return ModelStore.save(
                    model, spec(name, version, preprocessing), root.resolve(name).resolve(version));
        }
    }

    /**
     * Batches floats into (B, 1). A request equal to {@code poison} makes the whole batch fail;
     * every batch can be slowed down by {@code delayMillis}; batch sizes are recorded.
     */
    public static final class Translator implements BatchTranslator<Float, Float> {
        private static final long serialVersionUID = 1L;
        public static final List<Integer> BATCH_SIZES = new CopyOnWriteArrayList<>();
        private final float poison;
        private final long delayMillis;

        public Translator(float poison, long delayMillis) {
            this.poison = poison;
            this.delayMillis = delayMillis;
        }

        @Override
        public NDList toTensors(NDManager manager, List<Float> batch) {
            float[] x = new float[batch.size()];
            for (int i = 0; i < x.length; i++) {
                if (batch.get(i) == poison) {
                    throw new IllegalArgumentException("poison value " + poison);
                }
                x[i] = batch.get(i);
            }
            BATCH_SIZES.add(batch.size());
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new NDList(manager.create(x, new Shape(x.length, 1))); // (B, 1)
        }

        @Override
        public List<Float> fromTensors(NDList outputs, List<Float> batch) {
            NDArray y = outputs.singletonOrThrow(); // (B, 1)
            List<Float> out = new ArrayList<>(batch.size());
            for (float v : y.toFloatArray()) {
                out.add(v);
            }
            return out;
        }
    }
}
