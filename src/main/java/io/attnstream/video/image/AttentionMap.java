package io.attnstream.video.image;

/**
 * One attention map of a frame, row-major {@code width x height}, values in [0, 1]: a gate's
 * coefficients at its scale, or the bottleneck heatmap. Its 8-bit form (value * 255, rounded), for
 * an Avro bytes field, a Flink POJO ({@link AttentionLevels}) or a grey PNG, comes from {@link
 * #quantize} and goes back through {@link #dequantize}: the one pair of conversions, so every
 * carrier of a map agrees on its levels.
 */
public record AttentionMap(int width, int height, float[] values) {
    public AttentionMap {
        if (width < 1 || height < 1 || values.length != (long) width * height) {
            throw new IllegalArgumentException(
                    "a "
                            + width
                            + " x "
                            + height
                            + " map has "
                            + (long) width * height
                            + " values, got "
                            + values.length);
        }
    }

    /** From 8-bit levels (0 = 0.0, 255 = 1.0). */
    public static AttentionMap fromBytes(int width, int height, byte[] levels) {
        return new AttentionMap(width, height, dequantize(levels));
    }

    public float at(int x, int y) {
        return values[y * width + x];
    }

    /** 0..255, for an 8-bit PNG or an Avro bytes field. */
    public byte[] toBytes() {
        return quantize(values);
    }

    /**
     * Floats to levels: clamped to [0, 1] (NaN as 0), times 255, rounded; the error is at most
     * 1/510.
     */
    public static byte[] quantize(float[] values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) Math.round(clamp(values[i]) * 255f);
        }
        return out;
    }

    /** Levels to floats: level / 255. */
    public static float[] dequantize(byte[] levels) {
        float[] out = new float[levels.length];
        for (int i = 0; i < levels.length; i++) {
            out[i] = (levels[i] & 0xFF) / 255f;
        }
        return out;
    }

    /**
     * Bilinear resampling to {@code w x h}, pixel centres aligned (as PyTorch's {@code
     * align_corners=false}), values clamped to [0, 1], NaN as 0.
     */
    public float[] resize(int w, int h) {
        float[] out = new float[w * h];
        double sx = (double) width / w;
        double sy = (double) height / h;
        for (int y = 0; y < h; y++) {
            double fy = Math.min(height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
            int y0 = (int) fy;
            int y1 = Math.min(height - 1, y0 + 1);
            double ty = fy - y0;
            for (int x = 0; x < w; x++) {
                double fx = Math.min(width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
                int x0 = (int) fx;
                int x1 = Math.min(width - 1, x0 + 1);
                double tx = fx - x0;
                double top = clamped(x0, y0) + (clamped(x1, y0) - clamped(x0, y0)) * tx;
                double bottom = clamped(x0, y1) + (clamped(x1, y1) - clamped(x0, y1)) * tx;
                out[y * w + x] = (float) (top + (bottom - top) * ty);
            }
        }
        return out;
    }

    private float clamped(int x, int y) {
        return clamp(at(x, y));
    }

    /** Into [0, 1], NaN as 0 (NaN fails {@code v > 0}). */
    private static float clamp(float v) {
        return v > 0 ? Math.min(v, 1f) : 0f;
    }
}
