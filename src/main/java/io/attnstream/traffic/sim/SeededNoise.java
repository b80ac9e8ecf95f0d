package io.attnstream.traffic.sim;

import java.util.SplittableRandom;

/**
 * Counter-based random numbers: the value for (stream, a, b) is a hash of the seed and those three
 * numbers. A simulator built on it can compute any sensor at any step in any order and still get
 * the same numbers, and one feature (say incidents) can be switched off without shifting the draws
 * of the others.
 */
final class SeededNoise {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private final long seed;

    SeededNoise(long seed) {
        this.seed = seed;
    }

    /** 64 well-mixed bits for (stream, a, b). */
    long bits(long stream, long a, long b) {
        long h = mix(seed + GOLDEN * (stream + 1));
        h = mix(h ^ (a * 0xC2B2AE3D27D4EB4FL + GOLDEN));
        return mix(h ^ (b * 0x165667B19E3779F9L + GOLDEN));
    }

    /** Uniform in [0, 1). */
    double uniform(long stream, long a, long b) {
        return (bits(stream, a, b) >>> 11) * 0x1.0p-53;
    }

    /** Standard normal (Box-Muller on two independent uniforms). */
    double gaussian(long stream, long a, long b) {
        double u1 = uniform(stream, a, 2 * b);
        double u2 = uniform(stream, a, 2 * b + 1);
        return Math.sqrt(-2.0 * Math.log(1.0 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** A sequential generator for a group of draws, e.g. all incidents of one day. */
    SplittableRandom random(long stream, long a, long b) {
        return new SplittableRandom(bits(stream, a, b));
    }

    /** Poisson-distributed count (Knuth; the means used here are small). */
    static int poisson(SplittableRandom r, double mean) {
        if (mean <= 0) {
            return 0;
        }
        double limit = Math.exp(-mean);
        double p = r.nextDouble();
        int k = 0;
        while (p > limit) {
            k++;
            p *= r.nextDouble();
        }
        return k;
    }

    private static long mix(long z) {
        // SplitMix64's finaliser: every input bit affects every output bit.
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
