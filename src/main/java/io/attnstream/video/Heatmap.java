package io.attnstream.video;

/**
 * A low-resolution attention map, values in [0, 1], row-major {@code width x height}; with its 8-bit form
 * (value * 255, rounded) for the wire.
 */
public record Heatmap(int width, int height, float[] values) {
    public Heatmap {
        if (width < 1 || height < 1 || (long) width * height != values.length) {
            throw new IllegalArgumentException("heatmap of " + width + " x " + height + " needs " + (long) width * height
                    + " values, got " + values.length);
        }
    }

    /** From 8-bit values (0 = 0.0, 255 = 1.0). */
    public static Heatmap fromBytes(int width, int height, byte[] bytes) {
        return new Heatmap(width, height, dequantize(bytes));
    }

    public byte[] toBytes() {
        return quantize(values);
    }

    /** Floats to bytes: clamped to [0, 1] (NaN as 0), times 255, rounded; the error is at most 1/510. */
    public static byte[] quantize(float[] values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            float c = v > 0 ? Math.min(v, 1f) : 0f; // NaN fails v > 0
            out[i] = (byte) Math.round(c * 255f);
        }
        return out;
    }

    public static float[] dequantize(byte[] bytes) {
        float[] out = new float[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = (bytes[i] & 0xFF) / 255f;
        }
        return out;
    }

    /**
     * Bilinear resampling to {@code w x h}, pixel centres aligned (as PyTorch's {@code align_corners=false}),
     * values clamped to [0, 1], NaN as 0.
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
                double top = at(x0, y0) + (at(x1, y0) - at(x0, y0)) * tx;
                double bottom = at(x0, y1) + (at(x1, y1) - at(x0, y1)) * tx;
                out[y * w + x] = (float) (top + (bottom - top) * ty);
            }
        }
        return out;
    }

    private float at(int x, int y) {
        float v = values[y * width + x];
        return v > 0 ? Math.min(v, 1f) : 0f;
    }
}
