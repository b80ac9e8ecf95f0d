package io.attnstream.platform;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends a generator's records at a target rate (or at the generator's own pace) until the duration
 * is over, the generator is exhausted or {@link #stop()} is called. Runs in the calling thread.
 */
public final class ProducerLoop {
    private final CheckedProducer producer;
    private final RecordGenerator generator;
    private final double recordsPerSecond;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile long sent;

    /**
     * @param recordsPerSecond 0 or less: as fast as the generator's own pacing allows
     */
    public ProducerLoop(
            CheckedProducer producer, RecordGenerator generator, double recordsPerSecond) {
        this.producer = producer;
        this.generator = generator;
        this.recordsPerSecond = recordsPerSecond;
    }

    /**
     * @param duration null to run until stopped or exhausted
     */
    public long run(Duration duration) {
        long start = System.nanoTime();
        long end = duration == null ? Long.MAX_VALUE : start + duration.toNanos();
        double nanosPerRecord = recordsPerSecond > 0 ? 1e9 / recordsPerSecond : 0;
        while (!stopped.get() && System.nanoTime() < end) {
            long now = System.currentTimeMillis();
            long due = generator.dueAtMillis(now);
            if (due > now) {
                LockSupport.parkNanos(Math.min(due - now, 200) * 1_000_000L);
                continue;
            }
            Optional<ProducerRecord<byte[], byte[]>> next = generator.next(now);
            if (next.isEmpty()) {
                break;
            }
            producer.send(next.get());
            sent++;
            if (nanosPerRecord > 0) {
                long target = start + (long) (sent * nanosPerRecord);
                long wait = target - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
        }
        producer.flushAndCheck();
        return sent;
    }

    public void stop() {
        stopped.set(true);
    }
}
