package io.attnstream.training;

import ai.djl.training.tracker.Tracker;

/**
 * A learning rate that is cut when validation stops improving (what PyTorch's {@code
 * ReduceLROnPlateau} does): after {@code patience} validations without a new best, the rate is
 * multiplied by {@code factor}, down to {@code minimum}. The optimizer reads it on every update,
 * the training loop reports each validation. {@code patience} 0 keeps the rate fixed.
 */
public final class PlateauRate implements Tracker {
    private final int patience;
    private final float factor;
    private final float minimum;
    private volatile float rate;
    private int sinceBest;

    public PlateauRate(float initial, int patience, float factor, float minimum) {
        if (!(initial > 0) || patience < 0 || !(factor > 0 && factor < 1) || !(minimum > 0)) {
            throw new IllegalArgumentException(
                    "need initial > 0, patience >= 0, factor in (0, 1), minimum > 0; got "
                            + initial
                            + ", "
                            + patience
                            + ", "
                            + factor
                            + ", "
                            + minimum);
        }
        this.rate = initial;
        this.patience = patience;
        this.factor = factor;
        this.minimum = Math.min(minimum, initial);
    }

    @Override
    public float getNewValue(int numUpdate) {
        return rate;
    }

    /** The current rate. */
    public float rate() {
        return rate;
    }

    /**
     * Reports one validation.
     *
     * @return true if the rate was cut
     */
    public boolean validated(boolean improved) {
        if (improved || patience == 0) {
            sinceBest = 0;
            return false;
        }
        if (++sinceBest < patience || rate <= minimum) {
            return false;
        }
        sinceBest = 0;
        rate = Math.max(minimum, rate * factor);
        return true;
    }
}
