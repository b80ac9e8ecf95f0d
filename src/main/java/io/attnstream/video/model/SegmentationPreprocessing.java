package io.attnstream.video.model;

import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.Preprocessing;
import io.attnstream.platform.AttnstreamException;
import io.attnstream.video.data.SegmentationClasses;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A segmenter's model.json {@code preprocessing}, read once and checked: the size frames are
 * resized to, the normalisation, and the classes with their colours and void index.
 *
 * @param inputWidth W, the width frames are resized to
 * @param inputHeight H
 * @param classes names, colours and void index; no reference weights
 */
public record SegmentationPreprocessing(
        int inputWidth,
        int inputHeight,
        ImageTensors.Normalisation normalisation,
        SegmentationClasses classes) {
    /** Keys of model.json's {@code preprocessing}. */
    static final String INPUT_WIDTH = "input_width";

    static final String INPUT_HEIGHT = "input_height";
    static final String MEAN = "mean";
    static final String STD = "std";
    static final String CLASS_NAMES = "class_names";
    static final String CLASS_COLOURS = "class_colours";
    static final String VOID_INDEX = "void_index";

    /**
     * @throws AttnstreamException naming the model and the key when a value is missing, of the
     *     wrong type or refused
     */
    public static SegmentationPreprocessing of(ModelSpec spec) {
        return new SegmentationPreprocessing(
                Preprocessing.positiveInt(spec, INPUT_WIDTH),
                Preprocessing.positiveInt(spec, INPUT_HEIGHT),
                normalisation(spec),
                classes(spec));
    }

    private static ImageTensors.Normalisation normalisation(ModelSpec spec) {
        try {
            return new ImageTensors.Normalisation(
                    Preprocessing.floats(spec, MEAN, "a list of 3 numbers"),
                    Preprocessing.floats(spec, STD, "a list of 3 numbers"));
        } catch (IllegalArgumentException e) {
            throw Preprocessing.rejected(spec, e);
        }
    }

    private static SegmentationClasses classes(ModelSpec spec) {
        List<String> names = Preprocessing.strings(spec, CLASS_NAMES, "a list of names");
        Object colours = Preprocessing.value(spec, CLASS_COLOURS);
        if (!(colours instanceof List<?> colourList)) {
            throw Preprocessing.invalid(spec, CLASS_COLOURS, "a list of [r, g, b]", colours);
        }
        List<int[]> rgb = new ArrayList<>();
        for (Object colour : colourList) {
            if (!(colour instanceof List<?> c)
                    || c.size() != 3
                    || !c.stream().allMatch(v -> v instanceof Number)) {
                throw Preprocessing.invalid(spec, CLASS_COLOURS, "a list of [r, g, b]", colours);
            }
            rgb.add(c.stream().mapToInt(v -> ((Number) v).intValue()).toArray());
        }
        try {
            return new SegmentationClasses(
                    names, rgb, Preprocessing.positiveInt(spec, VOID_INDEX), null);
        } catch (IllegalArgumentException e) {
            throw Preprocessing.rejected(spec, e);
        }
    }

    /** As model.json writes it; {@link #of} reads it back. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(INPUT_WIDTH, inputWidth);
        m.put(INPUT_HEIGHT, inputHeight);
        m.put(MEAN, floats(normalisation.mean()));
        m.put(STD, floats(normalisation.std()));
        m.put(CLASS_NAMES, classes.names());
        List<List<Integer>> colours = new ArrayList<>();
        for (int[] colour : classes.colours()) {
            colours.add(List.of(colour[0], colour[1], colour[2]));
        }
        m.put(CLASS_COLOURS, colours);
        m.put(VOID_INDEX, classes.voidIndex());
        return m;
    }

    private static List<Float> floats(float[] values) {
        List<Float> list = new ArrayList<>(values.length);
        for (float v : values) {
            list.add(v); // Floats: JSON writes 0.4, not 0.4000000059604645
        }
        return list;
    }
}
