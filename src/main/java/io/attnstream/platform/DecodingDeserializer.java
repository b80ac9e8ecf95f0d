package io.attnstream.platform;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes and validates inside the Kafka source, one {@link Decoded} envelope per record, and never
 * throws: a deserializer that threw would make Flink restart at the same offset forever, so a bad
 * record becomes an envelope holding its dead letter instead. Decoding here rather than in an
 * operator after the source means the record's bytes are not copied into a {@link RawRecord} for
 * another operator, and event-time timestamps and watermarks can be assigned in the source, per
 * Kafka partition (see {@link DecodedWatermarks}).
 */
public final class DecodingDeserializer<T extends SpecificRecordBase>
        implements KafkaRecordDeserializationSchema<Decoded<T>> {
    private static final long serialVersionUID = 1L;

    private final RecordDecoder<T> decoder;

    public DecodingDeserializer(String job, Class<T> type, RecordValidator<T> validator) {
        this.decoder = new RecordDecoder<>(job, type, validator);
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        AvroTrust.install();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Decoded<T>> out) {
        out.collect(
                decoder.decode(
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.timestamp(),
                        record.key(),
                        record.value()));
    }

    @Override
    public TypeInformation<Decoded<T>> getProducedType() {
        return Decoded.typeInfo(decoder.type());
    }
}
