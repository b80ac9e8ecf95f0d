package io.attnstream.platform;

import static io.attnstream.testing.TrafficFixtures.reading;
import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.schema.DeadLetter;
import io.attnstream.schema.FailureStage;
import io.attnstream.schema.TrafficReading;
import io.attnstream.testing.TrafficFixtures;
import io.attnstream.traffic.job.TrafficReadingValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * The decoding source's deserializer: one envelope per Kafka record, whatever the bytes, and it
 * never throws.
 */
class DecodingDeserializerTest {
    private static final long KAFKA_TS = TrafficFixtures.T0.toEpochMilli() + 5_000;

    private final DecodingDeserializer<TrafficReading> deserializer =
            new DecodingDeserializer<>(
                    "traffic", TrafficReading.class, new TrafficReadingValidator());

    private static ConsumerRecord<byte[], byte[]> record(int partition, long offset, byte[] value) {
        return new ConsumerRecord<>(
                "traffic.readings",
                partition,
                offset,
                KAFKA_TS,
                TimestampType.CREATE_TIME,
                1,
                value == null ? -1 : value.length,
                "k".getBytes(),
                value,
                new RecordHeaders(),
                Optional.empty());
    }

    private Decoded<TrafficReading> deserialize(ConsumerRecord<byte[], byte[]> r) throws Exception {
        List<Decoded<TrafficReading>> out = new ArrayList<>();
        deserializer.deserialize(r, new ListCollector<>(out));
        assertThat(out).as("exactly one envelope per record").hasSize(1);
        return out.get(0);
    }

    @Test
    void validRecordBecomesAnEnvelopeWithItsValueAndCoordinates() throws Exception {
        TrafficReading r = reading("s1", 0, 61.5f);
        Decoded<TrafficReading> d = deserialize(record(1, 42, TrafficFixtures.bytes(r)));

        assertThat(d.isValid()).isTrue();
        assertThat(d.value).isEqualTo(r);
        assertThat(d.deadLetter).isNull();
        assertThat(d.topic).isEqualTo("traffic.readings");
        assertThat(d.partition).isEqualTo(1);
        assertThat(d.offset).isEqualTo(42L);
        assertThat(d.timestamp).isEqualTo(KAFKA_TS);
        Sourced<TrafficReading> s = d.sourced();
        assertThat(s.value).isSameAs(d.value);
        assertThat(s.lineage().getOffset()).isEqualTo(42L);
    }

    @Test
    void undecodableBytesBecomeADecodeDeadLetterWithPayloadAndCoordinates() throws Exception {
        byte[] bad = TrafficFixtures.truncated(reading("s1", 0, 61.5f));
        Decoded<TrafficReading> d = deserialize(record(0, 7, bad));

        assertThat(d.isValid()).isFalse();
        assertThat(d.value).isNull();
        assertThat(d.offset).isEqualTo(7L);
        DeadLetter dl = d.deadLetter;
        assertThat(dl.getStage()).isEqualTo(FailureStage.DECODE);
        assertThat(dl.getReason()).startsWith("not a valid TrafficReading: truncated");
        assertThat(dl.getErrorClass()).isEqualTo("java.io.IOException");
        assertThat(dl.getJob()).isEqualTo("traffic");
        assertThat(dl.getSourceTopic()).isEqualTo("traffic.readings");
        assertThat(dl.getSourcePartition()).isZero();
        assertThat(dl.getSourceOffset()).isEqualTo(7L);
        assertThat(dl.getSourceTimestamp().toEpochMilli()).isEqualTo(KAFKA_TS);
        assertThat(dl.getPayload().array()).isEqualTo(bad);
        assertThat(dl.getKey().array()).isEqualTo("k".getBytes());
    }

    @Test
    void failedValidationBecomesAValidateDeadLetterWithTheReason() throws Exception {
        Decoded<TrafficReading> d =
                deserialize(record(1, 3, TrafficFixtures.bytes(reading("s2", 0, 250f))));

        assertThat(d.isValid()).isFalse();
        assertThat(d.deadLetter.getStage()).isEqualTo(FailureStage.VALIDATE);
        assertThat(d.deadLetter.getReason()).contains("speed_mph 250.0");
        assertThat(d.deadLetter.getErrorClass()).isNull();
        assertThat(d.deadLetter.getSourcePartition()).isEqualTo(1);
        assertThat(d.deadLetter.getSourceOffset()).isEqualTo(3L);
    }

    @Test
    void nullPayloadIsADeadLetterNotAFailure() throws Exception {
        Decoded<TrafficReading> d = deserialize(record(0, 11, null));

        assertThat(d.deadLetter.getStage()).isEqualTo(FailureStage.DECODE);
        assertThat(d.deadLetter.getReason()).contains("null payload");
        assertThat(d.deadLetter.getPayload()).isNull();
    }

    @Test
    void validatorThatThrowsStillYieldsADeadLetter() throws Exception {
        DecodingDeserializer<TrafficReading> broken =
                new DecodingDeserializer<>(
                        "traffic",
                        TrafficReading.class,
                        r -> {
                            throw new IllegalStateException("boom");
                        });
        List<Decoded<TrafficReading>> out = new ArrayList<>();
        broken.deserialize(
                record(0, 1, TrafficFixtures.bytes(reading("s", 0, 50f))),
                new ListCollector<>(out));

        assertThat(out)
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.deadLetter.getStage()).isEqualTo(FailureStage.VALIDATE);
                            assertThat(d.deadLetter.getReason()).contains("boom");
                        });
    }

    @Test
    void producedTypeIsAPojoWithAvroFieldsNotKryo() {
        var type = deserializer.getProducedType();
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        var config = new SerializerConfigImpl();
        config.setGenericTypes(false); // as the jobs run: a Kryo fallback would throw here
        assertThat(type.createSerializer(config)).isInstanceOf(PojoSerializer.class);
        var pojo = (PojoTypeInfo<?>) type;
        assertThat(pojo.getTypeAt("value")).isInstanceOf(AvroTypeInfo.class);
        assertThat(pojo.getTypeAt("deadLetter")).isInstanceOf(AvroTypeInfo.class);
    }
}
