package io.attnstream.traffic.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Several independent AR(1) series {@code x(t) = phi * x(t-1) + sigma * e(t)} (stationary from t =
 * 0) that can be read at any step, in any order, with the same values: innovations come from {@link
 * SeededNoise}, and the state at every block boundary is remembered, so a jump back recomputes at
 * most one block.
 */
final class ArNoise {
    private static final int BLOCK = 256;

    private final SeededNoise noise;
    private final long stream;
    private final int series;
    private final double phi;
    private final double sigma;
    private final List<float[]> stateBefore = new ArrayList<>(); // state just before each block
    private final float[][] block; // (BLOCK, series) values of block blockIndex
    private long blockIndex = -1;

    ArNoise(SeededNoise noise, long stream, int series, double phi, double sigma) {
        this.noise = noise;
        this.stream = stream;
        this.series = series;
        this.phi = phi;
        this.sigma = sigma;
        this.block = new float[BLOCK][series];
        float[] initial = new float[series];
        double stationary = sigma / Math.sqrt(1 - phi * phi);
        for (int i = 0; i < series; i++) {
            initial[i] = (float) (stationary * noise.gaussian(stream, i, -1));
        }
        stateBefore.add(initial);
    }

    /** x_i(t) for t >= 0. */
    float value(int i, long t) {
        long b = t / BLOCK;
        if (b != blockIndex) {
            fill(b);
        }
        return block[(int) (t - b * BLOCK)][i];
    }

    private void fill(long target) {
        // Blocks are computed in order once, so that each starts from the exact state its
        // predecessor ended in.
        for (long b = Math.min(target, stateBefore.size() - 1); b <= target; b++) {
            float[] state = stateBefore.get((int) b).clone();
            for (int s = 0; s < BLOCK; s++) {
                long t = b * BLOCK + s;
                for (int i = 0; i < series; i++) {
                    state[i] = (float) (phi * state[i] + sigma * noise.gaussian(stream, i, t));
                    block[s][i] = state[i];
                }
            }
            if (stateBefore.size() == b + 1) {
                stateBefore.add(state);
            }
        }
        blockIndex = target;
    }
}
