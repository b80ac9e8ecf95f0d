package io.attnstream.platform;

import io.attnstream.schema.Lineage;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * A decoded, validated record together with the Kafka coordinates it came from, so every output can
 * name its input lineage. A Flink POJO whose value is serialised with Avro (see {@link #typeInfo}).
 */
public class Sourced<T> {
    public T value;
    public String topic;
    public int partition;
    public long offset;

    public Sourced() {}

    public Sourced(T value, String topic, int partition, long offset) {
        this.value = value;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
    }

    public static <T> Sourced<T> of(T value, RawRecord from) {
        return new Sourced<>(value, from.topic, from.partition, from.offset);
    }

    public Lineage lineage() {
        return new Lineage(topic, partition, offset);
    }

    /**
     * Type information with the value as an Avro type, so Flink never falls back to Kryo for it.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <T extends SpecificRecordBase> TypeInformation<Sourced<T>> typeInfo(
            Class<T> valueType) {
        return (TypeInformation)
                Types.POJO(
                        Sourced.class,
                        Map.of(
                                "value", new AvroTypeInfo<>(valueType),
                                "topic", Types.STRING,
                                "partition", Types.INT,
                                "offset", Types.LONG));
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset + ":" + value;
    }
}
