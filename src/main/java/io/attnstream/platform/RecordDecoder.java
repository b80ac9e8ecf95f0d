package io.attnstream.platform;

import io.attnstream.schema.FailureStage;
import java.io.IOException;
import java.io.Serializable;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * Decodes one Kafka record's bytes into an Avro record and validates it; never throws. A record
 * that does not decode (stage DECODE) or fails validation (stage VALIDATE) comes back as a dead
 * letter with the reason, the bytes and their coordinates. Shared by the decoding source ({@link
 * DecodingDeserializer}) and {@link DecodeFunction}, so both reject the same records with the same
 * reasons.
 *
 * <p>Not thread-safe (the codec reuses its decoder): each source reader or subtask has its own
 * deserialised copy.
 */
public final class RecordDecoder<T extends SpecificRecord> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String job;
    private final AvroCodec<T> codec;
    private final RecordValidator<T> validator;

    public RecordDecoder(String job, Class<T> type, RecordValidator<T> validator) {
        this.job = job;
        this.codec = AvroCodec.of(type);
        this.validator = validator;
    }

    public Class<T> type() {
        return codec.type();
    }

    public Decoded<T> decode(
            String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
        T decoded;
        try {
            decoded = codec.decode(value);
        } catch (IOException e) {
            return reject(
                    FailureStage.DECODE,
                    "not a valid " + codec.type().getSimpleName() + ": " + e.getMessage(),
                    e,
                    topic,
                    partition,
                    offset,
                    timestamp,
                    key,
                    value);
        }
        Optional<String> problem;
        try {
            problem = validator.problem(decoded);
        } catch (RuntimeException e) {
            // A validator that trips over a strange value is still a bad record, not a job failure.
            problem = Optional.of("validation failed: " + e);
        }
        if (problem.isPresent()) {
            return reject(
                    FailureStage.VALIDATE,
                    problem.get(),
                    null,
                    topic,
                    partition,
                    offset,
                    timestamp,
                    key,
                    value);
        }
        return Decoded.valid(decoded, topic, partition, offset, timestamp);
    }

    private Decoded<T> reject(
            FailureStage stage,
            String reason,
            Throwable error,
            String topic,
            int partition,
            long offset,
            long timestamp,
            byte[] key,
            byte[] value) {
        RawRecord raw = new RawRecord(topic, partition, offset, timestamp, key, value);
        return Decoded.rejected(
                DeadLetters.of(job, stage, reason, error, raw),
                topic,
                partition,
                offset,
                timestamp);
    }
}
