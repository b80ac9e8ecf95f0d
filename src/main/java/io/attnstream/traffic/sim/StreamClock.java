package io.attnstream.traffic.sim;

/**
 * Maps the steps of a reading stream to event times and event times to wall-clock due times.
 *
 * <ul>
 *   <li>{@link #historical}: step k starts at {@code start + k * step}; readings are due {@code
 *       (eventTime - start) / speedup} after the stream started (speedup 0 = at once).
 *   <li>{@link #live}: the event clock is the wall clock, so end-to-end latency can be measured
 *       from event_time. Steps are {@code step / speedup} long in event time (60x: 5-min steps
 *       become 5 s) and aligned to that length; step 0 is the one containing the moment the stream
 *       starts.
 * </ul>
 */
public abstract sealed class StreamClock {
    private final long stepMillis;

    private StreamClock(long stepMillis) {
        if (stepMillis < 1) {
            throw new IllegalArgumentException(
                    "the event-time step must be >= 1 ms, got " + stepMillis);
        }
        this.stepMillis = stepMillis;
    }

    public static StreamClock historical(long startMillis, int stepSeconds, double speedup) {
        return new Historical(startMillis, stepSeconds * 1000L, speedup);
    }

    public static StreamClock live(int stepSeconds, double speedup) {
        if (!(speedup > 0)) {
            throw new IllegalArgumentException("a live clock needs a speedup > 0, got " + speedup);
        }
        return new Live(Math.round(stepSeconds * 1000.0 / speedup));
    }

    /** Length of one step in event time. */
    public long stepMillis() {
        return stepMillis;
    }

    /** Called once, with the wall clock of the first record. */
    abstract void start(long wallMillis);

    abstract long eventStartMillis(long step);

    abstract long dueMillis(long eventMillis);

    private static final class Historical extends StreamClock {
        private final long startMillis;
        private final double speedup;
        private long wallStart;

        Historical(long startMillis, long stepMillis, double speedup) {
            super(stepMillis);
            this.startMillis = startMillis;
            this.speedup = speedup;
        }

        @Override
        void start(long wallMillis) {
            wallStart = wallMillis;
        }

        @Override
        long eventStartMillis(long step) {
            return startMillis + step * stepMillis();
        }

        @Override
        long dueMillis(long eventMillis) {
            if (speedup <= 0) {
                return Long.MIN_VALUE;
            }
            return wallStart + (long) ((eventMillis - startMillis) / speedup);
        }
    }

    private static final class Live extends StreamClock {
        private long startMillis;

        Live(long stepMillis) {
            super(stepMillis);
        }

        @Override
        void start(long wallMillis) {
            startMillis = Math.floorDiv(wallMillis, stepMillis()) * stepMillis();
        }

        @Override
        long eventStartMillis(long step) {
            return startMillis + step * stepMillis();
        }

        @Override
        long dueMillis(long eventMillis) {
            return eventMillis; // emitted when it happens: the wall clock is the event clock
        }
    }
}
