package io.attnstream.video.sim;

/**
 * Counter-based random numbers for the street-scene generator: every value is a hash of its
 * coordinates, so any frame of any camera can be rendered on its own, in any order, at any size,
 * and still come out the same.
 */
final class SceneNoise {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private SceneNoise() {}

    /** 64 well-mixed bits for (a, b, c, d). */
    static long hash(long a, long b, long c, long d) {
        long h = mix(a + GOLDEN);
        h = mix(h ^ (b * 0xC2B2AE3D27D4EB4FL + GOLDEN));
        h = mix(h ^ (c * 0x165667B19E3779F9L + GOLDEN));
        return mix(h ^ (d * 0xD6E8FEB86659FD93L + GOLDEN));
    }

    /** Uniform in [0, 1). */
    static double uniform(long a, long b, long c, long d) {
        return (hash(a, b, c, d) >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, 1) from a cheaper two-step hash, for per-pixel noise. */
    static double pixel(long key, int x, int y) {
        long h = mix(key ^ ((long) x << 32 | (y & 0xFFFFFFFFL)));
        return (h >>> 11) * 0x1.0p-53;
    }

    /**
     * Smooth value noise in [0, 1): random values on the integer lattice, interpolated with a
     * smoothstep, so textures (asphalt patches, foliage, clouds) have blobs rather than per-pixel
     * speckle.
     */
    static double value(long key, double x, double y) {
        double fx = Math.floor(x);
        double fy = Math.floor(y);
        long ix = (long) fx;
        long iy = (long) fy;
        double tx = x - fx;
        double ty = y - fy;
        tx = tx * tx * (3 - 2 * tx);
        ty = ty * ty * (3 - 2 * ty);
        double v00 = lattice(key, ix, iy);
        double v10 = lattice(key, ix + 1, iy);
        double v01 = lattice(key, ix, iy + 1);
        double v11 = lattice(key, ix + 1, iy + 1);
        double top = v00 + (v10 - v00) * tx;
        double bottom = v01 + (v11 - v01) * tx;
        return top + (bottom - top) * ty;
    }

    private static double lattice(long key, long ix, long iy) {
        return (mix(key ^ mix(ix * 0xC2B2AE3D27D4EB4FL + iy * GOLDEN)) >>> 11) * 0x1.0p-53;
    }

    static long mix(long z) {
        // SplitMix64's finaliser: every input bit affects every output bit.
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
