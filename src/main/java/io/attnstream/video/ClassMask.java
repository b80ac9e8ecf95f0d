package io.attnstream.video;

/** A per-pixel class mask: one unsigned byte per pixel, row-major, {@code width x height}. */
public record ClassMask(int width, int height, byte[] classes) {
    public ClassMask {
        if (width < 1 || height < 1 || (long) width * height != classes.length) {
            throw new IllegalArgumentException("mask of " + width + " x " + height + " needs " + (long) width * height
                    + " bytes, got " + classes.length);
        }
    }

    public int at(int x, int y) {
        return classes[y * width + x] & 0xFF;
    }

    /** Share of the pixels per class 0..classes-1 (other values, such as void, count for none). */
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
            out[c] = (float) ((double) counts[c] / this.classes.length);
        }
        return out;
    }
}
