package io.attnstream.video;

import java.util.function.LongSupplier;

/**
 * A nanosecond clock for time-budget tests that moves forward a fixed tick at every reading, so
 * that where a budget runs out depends on how often the code under test reads the clock, not on how
 * loaded the machine is.
 */
public final class TickingClock implements LongSupplier {
    private final long tickNanos;
    private long now;

    public TickingClock(long tickMillis) {
        this.tickNanos = tickMillis * 1_000_000L;
    }

    @Override
    public long getAsLong() {
        now += tickNanos;
        return now;
    }
}
