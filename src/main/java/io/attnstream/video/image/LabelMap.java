package io.attnstream.video.image;

import java.awt.image.BufferedImage;

/**
 * Per-pixel class indices, row-major, one unsigned byte a pixel (read with {@code & 0xFF}): 0..C-1
 * for the classes, and the dataset's void index (CamVid 11) for pixels without a label. The one
 * mask type of the video package: training labels, the model's predicted masks and the PNG masks of
 * the stream.
 */
public record LabelMap(int width, int height, byte[] classes) {
    public LabelMap {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(
                    "label map size must be positive, got " + width + " x " + height);
        }
        if (classes.length != (long) width * height) {
            throw new IllegalArgumentException(
                    "a label map of "
                            + width
                            + " x "
                            + height
                            + " has "
                            + (long) width * height
                            + " bytes, got "
                            + classes.length);
        }
    }

    /** Class index of pixel (x, y). */
    public int at(int x, int y) {
        return classes[y * width + x] & 0xFF;
    }

    /**
     * Share of the pixels per class 0..classes-1; other values, such as void, count for none, so
     * the shares sum to less than 1 when the map has them.
     */
    public float[] shares(int classes) {
        long[] counts = new long[classes];
        for (byte b : this.classes) {
            int c = b & 0xFF;
            if (c < classes) {
                counts[c]++;
            }
        }
        float[] out = new float[classes];
        for (int c = 0; c < classes; c++) {
            // in double, then rounded once: exact to the float for any pixel count (float counts
            // stop at 2^24)
            out[c] = (float) ((double) counts[c] / this.classes.length);
        }
        return out;
    }

    /**
     * An 8-bit grey image whose values are the class indices: the PNG format of CamVid's labels.
     */
    public BufferedImage toGrayImage() {
        return PngMasks.greyImage(width, height, classes);
    }
}
