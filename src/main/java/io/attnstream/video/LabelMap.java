package io.attnstream.video;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;

/**
 * Per-pixel class indices, row-major, one unsigned byte a pixel (read with {@code & 0xFF}): 0..C-1 for the
 * classes, and the dataset's void index (CamVid 11) for pixels without a label.
 */
public record LabelMap(int width, int height, byte[] classes) {
    public LabelMap {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("label map size must be positive, got " + width + " x " + height);
        }
        if (classes.length != (long) width * height) {
            throw new IllegalArgumentException("a label map of " + width + " x " + height + " has "
                    + (long) width * height + " bytes, got " + classes.length);
        }
    }

    /** Class index of pixel (x, y). */
    public int at(int x, int y) {
        return classes[y * width + x] & 0xFF;
    }

    /** An 8-bit grey image whose values are the class indices: the PNG format of CamVid's labels. */
    public BufferedImage toGrayImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = image.getRaster();
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                row[x] = classes[y * width + x] & 0xFF;
            }
            raster.setSamples(0, y, width, 1, 0, row);
        }
        return image;
    }
}
