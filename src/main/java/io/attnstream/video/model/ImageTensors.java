package io.attnstream.video.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.attnstream.video.image.ImageResizer;
import io.attnstream.video.image.RgbImage;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * Frames to the model's input: RGB scaled to [0, 1], normalised per channel with the mean and
 * standard deviation stored in model.json, channels first.
 *
 * <p>Dimensions: B batch, H x W the model's input size.
 */
public final class ImageTensors {
    private ImageTensors() {}

    /**
     * Per-channel mean and standard deviation of RGB in [0, 1] (R, G, B order).
     *
     * @param mean 3 values
     * @param std 3 positive values
     */
    public record Normalisation(float[] mean, float[] std) implements Serializable {
        public Normalisation {
            if (mean.length != 3 || std.length != 3) {
                throw new IllegalArgumentException(
                        "normalisation needs 3 means and 3 standard deviations, got "
                                + mean.length
                                + " and "
                                + std.length);
            }
            for (int c = 0; c < 3; c++) {
                if (!Float.isFinite(mean[c]) || !(std[c] > 0) || !Float.isFinite(std[c])) {
                    throw new IllegalArgumentException(
                            "normalisation must have finite means and positive finite"
                                    + " standard deviations, got mean "
                                    + Arrays.toString(mean)
                                    + ", std "
                                    + Arrays.toString(std));
                }
            }
            mean = mean.clone();
            std = std.clone();
        }

        @Override
        public float[] mean() {
            return mean.clone();
        }

        @Override
        public float[] std() {
            return std.clone();
        }

        /**
         * The mean and standard deviation of every pixel of the images (a flat image gets std
         * 1/255).
         */
        public static Normalisation fit(List<RgbImage> images) {
            double[] sum = new double[3];
            double[] sumSq = new double[3];
            long pixels = 0;
            for (RgbImage image : images) {
                byte[] rgb = image.rgb();
                long[] s = new long[3];
                long[] s2 = new long[3];
                for (int i = 0; i < rgb.length; i += 3) {
                    for (int c = 0; c < 3; c++) {
                        int v = rgb[i + c] & 0xFF;
                        s[c] += v;
                        s2[c] += (long) v * v;
                    }
                }
                for (int c = 0; c < 3; c++) {
                    sum[c] += s[c];
                    sumSq[c] += s2[c];
                }
                pixels += rgb.length / 3;
            }
            if (pixels == 0) {
                throw new IllegalArgumentException("no images to fit a normalisation on");
            }
            float[] mean = new float[3];
            float[] std = new float[3];
            for (int c = 0; c < 3; c++) {
                double m = sum[c] / pixels;
                double variance = Math.max(0, sumSq[c] / pixels - m * m);
                mean[c] = (float) (m / 255);
                std[c] = (float) Math.max(Math.sqrt(variance), 1.0) / 255;
            }
            return new Normalisation(mean, std);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Normalisation n
                    && Arrays.equals(mean, n.mean)
                    && Arrays.equals(std, n.std);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
        }

        @Override
        public String toString() {
            return "Normalisation[mean="
                    + Arrays.toString(mean)
                    + ", std="
                    + Arrays.toString(std)
                    + "]";
        }
    }

    /**
     * Writes one frame, already at the model's input size, as (3, H, W) normalised floats into slot
     * {@code index} of a (B, 3, H, W) batch array.
     */
    public static void writeChw(
            RgbImage image, Normalisation normalisation, float[] batch, int index) {
        int plane = image.width() * image.height();
        int base = index * 3 * plane;
        if (batch.length < base + 3 * plane) {
            throw new IllegalArgumentException(
                    "batch array of "
                            + batch.length
                            + " floats has no slot "
                            + index
                            + " for a "
                            + image.width()
                            + " x "
                            + image.height()
                            + " frame");
        }
        byte[] rgb = image.rgb();
        float[] scale = new float[3];
        float[] shift = new float[3];
        for (int c = 0; c < 3; c++) {
            scale[c] =
                    1f / (255f * normalisation.std[c]); // (v / 255 - mean) / std = v scale + shift
            shift[c] = -normalisation.mean[c] / normalisation.std[c];
        }
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < 3; c++) {
                batch[base + c * plane + p] = (rgb[3 * p + c] & 0xFF) * scale[c] + shift[c];
            }
        }
    }

    /**
     * Frames of any size as the model's input: each resized to {@code width x height} ({@link
     * ImageResizer}) and normalised.
     *
     * @return (B, 3, height, width) float32 in {@code manager}
     */
    public static NDArray toTensor(
            NDManager manager,
            List<RgbImage> frames,
            int width,
            int height,
            Normalisation normalisation) {
        float[] batch = new float[frames.size() * 3 * width * height];
        for (int b = 0; b < frames.size(); b++) {
            writeChw(ImageResizer.bilinear(frames.get(b), width, height), normalisation, batch, b);
        }
        return manager.create(batch, new Shape(frames.size(), 3, height, width)); // (B, 3, H, W)
    }
}
