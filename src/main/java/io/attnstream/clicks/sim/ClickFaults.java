package io.attnstream.clicks.sim;

import io.attnstream.schema.ClickEvent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Fault injection for a stream of click events, deterministic from a seed. Each event offered is,
 * with the configured rates (all 0 by default):
 *
 * <ul>
 *   <li>{@value #DUPLICATE}: sent, and sent again unchanged (same event_id) after 1-5 later events,
 *       as a producer retry would;
 *   <li>{@value #UNKNOWN_EVENT_TYPE}: sent as bytes whose event_type is a symbol this schema does
 *       not have ({@link ClickEventBytes#UNKNOWN_SYMBOL}), so they fail to decode;
 *   <li>{@value #MALFORMED_ID}: sent with an empty user_id or (alternately) an empty item_id;
 *   <li>{@value #UNDECODABLE}: sent as truncated bytes;
 *   <li>{@value #UNKNOWN_ITEM}: sent with an item id not in any catalogue ({@value
 *       #UNKNOWN_ITEM_PREFIX} + n), a valid record the model must map to OOV.
 * </ul>
 *
 * {@link #injected()} counts what went out per kind; a duplicate counts when its second copy is
 * sent.
 */
public final class ClickFaults {
    public static final String DUPLICATE = "duplicate";
    public static final String UNKNOWN_EVENT_TYPE = "unknown_event_type";
    public static final String MALFORMED_ID = "malformed_id";
    public static final String UNDECODABLE = "undecodable";
    public static final String UNKNOWN_ITEM = "unknown_item";
    public static final List<String> KINDS =
            List.of(DUPLICATE, UNKNOWN_EVENT_TYPE, MALFORMED_ID, UNDECODABLE, UNKNOWN_ITEM);
    public static final String UNKNOWN_ITEM_PREFIX = "unknown-item-";
    static final int MAX_DUPLICATE_DELAY = 5;

    /** How an emission is put on the wire. */
    public enum Encoding {
        /** A valid ClickEvent. */
        AVRO,
        /** The event with an event_type symbol the schema does not know. */
        UNKNOWN_EVENT_TYPE,
        /** The event's bytes cut short. */
        TRUNCATED
    }

    /** What to send: an event and how to encode it. */
    public record Emission(ClickEvent event, Encoding encoding) {}

    private static final class Held {
        final ClickEvent event;
        int passesLeft;

        Held(ClickEvent event, int passesLeft) {
            this.event = event;
            this.passesLeft = passesLeft;
        }
    }

    private final double duplicateRate;
    private final double unknownTypeRate;
    private final double malformedIdRate;
    private final double undecodableRate;
    private final double unknownItemRate;
    private final SplittableRandom random;
    private final Map<String, Long> injected = new LinkedHashMap<>();
    private final List<Held> duplicates = new ArrayList<>();
    private long malformedCount;

    private ClickFaults(Builder b) {
        this.duplicateRate = b.duplicateRate;
        this.unknownTypeRate = b.unknownTypeRate;
        this.malformedIdRate = b.malformedIdRate;
        this.undecodableRate = b.undecodableRate;
        this.unknownItemRate = b.unknownItemRate;
        this.random = new SplittableRandom(b.seed);
        for (String kind : KINDS) {
            injected.put(kind, 0L);
        }
    }

    /** No faults: every event passes unchanged. */
    public static ClickFaults none() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Offers the next event; returns what to send now, in order (the event, or its faulty form,
     * then any due re-sends).
     */
    public List<Emission> offer(ClickEvent e) {
        List<Emission> out = new ArrayList<>(2);
        double u = random.nextDouble();
        double t = duplicateRate;
        if (u < t) {
            out.add(new Emission(e, Encoding.AVRO));
            releaseDue(out);
            duplicates.add(
                    new Held(
                            e,
                            // the copy waits for later events
                            1 + random.nextInt(MAX_DUPLICATE_DELAY)));
            return out;
        } else if (u < (t += unknownTypeRate)) {
            count(UNKNOWN_EVENT_TYPE);
            out.add(new Emission(e, Encoding.UNKNOWN_EVENT_TYPE));
        } else if (u < (t += malformedIdRate)) {
            count(MALFORMED_ID);
            ClickEvent.Builder b = ClickEvent.newBuilder(e);
            if (malformedCount++ % 2 == 0) {
                b.setUserId("");
            } else {
                b.setItemId("");
            }
            out.add(new Emission(b.build(), Encoding.AVRO));
        } else if (u < (t += undecodableRate)) {
            count(UNDECODABLE);
            out.add(new Emission(e, Encoding.TRUNCATED));
        } else if (u < t + unknownItemRate) {
            long n = count(UNKNOWN_ITEM);
            out.add(
                    new Emission(
                            ClickEvent.newBuilder(e).setItemId(UNKNOWN_ITEM_PREFIX + n).build(),
                            Encoding.AVRO));
        } else {
            out.add(new Emission(e, Encoding.AVRO));
        }
        releaseDue(out);
        return out;
    }

    /** Sends every copy still held back (the end of a finite stream). */
    public List<Emission> flush() {
        List<Emission> out = new ArrayList<>(duplicates.size());
        for (Held h : duplicates) {
            count(DUPLICATE);
            out.add(new Emission(h.event, Encoding.AVRO));
        }
        duplicates.clear();
        return out;
    }

    /** Count per kind of fault sent so far, every kind present (0 if none). */
    public Map<String, Long> injected() {
        return new LinkedHashMap<>(injected);
    }

    private void releaseDue(List<Emission> out) {
        for (Iterator<Held> it = duplicates.iterator(); it.hasNext(); ) {
            Held h = it.next();
            if (--h.passesLeft <= 0) {
                it.remove();
                count(DUPLICATE);
                out.add(new Emission(h.event, Encoding.AVRO));
            }
        }
    }

    private long count(String kind) {
        return injected.merge(kind, 1L, Long::sum);
    }

    /** Fault rates (probabilities per event, summing to at most 1) and the seed. */
    public static final class Builder {
        private long seed;
        private double duplicateRate;
        private double unknownTypeRate;
        private double malformedIdRate;
        private double undecodableRate;
        private double unknownItemRate;

        private Builder() {}

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder duplicates(double rate) {
            this.duplicateRate = rate;
            return this;
        }

        public Builder unknownEventType(double rate) {
            this.unknownTypeRate = rate;
            return this;
        }

        public Builder malformedIds(double rate) {
            this.malformedIdRate = rate;
            return this;
        }

        public Builder undecodable(double rate) {
            this.undecodableRate = rate;
            return this;
        }

        public Builder unknownItems(double rate) {
            this.unknownItemRate = rate;
            return this;
        }

        public ClickFaults build() {
            double[] rates = {
                duplicateRate, unknownTypeRate, malformedIdRate, undecodableRate, unknownItemRate
            };
            double sum = 0;
            for (double rate : rates) {
                if (!(rate >= 0 && rate <= 1)) {
                    throw new IllegalArgumentException(
                            "fault rates must be in [0, 1], got " + rate);
                }
                sum += rate;
            }
            if (sum > 1) {
                throw new IllegalArgumentException("fault rates add up to more than 1");
            }
            return new ClickFaults(this);
        }
    }
}
