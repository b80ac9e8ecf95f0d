package io.attnstream.platform;

import io.attnstream.schema.DeadLetter;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * What a decoding Kafka source emits per record ({@link DecodingDeserializer}): either the decoded,
 * validated value or the dead letter that says why there is none, with the record's Kafka
 * coordinates and timestamp. Bad records stay data: the envelope never fails, and {@link
 * DeadLetterRouter} sends its dead letter to the side output. A Flink POJO whose value and dead
 * letter are serialised with Avro (see {@link #typeInfo}).
 */
public class Decoded<T> {
    /** The decoded, validated value; null when {@link #deadLetter} is set. */
    public T value;

    /** Why the record was rejected (stage DECODE or VALIDATE); null when {@link #value} is set. */
    public DeadLetter deadLetter;

    public String topic;
    public int partition;
    public long offset;

    /** Kafka record timestamp in epoch ms, or -1 when the record had none. */
    public long timestamp;

    public Decoded() {}

    static <T> Decoded<T> valid(T value, String topic, int partition, long offset, long timestamp) {
        return of(value, null, topic, partition, offset, timestamp);
    }

    static <T> Decoded<T> rejected(
            DeadLetter deadLetter, String topic, int partition, long offset, long timestamp) {
        return of(null, deadLetter, topic, partition, offset, timestamp);
    }

    private static <T> Decoded<T> of(
            T value,
            DeadLetter deadLetter,
            String topic,
            int partition,
            long offset,
            long timestamp) {
        Decoded<T> d = new Decoded<>();
        d.value = value;
        d.deadLetter = deadLetter;
        d.topic = topic;
        d.partition = partition;
        d.offset = offset;
        d.timestamp = timestamp;
        return d;
    }

    public boolean isValid() {
        return deadLetter == null;
    }

    /** The value with its lineage, as the operators after the source take it. */
    public Sourced<T> sourced() {
        return new Sourced<>(value, topic, partition, offset);
    }

    /**
     * Type information with the value and the dead letter as Avro types, so Flink never falls back
     * to Kryo.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <T extends SpecificRecordBase> TypeInformation<Decoded<T>> typeInfo(
            Class<T> valueType) {
        return (TypeInformation)
                Types.POJO(
                        Decoded.class,
                        Map.of(
                                "value", new AvroTypeInfo<>(valueType),
                                "deadLetter", new AvroTypeInfo<>(DeadLetter.class),
                                "topic", Types.STRING,
                                "partition", Types.INT,
                                "offset", Types.LONG,
                                "timestamp", Types.LONG));
    }

    @Override
    public String toString() {
        return topic
                + "-"
                + partition
                + "@"
                + offset
                + ":"
                + (isValid() ? value : deadLetter.getStage() + " " + deadLetter.getReason());
    }
}
