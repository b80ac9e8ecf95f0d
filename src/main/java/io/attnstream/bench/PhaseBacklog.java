package io.attnstream.bench;

/**
 * How many clicks a throughput phase of {@code bench sequence} queues: at least {@code --records},
 * and enough to keep the job busy for {@link #MIN_SECONDS} at the rate expected of it (the untimed
 * warm-up run of the same job shape, or for the model's job the lower of the null-model job's and
 * the raw loop's rates). With a fixed 40,000 the fast phases ended in a fraction of a second (the
 * standard stand-in's skeleton: 0.24 s), a steady window of a few scheduler ticks of thread CPU,
 * and the latency phase's rate, half of (b)'s, came from a (b) still JIT-compiling.
 */
final class PhaseBacklog {
    /** Least duration of a phase at its expected rate. */
    static final int MIN_SECONDS = 10;

    /** Most clicks queued for one phase (a few hundred MB of broker log). */
    static final int MAX_RECORDS = 2_000_000;

    private PhaseBacklog() {}

    static int size(double expectedRate, int atLeast) {
        if (!(expectedRate > 0)
                || Double.isInfinite(expectedRate)) { // no estimate: the user's count
            return atLeast;
        }
        long wanted = (long) Math.ceil(expectedRate * MIN_SECONDS);
        return (int) Math.max(atLeast, Math.min(MAX_RECORDS, wanted));
    }
}
