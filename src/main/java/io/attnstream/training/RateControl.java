package io.attnstream.training;

/**
 * How the learning rate follows the run, for a rate tracker the optimizer reads on every update:
 * told before each step how far the run is (warm-up and cosine schedules) and after each validation
 * whether it improved (plateau cuts). Both default to nothing: a fixed rate.
 */
public interface RateControl {
    RateControl FIXED = new RateControl() {};

    /**
     * Before step {@code step} (0-based over the run); {@code done} in [0, 1] is the larger of the
     * steps' share of the epoch budget and the time's share of the time budget.
     */
    default void beforeStep(long step, double done) {}

    /** After each validation of epoch {@code epoch}. */
    default void validated(int epoch, boolean improved) {}
}
