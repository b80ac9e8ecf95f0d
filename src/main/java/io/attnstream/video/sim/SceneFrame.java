package io.attnstream.video.sim;

import java.awt.image.BufferedImage;

/**
 * One rendered frame of the street-scene generator: the RGB picture and its label mask (CamVid
 * class indices, one byte per pixel, row-major, same size as the picture).
 */
public record SceneFrame(int camera, long frame, BufferedImage image, byte[] labels) {
    public SceneFrame {
        if (labels.length != image.getWidth() * image.getHeight()) {
            throw new IllegalArgumentException(
                    "labels hold "
                            + labels.length
                            + " pixels, the image "
                            + image.getWidth()
                            + " x "
                            + image.getHeight());
        }
    }

    public int width() {
        return image.getWidth();
    }

    public int height() {
        return image.getHeight();
    }

    public int label(int x, int y) {
        return labels[y * width() + x];
    }

    /** Share of the pixels per class index 0..classes-1. */
    public double[] classShares(int classes) {
        double[] shares = new double[classes];
        for (byte b : labels) {
            int c = b & 0xFF;
            if (c < classes) {
                shares[c]++;
            }
        }
        for (int c = 0; c < classes; c++) {
            shares[c] /= labels.length;
        }
        return shares;
    }
}
