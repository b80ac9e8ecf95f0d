package io.attnstream.platform;

import java.util.ArrayDeque;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A generator whose items carry their own due time (a replay paced by event time, a simulator paced
 * by its rate): subclasses turn their source into items with {@link #enqueue}, this class hands
 * them out in order when due. The first call starts the clock ({@link #onStart}).
 *
 * @param <E> one item waiting to be sent, e.g. a fault injector's emission
 */
public abstract class PacedRecordGenerator<E> implements RecordGenerator {
    private record Pending<E>(E item, long dueMillis) {}

    private final ArrayDeque<Pending<E>> pending = new ArrayDeque<>();
    private boolean started;
    private long emitted;

    /** Called once, with the wall clock of the first call. */
    protected abstract void onStart(long nowMillis);

    /**
     * Enqueues at least one item, or nothing once the source (and anything held back) is exhausted.
     * Called only when nothing is pending.
     */
    protected abstract void refill();

    /** The Kafka record of an item. */
    protected abstract ProducerRecord<byte[], byte[]> record(E item);

    /**
     * @param dueMillis wall-clock time to send it; {@code Long.MIN_VALUE} for "at once"
     */
    protected final void enqueue(E item, long dueMillis) {
        pending.add(new Pending<>(item, dueMillis));
    }

    /** Records returned by {@link #next} so far. */
    public long emitted() {
        return emitted;
    }

    @Override
    public final long dueAtMillis(long nowMillis) {
        prepare(nowMillis);
        // Exhausted: "due now", so the caller asks next() and learns the stream has ended.
        return pending.isEmpty() ? nowMillis : pending.peek().dueMillis();
    }

    @Override
    public final Optional<ProducerRecord<byte[], byte[]>> next(long nowMillis) {
        prepare(nowMillis);
        Pending<E> p = pending.poll();
        if (p == null) {
            return Optional.empty();
        }
        emitted++;
        return Optional.of(record(p.item()));
    }

    private void prepare(long nowMillis) {
        if (!started) {
            started = true;
            onStart(nowMillis);
        }
        if (pending.isEmpty()) {
            refill();
        }
    }
}
