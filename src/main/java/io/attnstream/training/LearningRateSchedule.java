package io.attnstream.training;

import ai.djl.training.tracker.Tracker;

/**
 * Linear warm-up, then cosine decay to a floor, driven by training progress in [0, 1] rather than
 * by the update count alone: with a time budget the trainer passes the larger of the share of
 * epochs done and the share of time used, so the rate reaches its floor when the budget runs out
 * and the last epochs, whose parameters are kept, are the stable ones.
 *
 * <pre>
 *   rate = min(1, (step + 1) / warmup) * (floor + (peak - floor) (1 + cos(pi progress)) / 2)
 * </pre>
 *
 * Adam asks for the rate once per parameter per step ({@link #getNewValue}); the trainer sets it
 * once per step ({@link #update}), so all parameters of a step share one rate.
 */
public final class LearningRateSchedule implements Tracker {
    private final float peak;
    private final float floor;
    private final int warmupSteps;
    private volatile float current;

    /**
     * @param peak the rate after warm-up
     * @param floor the rate at progress 1 (at most {@code peak})
     * @param warmupSteps steps of linear warm-up (0 = none)
     */
    public LearningRateSchedule(float peak, float floor, int warmupSteps) {
        if (!(peak > 0) || !(floor >= 0) || floor > peak || warmupSteps < 0) {
            throw new IllegalArgumentException(
                    "learning rates need 0 <= floor <= peak, peak > 0 and warm-up >= 0, got"
                            + " peak "
                            + peak
                            + ", floor "
                            + floor
                            + ", warm-up "
                            + warmupSteps);
        }
        this.peak = peak;
        this.floor = floor;
        this.warmupSteps = warmupSteps;
        this.current = rate(0, 0);
    }

    /** The rate at a step (0-based) and progress (clamped to [0, 1]). */
    public float rate(int step, double progress) {
        double p = Math.min(1, Math.max(0, progress));
        double cosine = floor + (peak - floor) * (1 + Math.cos(Math.PI * p)) / 2;
        double warm = warmupSteps == 0 ? 1 : Math.min(1, (step + 1.0) / warmupSteps);
        return (float) (warm * cosine);
    }

    /** Sets the rate the next optimiser step uses; returns it. */
    public float update(int step, double progress) {
        current = rate(step, progress);
        return current;
    }

    public float current() {
        return current;
    }

    @Override
    public float getNewValue(int numUpdate) {
        return current;
    }
}
