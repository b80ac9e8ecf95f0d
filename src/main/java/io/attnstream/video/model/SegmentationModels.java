package io.attnstream.video.model;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.ModelStore;
import io.attnstream.video.data.SegmentationClasses;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The video segmenter as a model directory: its kind, tensor contract and preprocessing (input
 * size, normalisation, classes with their colours, void index), read back by the evaluator and the
 * stream.
 *
 * <p>Tensors, with -1 the batch: input {@code frames (-1, 3, H, W)}; outputs {@code logits (-1, C,
 * H, W)}, then {@code gate_s (-1, H/2^s, W/2^s)} for s = 0..S-2 and {@code heatmap (-1, H/2^(S-1),
 * W/2^(S-1))}, as {@link AttentionUNetBlock} returns them.
 */
public final class SegmentationModels {
    public static final String KIND = "video-segmenter";

    private SegmentationModels() {}

    /**
     * The model.json of a segmenter built from this block.
     *
     * @param inputWidth W: frames are resized to it (a multiple of the block's 2^(S-1))
     * @param inputHeight H, likewise
     */
    public static ModelSpec spec(
            String name,
            String version,
            AttentionUNetBlock block,
            int inputWidth,
            int inputHeight,
            ImageTensors.Normalisation normalisation,
            SegmentationClasses classes,
            Map<String, Object> trainingData,
            Map<String, Object> metrics) {
        if (classes.count() != block.getClasses()) {
            throw new IllegalArgumentException(
                    classes.count()
                            + " class names for a block of "
                            + block.getClasses()
                            + " classes");
        }
        Shape[] shapes =
                block.getOutputShapes(
                        new Shape[] {new Shape(1, 3, inputHeight, inputWidth)}); // checks size
        List<ModelSpec.TensorSpec> outputs = new ArrayList<>();
        for (int i = 0; i < shapes.length; i++) {
            String tensor =
                    i == 0 ? "logits" : i == shapes.length - 1 ? "heatmap" : "gate_" + (i - 1);
            long[] shape = shapes[i].getShape();
            shape[0] = -1;
            outputs.add(new ModelSpec.TensorSpec(tensor, "float32", shape));
        }
        Map<String, Object> preprocessing =
                new SegmentationPreprocessing(inputWidth, inputHeight, normalisation, classes)
                        .toMap();
        return new ModelSpec(
                name,
                version,
                KIND,
                block.hyperParameters(),
                List.of(
                        new ModelSpec.TensorSpec(
                                "frames", "float32", new long[] {-1, 3, inputHeight, inputWidth})),
                outputs,
                preprocessing,
                trainingData,
                metrics,
                null,
                null);
    }

    /**
     * An untrained segmenter with random weights and a made-up normalisation: the stand-in for
     * tests and benchmarks, so speed and the stream's plumbing can be measured before (and
     * independently of) training.
     *
     * @param widths the block's stage widths (e.g. {@link AttentionUNetBlock#DEFAULT_WIDTHS})
     */
    public static Path writeUntrained(
            Path dir,
            String name,
            String version,
            SegmentationClasses classes,
            int inputWidth,
            int inputHeight,
            List<Integer> widths,
            int heads,
            int seed) {
        AttentionUNetBlock block =
                AttentionUNetBlock.builder()
                        .setClasses(classes.count())
                        .optWidths(widths.stream().mapToInt(Integer::intValue).toArray())
                        .optHeads(heads)
                        .build();
        try (Model model = Model.newInstance(name)) {
            Engine.getInstance().setRandomSeed(seed);
            model.setBlock(block);
            block.initialize(
                    model.getNDManager(),
                    DataType.FLOAT32,
                    new Shape(1, 3, inputHeight, inputWidth));
            Map<String, Object> trainingData =
                    Map.of(
                            "fingerprint",
                            "none",
                            "description",
                            "untrained stand-in (random weights)");
            ImageTensors.Normalisation normalisation =
                    new ImageTensors.Normalisation(
                            new float[] {0.4f, 0.4f, 0.4f}, new float[] {0.3f, 0.3f, 0.3f});
            return ModelStore.save(
                    model,
                    spec(
                            name,
                            version,
                            block,
                            inputWidth,
                            inputHeight,
                            normalisation,
                            classes,
                            trainingData,
                            Map.of()),
                    dir);
        }
    }
}
