package io.attnstream.video.data;

import io.attnstream.platform.AttnstreamException;
import io.attnstream.video.image.Rgb;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The classes a segmentation model tells apart: names and display colours of indices 0..C-1, the
 * void index (a label value that means "no label", ignored by the loss and the metrics) and, when a
 * dataset publishes them, reference class weights.
 *
 * @param names C names, index order
 * @param colours C RGB colours, each 3 values 0..255, for masks shown to people
 * @param voidIndex the label value of unlabelled pixels, outside 0..C-1 (at most 255: labels are
 *     bytes)
 * @param referenceWeights C weights published with the data (e.g. SegNet's median-frequency weights
 *     for CamVid), or null; training computes its own from its labels ({@code
 *     video.train.ClassWeights})
 */
public record SegmentationClasses(
        List<String> names, List<int[]> colours, int voidIndex, float[] referenceWeights) {
    /** CamVid's void index, the default. */
    public static final int CAMVID_VOID = 11;

    public SegmentationClasses {
        if (names.isEmpty() || names.size() != colours.size()) {
            throw new IllegalArgumentException(
                    "classes need one colour per name, got "
                            + names.size()
                            + " names and "
                            + colours.size()
                            + " colours");
        }
        if (names.size() > 255) {
            throw new IllegalArgumentException(
                    "at most 255 classes fit a byte label beside void, got " + names.size());
        }
        if (voidIndex < names.size() || voidIndex > 255) {
            throw new IllegalArgumentException(
                    "the void index must be in "
                            + names.size()
                            + "..255 (after the "
                            + names.size()
                            + " classes), got "
                            + voidIndex);
        }
        for (int[] colour : colours) {
            if (colour.length != 3 || Arrays.stream(colour).anyMatch(v -> v < 0 || v > 255)) {
                throw new IllegalArgumentException(
                        "a colour is 3 values in 0..255, got " + Arrays.toString(colour));
            }
        }
        if (referenceWeights != null && referenceWeights.length != names.size()) {
            throw new IllegalArgumentException(
                    names.size()
                            + " classes but "
                            + referenceWeights.length
                            + " reference weights");
        }
        names = List.copyOf(names);
        colours = colours.stream().map(int[]::clone).toList();
        referenceWeights = referenceWeights == null ? null : referenceWeights.clone();
    }

    /** C. */
    public int count() {
        return names.size();
    }

    /**
     * CamVid's 11 classes as packaged by SegNet (colours of SegNet's scripts, weights of its
     * training prototxt), void 11.
     */
    public static SegmentationClasses camVid() {
        return new SegmentationClasses(
                List.of(
                        "Sky",
                        "Building",
                        "Pole",
                        "Road",
                        "Pavement",
                        "Tree",
                        "SignSymbol",
                        "Fence",
                        "Car",
                        "Pedestrian",
                        "Bicyclist"),
                List.of(
                        new int[] {128, 128, 128},
                        new int[] {128, 0, 0},
                        new int[] {192, 192, 128},
                        new int[] {128, 64, 128},
                        new int[] {60, 40, 222},
                        new int[] {128, 128, 0},
                        new int[] {192, 128, 128},
                        new int[] {64, 64, 128},
                        new int[] {64, 0, 128},
                        new int[] {64, 64, 0},
                        new int[] {0, 128, 192}),
                CAMVID_VOID,
                new float[] {
                    0.2595f, 0.1826f, 4.5640f, 0.1417f, 0.9051f, 0.3826f, 9.6446f, 1.8418f, 0.6823f,
                    6.2478f, 7.3614f
                });
    }

    /**
     * Reads a classes.txt: one line per class, {@code index name r,g,b} (anything after the colour
     * is a comment), {@code #} comment lines, and optionally a comment line of exactly C numbers,
     * the reference weights. The line of the void index (e.g. {@code 11 Unlabelled 0,0,0}) is
     * skipped; the other indices must be 0..C-1.
     *
     * @throws AttnstreamException naming the file and line when a line is not of that form, an
     *     index repeats or the indices leave a gap
     */
    public static SegmentationClasses read(Path file, int voidIndex) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AttnstreamException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<Integer, String> names = new TreeMap<>();
        Map<Integer, int[]> colours = new TreeMap<>();
        List<float[]> numberLines = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                float[] numbers = numbers(line.substring(1).strip());
                if (numbers != null) {
                    numberLines.add(numbers);
                }
                continue;
            }
            String[] fields = line.split("\\s+");
            int index;
            int[] colour;
            try {
                index = Integer.parseInt(fields[0]);
                colour =
                        fields.length >= 3
                                ? Arrays.stream(fields[2].split(","))
                                        .mapToInt(Integer::parseInt)
                                        .toArray()
                                : null;
            } catch (NumberFormatException e) {
                colour = null;
                index = -1;
            }
            if (index < 0 || colour == null || colour.length != 3) {
                throw new AttnstreamException(
                        file
                                + " line "
                                + (n + 1)
                                + ": expected 'index name r,g,b', got '"
                                + line
                                + "'");
            }
            if (index == voidIndex) {
                continue;
            }
            if (names.put(index, fields[1]) != null) {
                throw new AttnstreamException(
                        file + " line " + (n + 1) + ": class index " + index + " appears twice");
            }
            colours.put(index, colour);
        }
        int count = names.size();
        if (count == 0) {
            throw new AttnstreamException(file + " lists no class besides void " + voidIndex);
        }
        for (int i = 0; i < count; i++) {
            if (!names.containsKey(i)) {
                throw new AttnstreamException(
                        file
                                + ": class indices must be 0.."
                                + (count - 1)
                                + " (void "
                                + voidIndex
                                + " aside), but "
                                + i
                                + " is missing");
            }
        }
        float[] weights = null;
        for (float[] numbers : numberLines) {
            if (numbers.length == count) {
                weights = numbers;
            }
        }
        try {
            return new SegmentationClasses(
                    new ArrayList<>(names.values()),
                    new ArrayList<>(colours.values()),
                    voidIndex,
                    weights);
        } catch (IllegalArgumentException e) {
            throw new AttnstreamException(file + ": " + e.getMessage(), e);
        }
    }

    /** The numbers of a line of whitespace-separated numbers, or null if it is anything else. */
    private static float[] numbers(String text) {
        if (text.isEmpty()) {
            return null;
        }
        String[] tokens = text.split("\\s+");
        float[] values = new float[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            try {
                values[i] = Float.parseFloat(tokens[i]);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return values;
    }

    /** Name of class {@code index}, or "void". */
    public String name(int index) {
        return index == voidIndex ? "void" : names.get(index);
    }

    /** Whether {@code index} is one of the classes 0..C-1 (not void, not a stray label value). */
    public boolean isClass(int index) {
        return index >= 0 && index < names.size();
    }

    /**
     * Class {@code index}'s colour packed as 0xRRGGBB, for drawing; black for void and any other
     * index outside 0..C-1 (the colour CamVid gives its unlabelled pixels).
     */
    public int colour(int index) {
        if (!isClass(index)) {
            return 0x000000;
        }
        int[] c = colours.get(index);
        return Rgb.of(c[0], c[1], c[2]);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SegmentationClasses c)
                || voidIndex != c.voidIndex
                || !names.equals(c.names)
                || !Arrays.equals(referenceWeights, c.referenceWeights)) {
            return false;
        }
        for (int i = 0; i < colours.size(); i++) {
            if (!Arrays.equals(colours.get(i), c.colours.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return names.hashCode() * 31 + voidIndex;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d classes %s, void %d", names.size(), names, voidIndex);
    }
}
