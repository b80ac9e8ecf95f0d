package io.attnstream.video;

/**
 * One attention map of a frame, row-major, values in [0, 1]: a gate's coefficients at its scale, or the bottleneck
 * heatmap.
 */
public record AttentionMap(int width, int height, float[] values) {
    public AttentionMap {
        if (values.length != (long) width * height) {
            throw new IllegalArgumentException("a " + width + " x " + height + " map has " + (long) width * height
                    + " values, got " + values.length);
        }
    }

    public float at(int x, int y) {
        return values[y * width + x];
    }

    /** 0..255, for an 8-bit PNG or an Avro bytes field. */
    public byte[] toBytes() {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            out[i] = (byte) Math.round(255 * (v > 1 ? 1 : v < 0 ? 0 : v)); // NaN -> 0
        }
        return out;
    }
}
