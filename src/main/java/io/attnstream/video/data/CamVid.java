package io.attnstream.video.data;

import io.attnstream.platform.AttnstreamException;
import io.attnstream.video.image.LabelMap;
import io.attnstream.video.image.PngMasks;
import io.attnstream.video.image.RgbImage;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads CamVid-style segmentation folders: frames and label PNGs paired by file name (the part
 * before the extension).
 *
 * <p>Layouts, tried in this order for a split such as "train":
 *
 * <ol>
 *   <li>{@code root/train/} frames and {@code root/trainannot/} labels (SegNet's packaging of
 *       CamVid);
 *   <li>{@code root/train/images/} and {@code root/train/labels/};
 *   <li>{@code root/images/} and {@code root/labels/} (a folder that is one split).
 * </ol>
 *
 * A label is an 8-bit grey or palette PNG whose values are class indices 0..C-1 or the void index.
 * Every frame needs a label of the same size, and every label a frame; anything else is an {@link
 * AttnstreamException} naming the file.
 */
public final class CamVid {
    /** The class list a dataset root may hold (see {@link SegmentationClasses#read}). */
    public static final String CLASSES_FILE = "classes.txt";

    private static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp");

    private CamVid() {}

    /** The frame and label folders of a split. */
    public record Layout(Path images, Path labels) {}

    /**
     * The classes of the dataset at {@code root}: its classes.txt if there is one, else CamVid's 11
     * (with the given void index).
     */
    public static SegmentationClasses classes(Path root, int voidIndex) {
        Path file = root.resolve(CLASSES_FILE);
        if (Files.isRegularFile(file)) {
            return SegmentationClasses.read(file, voidIndex);
        }
        SegmentationClasses camVid = SegmentationClasses.camVid();
        return voidIndex == camVid.voidIndex()
                ? camVid
                : new SegmentationClasses(
                        camVid.names(), camVid.colours(), voidIndex, camVid.referenceWeights());
    }

    /**
     * @throws AttnstreamException listing the layouts tried when none exists
     */
    public static Layout layout(Path root, String split) {
        List<Layout> candidates =
                List.of(
                        new Layout(root.resolve(split), root.resolve(split + "annot")),
                        new Layout(
                                root.resolve(split).resolve("images"),
                                root.resolve(split).resolve("labels")),
                        new Layout(root.resolve("images"), root.resolve("labels")));
        for (Layout layout : candidates) {
            if (Files.isDirectory(layout.images()) && Files.isDirectory(layout.labels())) {
                return layout;
            }
        }
        throw new AttnstreamException(
                "no split '"
                        + split
                        + "' under "
                        + root
                        + ": expected "
                        + split
                        + "/ with "
                        + split
                        + "annot/, "
                        + split
                        + "/images/ with "
                        + split
                        + "/labels/, or images/ with labels/");
    }

    /**
     * Every labelled frame of a split, sorted by file name.
     *
     * @throws AttnstreamException for a missing split, an unreadable file, a frame without a label
     *     (or the other way round), sizes that differ, or a label value outside the classes and
     *     void
     */
    public static List<SegmentationSample> load(
            Path root, String split, SegmentationClasses classes) {
        Layout layout = layout(root, split);
        Map<String, Path> images = imagesByStem(layout.images());
        Map<String, Path> labels = imagesByStem(layout.labels());
        for (Map.Entry<String, Path> label : labels.entrySet()) {
            if (!images.containsKey(label.getKey())) {
                throw new AttnstreamException(
                        "label "
                                + label.getValue()
                                + " has no frame of the same name in "
                                + layout.images());
            }
        }
        if (images.isEmpty()) {
            throw new AttnstreamException(
                    layout.images()
                            + " holds no frames (."
                            + String.join(", .", IMAGE_EXTENSIONS.stream().sorted().toList())
                            + ")");
        }
        List<SegmentationSample> samples = new ArrayList<>(images.size());
        for (Map.Entry<String, Path> image : images.entrySet()) {
            Path labelFile = labels.get(image.getKey());
            if (labelFile == null) {
                throw new AttnstreamException(
                        "frame "
                                + image.getValue()
                                + " has no label of the same name in "
                                + layout.labels());
            }
            RgbImage frame = RgbImage.of(read(image.getValue()));
            LabelMap label = readLabels(labelFile, classes);
            if (frame.width() != label.width() || frame.height() != label.height()) {
                throw new AttnstreamException(
                        "label "
                                + labelFile
                                + " is "
                                + label.width()
                                + " x "
                                + label.height()
                                + " but its frame "
                                + image.getValue()
                                + " is "
                                + frame.width()
                                + " x "
                                + frame.height());
            }
            samples.add(
                    new SegmentationSample(
                            image.getValue().getFileName().toString(), frame, label));
        }
        return samples;
    }

    /**
     * A label PNG as class indices.
     *
     * @throws AttnstreamException when it is not a one-channel image or holds a value that is
     *     neither a class nor void
     */
    public static LabelMap readLabels(Path file, SegmentationClasses classes) {
        Raster raster = read(file).getRaster();
        if (raster.getNumBands() != 1) {
            throw new AttnstreamException(
                    "label "
                            + file
                            + " has "
                            + raster.getNumBands()
                            + " channels: labels must"
                            + " be one-channel (grey or palette) PNGs of class indices");
        }
        return PngMasks.samples(
                raster,
                (v, x, y) -> {
                    if (!classes.isClass(v) && v != classes.voidIndex()) {
                        throw new AttnstreamException(
                                String.format(
                                        Locale.ROOT,
                                        "label %s has the value %d at (%d, %d):"
                                                + " values must be classes 0..%d or void %d",
                                        file,
                                        v,
                                        x,
                                        y,
                                        classes.count() - 1,
                                        classes.voidIndex()));
                    }
                });
    }

    private static BufferedImage read(Path file) {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new AttnstreamException("cannot decode " + file + ": " + e.getMessage(), e);
        }
        if (image == null) {
            throw new AttnstreamException(
                    file + " is not an image ImageIO can read (PNG, JPEG, BMP)");
        }
        return image;
    }

    private static Map<String, Path> imagesByStem(Path dir) {
        Map<String, Path> byStem = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                int dot = name.lastIndexOf('.');
                if (dot <= 0
                        || !IMAGE_EXTENSIONS.contains(
                                name.substring(dot + 1).toLowerCase(Locale.ROOT))) {
                    continue;
                }
                Path previous = byStem.put(name.substring(0, dot), file);
                if (previous != null) {
                    throw new AttnstreamException(
                            dir
                                    + " holds both "
                                    + previous.getFileName()
                                    + " and "
                                    + name
                                    + ": frames and labels are paired by the name before the"
                                    + " extension");
                }
            }
        } catch (IOException e) {
            throw new AttnstreamException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return byStem;
    }
}
