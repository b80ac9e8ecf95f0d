package io.attnstream.video;

import io.attnstream.platform.AttnstreamException;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Names and display colours of the segmentation classes, indices 0..C-1, plus the void index (ignored in
 * training and metrics) and its colour. {@link #camVid()} is CamVid's 11 classes with the SegNet tutorial's
 * colours.
 */
public final class ClassPalette implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final int CAMVID_VOID = 11;

    private final List<String> names;
    private final int[] colours;
    private final int voidIndex;
    private final int voidColour;

    /** @param colours 0xRRGGBB per class, same order as {@code names} */
    public ClassPalette(List<String> names, int[] colours, int voidIndex, int voidColour) {
        if (names.isEmpty() || names.size() != colours.length) {
            throw new IllegalArgumentException(names.size() + " class names but " + colours.length + " colours");
        }
        if (voidIndex >= 0 && voidIndex < names.size()) {
            throw new IllegalArgumentException("void index " + voidIndex + " is one of the " + names.size()
                    + " classes");
        }
        this.names = List.copyOf(names);
        this.colours = colours.clone();
        this.voidIndex = voidIndex;
        this.voidColour = voidColour & 0xFFFFFF;
    }

    /** CamVid (SegNet tutorial): 0 Sky ... 10 Bicyclist, void 11 drawn black. */
    public static ClassPalette camVid() {
        return new ClassPalette(
                List.of("Sky", "Building", "Pole", "Road", "Pavement", "Tree", "SignSymbol", "Fence", "Car",
                        "Pedestrian", "Bicyclist"),
                new int[] {0x808080, 0x800000, 0xC0C080, 0x804080, 0x3C28DE, 0x808000, 0xC08080, 0x404080,
                        0x400080, 0x404000, 0x0080C0},
                CAMVID_VOID, 0x000000);
    }

    /**
     * A class list in the format of CamVid's {@code classes.txt}: lines {@code index name r,g,b}, anything after
     * the colour ignored, {@code #} comments. The line with {@code voidIndex}, if any, gives the void colour;
     * the other indices must be 0..C-1.
     */
    public static ClassPalette read(Path file, int voidIndex) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AttnstreamException("cannot read class list " + file + ": " + e.getMessage(), e);
        }
        TreeMap<Integer, String> names = new TreeMap<>();
        TreeMap<Integer, Integer> colours = new TreeMap<>();
        int voidColour = 0;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] t = line.split("\\s+");
            try {
                int index = Integer.parseInt(t[0]);
                String[] rgb = t[2].split(",");
                int colour = Rgb.of(Integer.parseInt(rgb[0]), Integer.parseInt(rgb[1]), Integer.parseInt(rgb[2]));
                if (index == voidIndex) {
                    voidColour = colour;
                } else if (names.put(index, t[1]) != null) {
                    throw new AttnstreamException("class list " + file + " line " + (n + 1) + ": index " + index
                            + " appears twice");
                } else {
                    colours.put(index, colour);
                }
            } catch (RuntimeException e) {
                if (e instanceof AttnstreamException) {
                    throw e;
                }
                throw new AttnstreamException("class list " + file + " line " + (n + 1)
                        + ": expected 'index name r,g,b', got '" + line + "'", e);
            }
        }
        if (names.isEmpty() || names.firstKey() != 0 || names.lastKey() != names.size() - 1) {
            throw new AttnstreamException("class list " + file + ": class indices must be 0.." + (names.size() - 1)
                    + " without gaps (void " + voidIndex + " aside), got " + names.keySet());
        }
        return new ClassPalette(new ArrayList<>(names.values()),
                colours.values().stream().mapToInt(Integer::intValue).toArray(), voidIndex, voidColour);
    }

    public int size() {
        return names.size();
    }

    public List<String> names() {
        return names;
    }

    public String name(int index) {
        return index >= 0 && index < names.size() ? names.get(index) : "void";
    }

    public int voidIndex() {
        return voidIndex;
    }

    /** The class's colour; the void colour for the void index and anything outside 0..C-1. */
    public int colour(int index) {
        return index >= 0 && index < colours.length ? colours[index] : voidColour;
    }

    public boolean isClass(int index) {
        return index >= 0 && index < colours.length;
    }
}
