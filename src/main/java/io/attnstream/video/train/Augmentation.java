package io.attnstream.video.train;

import io.attnstream.video.data.SegmentationSample;
import io.attnstream.video.image.ImageResizer;
import io.attnstream.video.image.LabelMap;
import io.attnstream.video.image.RgbImage;
import java.util.Arrays;
import java.util.Random;

/**
 * Random changes to a training frame and its labels that keep the labels right, so a small dataset
 * (CamVid's 367 frames) looks larger: a random scale with a random crop (or void padding) back to
 * the training size, a horizontal flip, and colour jitter. The labels follow every geometric change
 * (nearest neighbour, never blended); colour jitter touches the frame alone. All randomness comes
 * from the caller's {@link Random}, so a seed reproduces the epoch's frames.
 *
 * @param flip mirror left-right with probability 1/2
 * @param minScale the frame is resized to the training size times a factor uniform in [minScale,
 *     maxScale]...
 * @param maxScale ...then cropped at a random place if larger, or padded (frame black, labels void)
 *     if smaller; 1 and 1 turn this off
 * @param brightness every channel times a factor uniform in [1 - brightness, 1 + brightness]
 * @param contrast distances from the frame's mean grey times a factor uniform in [1 - contrast, 1 +
 *     contrast]
 * @param saturation distances of each pixel from its grey times a factor uniform in [1 -
 *     saturation, 1 + saturation]
 */
public record Augmentation(
        boolean flip,
        float minScale,
        float maxScale,
        float brightness,
        float contrast,
        float saturation) {
    public Augmentation {
        if (!(minScale > 0) || !(maxScale >= minScale)) {
            throw new IllegalArgumentException(
                    "scales must satisfy 0 < min <= max, got " + minScale + ", " + maxScale);
        }
        for (float jitter : new float[] {brightness, contrast, saturation}) {
            if (!(jitter >= 0 && jitter < 1)) {
                throw new IllegalArgumentException(
                        "colour jitter must be in [0, 1), got " + jitter);
            }
        }
    }

    /** No change: frames and labels are only resized to the training size. */
    public static Augmentation none() {
        return new Augmentation(false, 1f, 1f, 0f, 0f, 0f);
    }

    /** Flips alone, the training default ({@link SegmentationTrainingConfig.Builder}). */
    public static Augmentation flips() {
        return new Augmentation(true, 1f, 1f, 0f, 0f, 0f);
    }

    /** Flips, scale 0.75-1.5, brightness, contrast and saturation +-20 %. */
    public static Augmentation full() {
        return new Augmentation(true, 0.75f, 1.5f, 0.2f, 0.2f, 0.2f);
    }

    /**
     * The sample, changed, at {@code width x height}: resized straight from its own size (one
     * resampling, not two), bilinear for the frame and nearest for the labels.
     */
    public SegmentationSample apply(
            SegmentationSample sample, int width, int height, int voidIndex, Random random) {
        float scale =
                minScale == maxScale
                        ? minScale
                        : minScale + random.nextFloat() * (maxScale - minScale);
        int scaledW = Math.max(1, Math.round(width * scale));
        int scaledH = Math.max(1, Math.round(height * scale));
        RgbImage image = ImageResizer.bilinear(sample.image(), scaledW, scaledH);
        LabelMap labels = ImageResizer.nearest(sample.labels(), scaledW, scaledH);
        if (scaledW != width || scaledH != height) {
            // the frame's offset in the output: negative crops, positive pads
            int offsetX = offset(width - scaledW, random);
            int offsetY = offset(height - scaledH, random);
            image = place(image, width, height, offsetX, offsetY);
            labels = place(labels, width, height, offsetX, offsetY, voidIndex);
        }
        boolean mirror = flip && random.nextBoolean();
        if (mirror) {
            image = mirror(image);
            labels = mirror(labels);
        }
        if (brightness > 0 || contrast > 0 || saturation > 0) {
            image =
                    jitter(
                            image,
                            factor(brightness, random),
                            factor(contrast, random),
                            factor(saturation, random));
        }
        return new SegmentationSample(sample.name(), image, labels);
    }

    /** Uniform in [0, slack] or [slack, 0]. */
    private static int offset(int slack, Random random) {
        return slack == 0 ? 0 : slack > 0 ? random.nextInt(slack + 1) : -random.nextInt(-slack + 1);
    }

    private static float factor(float jitter, Random random) {
        return jitter == 0 ? 1f : 1f - jitter + 2f * jitter * random.nextFloat();
    }

    /** The frame drawn at (offsetX, offsetY) on a black width x height canvas. */
    static RgbImage place(RgbImage image, int width, int height, int offsetX, int offsetY) {
        return new RgbImage(
                width,
                height,
                place(
                        image.rgb(),
                        image.width(),
                        image.height(),
                        3,
                        width,
                        height,
                        offsetX,
                        offsetY,
                        (byte) 0));
    }

    /** The labels drawn at (offsetX, offsetY) on a void width x height canvas. */
    static LabelMap place(
            LabelMap labels, int width, int height, int offsetX, int offsetY, int voidIndex) {
        return new LabelMap(
                width,
                height,
                place(
                        labels.classes(),
                        labels.width(),
                        labels.height(),
                        1,
                        width,
                        height,
                        offsetX,
                        offsetY,
                        (byte) voidIndex));
    }

    /**
     * Pixels of {@code bytes} bytes, {@code srcW x srcH}, drawn at (offsetX, offsetY) on a width x
     * height canvas whose every byte is {@code background}.
     */
    private static byte[] place(
            byte[] src,
            int srcW,
            int srcH,
            int bytes,
            int width,
            int height,
            int offsetX,
            int offsetY,
            byte background) {
        byte[] out = new byte[bytes * width * height];
        if (background != 0) {
            Arrays.fill(out, background);
        }
        int fromX = Math.max(0, offsetX);
        int toX = Math.min(width, offsetX + srcW);
        for (int y = Math.max(0, offsetY); y < Math.min(height, offsetY + srcH); y++) {
            System.arraycopy(
                    src,
                    bytes * ((y - offsetY) * srcW + fromX - offsetX),
                    out,
                    bytes * (y * width + fromX),
                    bytes * (toX - fromX));
        }
        return out;
    }

    static RgbImage mirror(RgbImage image) {
        return new RgbImage(
                image.width(),
                image.height(),
                mirror(image.rgb(), image.width(), image.height(), 3));
    }

    static LabelMap mirror(LabelMap labels) {
        return new LabelMap(
                labels.width(),
                labels.height(),
                mirror(labels.classes(), labels.width(), labels.height(), 1));
    }

    /** Each row of {@code width} pixels of {@code bytes} bytes reversed, pixel by pixel. */
    private static byte[] mirror(byte[] src, int width, int height, int bytes) {
        byte[] out = new byte[src.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int from = bytes * (y * width + x);
                int to = bytes * (y * width + width - 1 - x);
                for (int k = 0; k < bytes; k++) {
                    out[to + k] = src[from + k];
                }
            }
        }
        return out;
    }

    /**
     * Brightness, then contrast around the frame's mean grey, then saturation around each pixel's
     * grey.
     */
    static RgbImage jitter(RgbImage image, float brightness, float contrast, float saturation) {
        byte[] src = image.rgb();
        int pixels = src.length / 3;
        double greySum = 0;
        for (int p = 0; p < pixels; p++) {
            greySum += grey(src[3 * p] & 0xFF, src[3 * p + 1] & 0xFF, src[3 * p + 2] & 0xFF);
        }
        float meanGrey = (float) (greySum / pixels) * brightness;
        byte[] out = new byte[src.length];
        for (int p = 0; p < pixels; p++) {
            float r = (src[3 * p] & 0xFF) * brightness;
            float g = (src[3 * p + 1] & 0xFF) * brightness;
            float b = (src[3 * p + 2] & 0xFF) * brightness;
            r = meanGrey + (r - meanGrey) * contrast;
            g = meanGrey + (g - meanGrey) * contrast;
            b = meanGrey + (b - meanGrey) * contrast;
            float y = grey(r, g, b);
            out[3 * p] = clamp(y + (r - y) * saturation);
            out[3 * p + 1] = clamp(y + (g - y) * saturation);
            out[3 * p + 2] = clamp(y + (b - y) * saturation);
        }
        return new RgbImage(image.width(), image.height(), out);
    }

    /** ITU-R BT.601 luma, as PIL's and torchvision's grey. */
    private static float grey(float r, float g, float b) {
        return 0.299f * r + 0.587f * g + 0.114f * b;
    }

    private static byte clamp(float v) {
        return (byte) Math.min(255, Math.max(0, Math.round(v)));
    }
}
