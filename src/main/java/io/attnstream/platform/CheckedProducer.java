package io.attnstream.platform;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A byte-array producer that checks every send: acknowledged and failed sends are counted and the
 * first failure is kept, so a lost record is an error, not silence. Idempotent with acks=all.
 */
public final class CheckedProducer implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> firstError = new AtomicReference<>();
    private volatile long firstAckMillis = -1;
    private volatile long lastAckMillis = -1;

    public CheckedProducer(KafkaSettings kafka, String clientId) {
        this(kafka.clientProperties(), clientId);
    }

    /**
     * For benchmark backlogs: not idempotent, one request in flight, so a retried batch is appended
     * again instead of being refused. On a heavily loaded machine the in-process broker has refused
     * an idempotent producer's retry of a partition's first batch with {@code
     * OutOfOrderSequenceException} until the delivery timeout, which aborted the benchmark. A rare
     * duplicate is harmless there: the jobs recognise re-delivered event ids.
     */
    public static CheckedProducer forBacklog(KafkaSettings kafka, String clientId) {
        Properties p = kafka.clientProperties();
        p.putIfAbsent("enable.idempotence", "false");
        p.putIfAbsent("max.in.flight.requests.per.connection", "1");
        return new CheckedProducer(p, clientId);
    }

    private CheckedProducer(Properties p, String clientId) {
        p.putIfAbsent("client.id", clientId);
        p.putIfAbsent("acks", "all");
        p.putIfAbsent("enable.idempotence", "true");
        p.putIfAbsent("linger.ms", "5");
        p.putIfAbsent("delivery.timeout.ms", "60000");
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public void send(ProducerRecord<byte[], byte[]> record) {
        producer.send(
                record,
                (meta, e) -> {
                    if (e == null) {
                        long now = System.currentTimeMillis();
                        if (acked.getAndIncrement() == 0) {
                            firstAckMillis = now;
                        }
                        lastAckMillis = now;
                    } else {
                        failed.incrementAndGet();
                        firstError.compareAndSet(null, e);
                    }
                });
    }

    /** Waits for every send so far; throws if any failed. */
    public void flushAndCheck() {
        producer.flush();
        Exception e = firstError.get();
        if (e != null) {
            throw new AttnstreamException(
                    failed.get() + " record(s) could not be written to Kafka: " + e.getMessage(),
                    e);
        }
    }

    public long acked() {
        return acked.get();
    }

    public long firstAckMillis() {
        return firstAckMillis;
    }

    public long lastAckMillis() {
        return lastAckMillis;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
