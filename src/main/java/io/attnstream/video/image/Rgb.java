package io.attnstream.video.image;

/**
 * Packed 0xRRGGBB colours: the small arithmetic the renderers need, clamped to 0..255 per channel.
 */
public final class Rgb {
    private Rgb() {}

    public static int of(int r, int g, int b) {
        return clamp(r) << 16 | clamp(g) << 8 | clamp(b);
    }

    public static int of(double r, double g, double b) {
        return of((int) Math.round(r), (int) Math.round(g), (int) Math.round(b));
    }

    public static int red(int rgb) {
        return rgb >>> 16 & 0xFF;
    }

    public static int green(int rgb) {
        return rgb >>> 8 & 0xFF;
    }

    public static int blue(int rgb) {
        return rgb & 0xFF;
    }

    /** Every channel times {@code k}. */
    public static int scale(int rgb, double k) {
        return of(red(rgb) * k, green(rgb) * k, blue(rgb) * k);
    }

    /** {@code a} with weight {@code 1 - t}, {@code b} with weight {@code t}. */
    public static int mix(int a, int b, double t) {
        return of(
                red(a) + (red(b) - red(a)) * t,
                green(a) + (green(b) - green(a)) * t,
                blue(a) + (blue(b) - blue(a)) * t);
    }

    /**
     * {@code rgb} with each channel shifted by up to {@code spread} (uniform values in [0,1) from
     * the caller).
     */
    public static int jitter(int rgb, double spread, double u1, double u2, double u3) {
        return of(
                red(rgb) + (2 * u1 - 1) * spread,
                green(rgb) + (2 * u2 - 1) * spread,
                blue(rgb) + (2 * u3 - 1) * spread);
    }

    public static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
