package io.attnstream.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.schema.DeadLetter;
import io.attnstream.schema.TrafficReading;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AvroCodecTest {
    private final AvroCodec<TrafficReading> codec = AvroCodec.of(TrafficReading.class);

    @Test
    void validRecordDecodesToEqualRecord() throws IOException {
        TrafficReading reading = SchemaFixtures.trafficReading();

        TrafficReading decoded = codec.decode(codec.encode(reading));

        assertThat(decoded).isEqualTo(reading);
        assertThat(decoded.getSensorId()).isEqualTo("773869");
        assertThat(decoded.getSpeedMph()).isEqualTo(64.375f);
        assertThat(decoded.getOccupancy()).isEqualTo(0.125f);
        assertThat(decoded.getEventTime()).isEqualTo(SchemaFixtures.EVENT_TIME);
    }

    @Test
    void encodingIsPlainAvroBinaryWithoutHeader() {
        TrafficReading reading =
                TrafficReading.newBuilder(SchemaFixtures.trafficReading())
                        .setNetworkId("n")
                        .setSensorId("s")
                        .setEventTime(Instant.ofEpochMilli(1))
                        .setSpeedMph(0f)
                        .setFlowVph(null)
                        .setOccupancy(null)
                        .build();

        byte[] bytes = codec.encode(reading);

        // "n" (zigzag len 1 = 0x02, 'n'), "s", long 1 (0x02), float 0 (4 zero bytes), two null
        // union branches (0, 0)
        assertThat(bytes).containsExactly(0x02, 'n', 0x02, 's', 0x02, 0, 0, 0, 0, 0, 0);
    }

    /**
     * Avro signals truncation with a bare {@link EOFException} (null message); the codec says what
     * it means.
     */
    @Test
    void truncatedBytesAreRejectedWithReason() {
        byte[] full = codec.encode(SchemaFixtures.trafficReading());
        byte[] truncated = Arrays.copyOf(full, full.length - 3);

        assertThatThrownBy(() -> codec.decode(truncated))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("truncated: " + truncated.length + " bytes")
                .hasMessageContaining("TrafficReading")
                .hasCauseInstanceOf(EOFException.class);
    }

    @Test
    void trailingGarbageIsRejectedNamingTheSchema() {
        byte[] full = codec.encode(SchemaFixtures.trafficReading());
        byte[] withGarbage = Arrays.copyOf(full, full.length + 2);
        withGarbage[full.length] = 0x13;
        withGarbage[full.length + 1] = 0x37;

        assertThatThrownBy(() -> codec.decode(withGarbage))
                .isInstanceOf(IOException.class)
                .hasMessage("trailing bytes after a TrafficReading record: not this schema");
    }

    @Test
    void nullPayloadIsRejectedAsMissingValue() {
        assertThatThrownBy(() -> codec.decode(null))
                .isInstanceOf(IOException.class)
                .hasMessage("record has no value (null payload)");
    }

    @Test
    void emptyPayloadIsRejectedAsTruncated() {
        assertThatThrownBy(() -> codec.decode(new byte[0]))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("truncated: 0 bytes");
    }

    @Test
    void negativeStringLengthIsRejectedAsIOExceptionNotRuntimeException() {
        byte[] negativeLength = {0x01, 'x'}; // zigzag 0x01 = -1: a string of length -1

        assertThatThrownBy(() -> codec.decode(negativeLength))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void badEnumIndexIsRejectedAsIOException() {
        AvroCodec<DeadLetter> deadLetters = AvroCodec.of(DeadLetter.class);
        byte[] bytes = deadLetters.encode(SchemaFixtures.deadLetter());
        // job "traffic" = 0x0e + 7 bytes, then the stage enum index (VALIDATE = 1, zigzag 0x02); 6
        // symbols exist
        assertThat(bytes[8]).isEqualTo((byte) 0x02);
        bytes[8] = 0x14; // index 10

        assertThatThrownBy(() -> deadLetters.decode(bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("10");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void randomBytesAreRejectedWithReason(long seed) {
        byte[] random = new byte[64];
        new Random(seed).nextBytes(random);

        assertThatThrownBy(() -> codec.decode(random))
                .isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(e.getMessage()).as("message of %s", e).isNotBlank());
    }

    @Test
    void codecStaysUsableAfterRejectingBadBytes() throws IOException {
        TrafficReading reading = SchemaFixtures.trafficReading();
        byte[] good = codec.encode(reading);
        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(good, 3)))
                .isInstanceOf(IOException.class);

        assertThat(codec.decode(good)).isEqualTo(reading);
    }

    @Test
    void consecutiveEncodesReturnIndependentArrays() throws IOException {
        TrafficReading first = SchemaFixtures.trafficReading();
        TrafficReading second =
                TrafficReading.newBuilder(first)
                        .setSensorId("other-sensor-with-longer-id")
                        .setSpeedMph(12.5f)
                        .setFlowVph(null)
                        .build();

        byte[] firstBytes = codec.encode(first);
        byte[] firstCopy = firstBytes.clone();
        byte[] secondBytes = codec.encode(second);

        assertThat(secondBytes).isNotSameAs(firstBytes);
        assertThat(firstBytes)
                .as("first result untouched by the second encode")
                .containsExactly(firstCopy);
        assertThat(codec.decode(firstBytes)).isEqualTo(first);
        assertThat(codec.decode(secondBytes)).isEqualTo(second);
    }

    /**
     * Every schema's sample: the codec (its compiled encoder) writes the bytes of Avro's generic
     * path and reads them back. CompiledAvroEncoderTest covers the edge cases (nulls, empty/large
     * collections, byte buffers).
     */
    @ParameterizedTest
    @MethodSource("io.attnstream.platform.SchemaFixtures#sampledSchemaNames")
    @SuppressWarnings({"unchecked", "rawtypes"})
    void compiledEncoderWritesTheGenericPathsBytesAndReadsThemBack(String schemaName)
            throws IOException {
        SpecificRecord sample = SchemaFixtures.sample(schemaName);
        AvroCodec codec = AvroCodec.of(sample.getClass());
        byte[] fast = codec.encode(sample);
        assertThat(codec.usesCompiledEncoder()).isTrue();
        SpecificData generic = new SpecificData(); // coders off
        for (var c : SpecificData.getForClass(sample.getClass()).getConversions()) {
            generic.addLogicalTypeConversion(c);
        }
        var out = new ByteArrayOutputStream();
        var encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new SpecificDatumWriter(sample.getSchema(), generic).write(sample, encoder);
        encoder.flush();
        assertThat(fast).isEqualTo(out.toByteArray());
        assertThat(codec.decode(fast)).isEqualTo(sample);
    }
}
