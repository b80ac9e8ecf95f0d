package io.attnstream.video.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.attnstream.inference.LoadedModel;
import io.attnstream.video.image.AttentionMap;
import io.attnstream.video.image.ImageResizer;
import io.attnstream.video.image.LabelMap;
import io.attnstream.video.image.RgbImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Frames of any size in, masks at any size out: the one path from pixels to classes that
 * validation, evaluation and the stream share, so they cannot disagree.
 *
 * <ol>
 *   <li>{@link #toTensor}: each frame resized (bilinear, antialiased) to the model's input size and
 *       normalised with the model's mean and std, (B, 3, H, W);
 *   <li>the block's forward pass in inference mode;
 *   <li>{@link #fromOutputs}: the logits resized bilinearly to each requested output size, then
 *       argmax over the classes (resizing logits, not class indices, keeps class borders smooth at
 *       any size); the gates and the heatmap copied out as they are. Above {@link
 *       #MAX_ARGMAX_PIXELS} output pixels the logits go only to the largest size under it with the
 *       frame's aspect ratio, and the class mask is enlarged from there by nearest neighbour:
 *       resized logits take C floats a pixel (a 16 Mpx frame with 11 classes would need 700 MB), a
 *       mask one byte; the borders then step in blocks of a few frame pixels (2 x 2 for 16 Mpx).
 * </ol>
 *
 * A streaming translator calls the two static steps around its runtime's forward pass; everything
 * else calls {@link #segment}.
 *
 * <p>Dimensions: B batch, C classes, H x W the model's input size.
 */
public final class FrameSegmenter {
    /** 2^22 (4 Mpx): the largest argmax, C x 16 MB of resized logits. */
    static final long MAX_ARGMAX_PIXELS = 1L << 22;

    private final Forward forward;
    private final NDManager parent;
    private final int width;
    private final int height;
    private final ImageTensors.Normalisation normalisation;
    private final int batchSize;

    /** An inference-mode forward pass whose outputs live in the inputs' manager. */
    @FunctionalInterface
    public interface Forward {
        NDList apply(NDList inputs);
    }

    /** An output size, in pixels. */
    public record Size(int width, int height) {
        public Size {
            if (width <= 0 || height <= 0) {
                throw new IllegalArgumentException(
                        "output size must be positive, got " + width + " x " + height);
            }
        }
    }

    /**
     * @param parent the manager each batch's sub-manager comes from (the model's or the trainer's)
     * @param width W, the model's input width
     * @param height H, the model's input height
     * @param batchSize frames per forward pass
     */
    public FrameSegmenter(
            Forward forward,
            NDManager parent,
            int width,
            int height,
            ImageTensors.Normalisation normalisation,
            int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.forward = forward;
        this.parent = parent;
        this.width = width;
        this.height = height;
        this.normalisation = normalisation;
        this.batchSize = batchSize;
    }

    /** A loaded model with the input size and normalisation of its model.json. */
    public static FrameSegmenter of(LoadedModel model, int batchSize) {
        SegmentationPreprocessing preprocessing = SegmentationPreprocessing.of(model.spec());
        return new FrameSegmenter(
                inference(model.model().getBlock()),
                model.model().getNDManager(),
                preprocessing.inputWidth(),
                preprocessing.inputHeight(),
                preprocessing.normalisation(),
                batchSize);
    }

    /** The block's forward pass in inference mode (BatchNorm's running statistics, no dropout). */
    public static Forward inference(Block block) {
        return inputs ->
                block.forward(new ParameterStore(inputs.head().getManager(), false), inputs, false);
    }

    /** Every frame's segmentation with its mask at the frame's own size. */
    public List<Segmentation> segment(List<RgbImage> frames) {
        List<Size> sizes = new ArrayList<>(frames.size());
        for (RgbImage frame : frames) {
            sizes.add(new Size(frame.width(), frame.height()));
        }
        return segment(frames, sizes);
    }

    /** Every frame's segmentation with its mask at one output size. */
    public List<Segmentation> segment(List<RgbImage> frames, Size outputSize) {
        return segment(frames, Collections.nCopies(frames.size(), outputSize));
    }

    /**
     * Every frame's segmentation, frame i's mask at {@code outputSizes.get(i)}; {@code batchSize}
     * per pass.
     */
    public List<Segmentation> segment(List<RgbImage> frames, List<Size> outputSizes) {
        if (frames.size() != outputSizes.size()) {
            throw new IllegalArgumentException(
                    frames.size() + " frames but " + outputSizes.size() + " output sizes");
        }
        List<Segmentation> out = new ArrayList<>(frames.size());
        for (int from = 0; from < frames.size(); from += batchSize) {
            int to = Math.min(frames.size(), from + batchSize);
            try (NDManager manager = parent.newSubManager()) {
                NDList outputs =
                        forward.apply(
                                new NDList(
                                        toTensor(
                                                manager,
                                                frames.subList(from, to),
                                                width,
                                                height,
                                                normalisation)));
                out.addAll(fromOutputs(outputs, outputSizes.subList(from, to)));
            }
        }
        return out;
    }

    /** Step 1: (B, 3, H, W) normalised frames at the model's input size, in {@code manager}. */
    public static NDArray toTensor(
            NDManager manager,
            List<RgbImage> frames,
            int width,
            int height,
            ImageTensors.Normalisation normalisation) {
        return ImageTensors.toTensor(manager, frames, width, height, normalisation);
    }

    /**
     * Step 3: one segmentation per frame of the batch, in order.
     *
     * @param outputs [logits (B, C, H, W), gate maps (B, h_s, w_s) finest first, heatmap (B, h, w)]
     * @param outputSizes the mask size of each frame
     */
    public static List<Segmentation> fromOutputs(NDList outputs, List<Size> outputSizes) {
        return fromOutputs(outputs, outputSizes, MAX_ARGMAX_PIXELS);
    }

    /**
     * @param maxArgmaxPixels the most pixels the logits are resized to; larger masks are enlarged
     *     from there
     */
    static List<Segmentation> fromOutputs(
            NDList outputs, List<Size> outputSizes, long maxArgmaxPixels) {
        NDArray logits = outputs.get(0); // (B, C, H, W)
        int batch = (int) logits.getShape().get(0);
        if (outputSizes.size() != batch) {
            throw new IllegalArgumentException(
                    batch + " frames in the outputs but " + outputSizes.size() + " sizes");
        }
        LabelMap[] masks = new LabelMap[batch];
        if (outputSizes.stream().distinct().count() == 1) {
            Size size = argmaxSize(outputSizes.get(0), maxArgmaxPixels);
            byte[] all =
                    classes(Bilinear.resize(logits, size.height(), size.width())); // (B, h_a, w_a)
            int plane = size.width() * size.height();
            for (int b = 0; b < batch; b++) {
                masks[b] =
                        new LabelMap(
                                size.width(),
                                size.height(),
                                Arrays.copyOfRange(all, b * plane, (b + 1) * plane));
            }
        } else {
            for (int b = 0; b < batch; b++) {
                Size size = argmaxSize(outputSizes.get(b), maxArgmaxPixels);
                NDArray one = logits.get(b).expandDims(0); // (1, C, H, W)
                masks[b] =
                        new LabelMap(
                                size.width(),
                                size.height(),
                                classes(
                                        Bilinear.resize(
                                                one,
                                                size.height(),
                                                size.width()))); // (1, h_a, w_a)
            }
        }
        List<List<AttentionMap>> gates = new ArrayList<>();
        for (int i = 1; i < outputs.size() - 1; i++) {
            gates.add(maps(outputs.get(i)));
        }
        List<AttentionMap> heatmaps = maps(outputs.get(outputs.size() - 1));
        List<Segmentation> out = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            List<AttentionMap> frameGates = new ArrayList<>(gates.size());
            for (List<AttentionMap> scale : gates) {
                frameGates.add(scale.get(b));
            }
            Size size = outputSizes.get(b);
            out.add(
                    new Segmentation(
                            ImageResizer.nearest(masks[b], size.width(), size.height()),
                            frameGates,
                            heatmaps.get(b)));
        }
        return out;
    }

    /**
     * The size the logits are resized to for an output of {@code size}: the size itself up to
     * {@code maxPixels} pixels, else the largest size under it with the same aspect ratio (each
     * side rounded down).
     */
    static Size argmaxSize(Size size, long maxPixels) {
        long pixels = (long) size.width() * size.height();
        if (pixels <= maxPixels) {
            return size;
        }
        double scale = Math.sqrt((double) maxPixels / pixels);
        // the epsilon keeps an exact fit (4000 x 4000 -> 2048 x 2048) from losing a pixel to the
        // square root's rounding
        int width = Math.max(1, (int) (size.width() * scale + 1e-9));
        int height = Math.max(1, (int) (size.height() * scale + 1e-9));
        while ((long) width * height > maxPixels) {
            // the rounding left it over: shorten the side that is relatively longer, to stay
            // closest to the aspect ratio (a side of 1 pixel, from an extreme ratio, cannot give)
            boolean widthLonger = (long) width * size.height() >= (long) height * size.width();
            if (widthLonger && width > 1 || height == 1) {
                width = (int) Math.max(1, Math.min(width - 1, maxPixels / height));
            } else {
                height = (int) Math.max(1, Math.min(height - 1, maxPixels / width));
            }
        }
        return new Size(width, height);
    }

    /** Argmax over the classes: (B, C, h, w) -> B h w class bytes, row-major per frame. */
    private static byte[] classes(NDArray logits) {
        return logits.argMax(1).toType(DataType.UINT8, false).toByteArray(); // (B, h, w)
    }

    /** (B, h, w) -> B maps. */
    private static List<AttentionMap> maps(NDArray maps) {
        Shape shape = maps.getShape(); // (B, h, w)
        int batch = (int) shape.get(0);
        int h = (int) shape.get(1);
        int w = (int) shape.get(2);
        float[] values = maps.toFloatArray();
        List<AttentionMap> out = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            out.add(new AttentionMap(w, h, Arrays.copyOfRange(values, b * h * w, (b + 1) * h * w)));
        }
        return out;
    }

    public int inputWidth() {
        return width;
    }

    public int inputHeight() {
        return height;
    }

    public ImageTensors.Normalisation normalisation() {
        return normalisation;
    }
}
