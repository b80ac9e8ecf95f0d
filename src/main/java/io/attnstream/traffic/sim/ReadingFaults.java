package io.attnstream.traffic.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Fault injection for a stream of readings, deterministic from a seed. Each reading offered is,
 * with the configured rates (all 0 by default):
 *
 * <ul>
 *   <li>{@value #MISSING}: dropped;
 *   <li>invalid: replaced by a bad record, cycling through NaN speed, negative speed, speed above
 *       200 mph, unknown sensor id {@value #UNKNOWN_SENSOR} and undecodable bytes;
 *   <li>{@value #LATE}: held back until readings at least {@code lateBy} newer in event time have
 *       gone out, so it arrives behind any allowed lateness shorter than that;
 *   <li>{@value #OUT_OF_ORDER}: held back for 1-3 later readings, but never past one more than
 *       {@code bound} newer in event time.
 * </ul>
 *
 * {@link #injected()} counts what really happened per kind: a held-back reading counts as out of
 * order only if a newer reading overtook it, and as late only if it went out at least {@code
 * lateBy} behind the newest.
 */
public final class ReadingFaults {
    public static final String OUT_OF_ORDER = "out_of_order";
    public static final String LATE = "late";
    public static final String MISSING = "missing";
    public static final String INVALID_NAN = "invalid_nan_speed";
    public static final String INVALID_NEGATIVE = "invalid_negative_speed";
    public static final String INVALID_TOO_FAST = "invalid_speed_above_200";
    public static final String INVALID_UNKNOWN_SENSOR = "invalid_unknown_sensor";
    public static final String INVALID_UNDECODABLE = "invalid_undecodable";

    /** The invalid kinds, in the order they are injected. */
    public static final List<String> INVALID_KINDS =
            List.of(
                    INVALID_NAN,
                    INVALID_NEGATIVE,
                    INVALID_TOO_FAST,
                    INVALID_UNKNOWN_SENSOR,
                    INVALID_UNDECODABLE);

    public static final String UNKNOWN_SENSOR = "x999";

    /** A reading before faults. */
    public record Reading(String sensorId, long eventMillis, float speedMph) {}

    /** What to send: a reading, or (if {@code undecodable}) bytes that will not decode. */
    public record Emission(String sensorId, long eventMillis, float speedMph, boolean undecodable) {
        static Emission of(Reading r) {
            return new Emission(r.sensorId(), r.eventMillis(), r.speedMph(), false);
        }
    }

    private static final class Held {
        final Reading reading;
        int passesLeft;
        boolean overtaken;

        Held(Reading reading, int passesLeft) {
            this.reading = reading;
            this.passesLeft = passesLeft;
        }
    }

    private final double missingRate;
    private final double invalidRate;
    private final double lateRate;
    private final long lateByMillis;
    private final double outOfOrderRate;
    private final long outOfOrderBoundMillis;
    private final SplittableRandom random;
    private final Map<String, Long> injected = new LinkedHashMap<>();
    private final List<Held> outOfOrder = new ArrayList<>();
    private final List<Held> late = new ArrayList<>();
    private long invalidCount;
    private long newestEmitted = Long.MIN_VALUE;

    private ReadingFaults(Builder b) {
        this.missingRate = b.missingRate;
        this.invalidRate = b.invalidRate;
        this.lateRate = b.lateRate;
        this.lateByMillis = b.lateBy.toMillis();
        this.outOfOrderRate = b.outOfOrderRate;
        this.outOfOrderBoundMillis = b.outOfOrderBound.toMillis();
        this.random = new SplittableRandom(b.seed);
        for (String kind : List.of(OUT_OF_ORDER, LATE, MISSING)) {
            injected.put(kind, 0L);
        }
        for (String kind : INVALID_KINDS) {
            injected.put(kind, 0L);
        }
    }

    /** No faults: every reading passes unchanged. */
    public static ReadingFaults none() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Offers the next reading (in event-time order).
     *
     * @return what to send now, in order: possibly nothing, possibly earlier readings released with
     *     it
     */
    public List<Emission> offer(Reading r) {
        List<Emission> out = new ArrayList<>(2);
        // Held readings must not fall further behind than their bound: release them before this
        // one.
        for (Iterator<Held> it = outOfOrder.iterator(); it.hasNext(); ) {
            Held h = it.next();
            if (r.eventMillis() > h.reading.eventMillis() + outOfOrderBoundMillis) {
                it.remove();
                release(h, out);
            }
        }
        double u = random.nextDouble();
        if (u < missingRate) {
            count(MISSING);
        } else if (u < missingRate + invalidRate) {
            emit(invalid(r), out);
        } else if (u < missingRate + invalidRate + lateRate) {
            late.add(new Held(r, 0));
        } else if (u < missingRate + invalidRate + lateRate + outOfOrderRate) {
            outOfOrder.add(new Held(r, 1 + random.nextInt(3)));
        } else {
            emit(Emission.of(r), out);
        }
        return out;
    }

    /** Releases everything still held back (the end of a finite stream). */
    public List<Emission> flush() {
        List<Emission> out = new ArrayList<>();
        List<Held> held = new ArrayList<>(outOfOrder);
        held.addAll(late);
        outOfOrder.clear();
        late.clear();
        held.sort((a, b) -> Long.compare(a.reading.eventMillis(), b.reading.eventMillis()));
        for (Held h : held) {
            release(h, out);
        }
        return out;
    }

    /** Count per kind of fault injected so far, every kind present (0 if none). */
    public Map<String, Long> injected() {
        return new LinkedHashMap<>(injected);
    }

    /** All invalid kinds together. */
    public long injectedInvalid() {
        return INVALID_KINDS.stream().mapToLong(injected::get).sum();
    }

    private void emit(Emission e, List<Emission> out) {
        out.add(e);
        newestEmitted = Math.max(newestEmitted, e.eventMillis());
        List<Held> ready = new ArrayList<>();
        for (Iterator<Held> it = outOfOrder.iterator(); it.hasNext(); ) {
            Held h = it.next();
            if (e.eventMillis() > h.reading.eventMillis()) {
                h.overtaken = true;
                if (--h.passesLeft <= 0) {
                    it.remove();
                    ready.add(h);
                }
            }
        }
        for (Iterator<Held> it = late.iterator(); it.hasNext(); ) {
            Held h = it.next();
            h.overtaken |= e.eventMillis() > h.reading.eventMillis();
            if (newestEmitted - h.reading.eventMillis() >= lateByMillis) {
                it.remove();
                ready.add(h);
            }
        }
        for (Held h : ready) {
            release(h, out);
        }
    }

    private void release(Held h, List<Emission> out) {
        long behind = newestEmitted == Long.MIN_VALUE ? 0 : newestEmitted - h.reading.eventMillis();
        if (h.overtaken && behind >= lateByMillis) {
            count(LATE);
        } else if (h.overtaken) {
            count(OUT_OF_ORDER);
        }
        out.add(Emission.of(h.reading));
    }

    private Emission invalid(Reading r) {
        String kind = INVALID_KINDS.get((int) (invalidCount++ % INVALID_KINDS.size()));
        count(kind);
        return switch (kind) {
            case INVALID_NAN -> new Emission(r.sensorId(), r.eventMillis(), Float.NaN, false);
            case INVALID_NEGATIVE -> new Emission(r.sensorId(), r.eventMillis(), -5f, false);
            case INVALID_TOO_FAST -> new Emission(r.sensorId(), r.eventMillis(), 250f, false);
            case INVALID_UNKNOWN_SENSOR ->
                    new Emission(UNKNOWN_SENSOR, r.eventMillis(), r.speedMph(), false);
            default -> new Emission(r.sensorId(), r.eventMillis(), r.speedMph(), true);
        };
    }

    private void count(String kind) {
        injected.merge(kind, 1L, Long::sum);
    }

    /** Fault rates (probabilities per reading, summing to at most 1) and the seed. */
    public static final class Builder {
        private long seed;
        private double missingRate;
        private double invalidRate;
        private double lateRate;
        private Duration lateBy = Duration.ofMinutes(15);
        private double outOfOrderRate;
        private Duration outOfOrderBound = Duration.ofMinutes(2);

        private Builder() {}

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder missing(double rate) {
            this.missingRate = rate;
            return this;
        }

        public Builder invalid(double rate) {
            this.invalidRate = rate;
            return this;
        }

        /**
         * @param lateBy how far behind the newest reading (in event time) a late reading arrives;
         *     default 15 min
         */
        public Builder late(double rate, Duration lateBy) {
            this.lateRate = rate;
            this.lateBy = lateBy;
            return this;
        }

        /**
         * @param bound the most a reading may be overtaken by, in event time; default 2 min
         */
        public Builder outOfOrder(double rate, Duration bound) {
            this.outOfOrderRate = rate;
            this.outOfOrderBound = bound;
            return this;
        }

        public ReadingFaults build() {
            for (double rate : new double[] {missingRate, invalidRate, lateRate, outOfOrderRate}) {
                if (!(rate >= 0 && rate <= 1)) {
                    throw new IllegalArgumentException(
                            "fault rates must be in [0, 1], got " + rate);
                }
            }
            if (missingRate + invalidRate + lateRate + outOfOrderRate > 1) {
                throw new IllegalArgumentException("fault rates add up to more than 1");
            }
            if (lateBy.isNegative() || lateBy.isZero() || outOfOrderBound.isNegative()) {
                throw new IllegalArgumentException(
                        "lateBy must be > 0 and the out-of-order bound >= 0");
            }
            return new ReadingFaults(this);
        }
    }
}
