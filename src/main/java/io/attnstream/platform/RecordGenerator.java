package io.attnstream.platform;

import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;

/** A source of records to produce, e.g. a simulator or a dataset replay. */
public interface RecordGenerator {
    /**
     * The next record, or empty when the generator is exhausted (a finished replay).
     *
     * @param nowMillis wall-clock time the record will be sent at
     */
    Optional<ProducerRecord<byte[], byte[]>> next(long nowMillis);

    /**
     * When the next record is due, in wall-clock ms; generators pacing themselves (replays)
     * override it.
     */
    default long dueAtMillis(long nowMillis) {
        return nowMillis;
    }
}
