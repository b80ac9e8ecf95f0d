package io.attnstream.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.schema.DeadLetter;
import io.attnstream.schema.Recommendation;
import io.attnstream.schema.TrafficForecast;
import io.attnstream.schema.test.Digest4;
import io.attnstream.schema.test.EncoderCoverage;
import io.attnstream.schema.test.EncoderUnsupportedUnion;
import io.attnstream.schema.test.Level;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compiled encoder writes exactly SpecificDatumWriter's bytes: for every schema's sample and
 * for variants of it that reach the edge cases (every nullable field null, empty and large
 * collections, non-ASCII and long strings, byte buffers that do not start at their array's start),
 * plus a test-only schema with the types schemas/ does not use (maps, fixed, double, boolean,
 * decimal, uuid, date, timestamp-micros, recursion).
 */
class CompiledAvroEncoderTest {

    /**
     * How a sample is reshaped to reach an edge case; applied to every field of the record tree.
     */
    enum Variant {
        SAMPLE,
        ALL_NULLABLE_NULL,
        EMPTY_COLLECTIONS,
        LARGE_COLLECTIONS_AND_STRINGS,
        NON_ASCII_STRINGS,
        BYTES_AT_NON_ZERO_POSITION,
        DIRECT_READ_ONLY_BYTES
    }

    static Stream<Arguments> recordsAndVariants() {
        List<String> names = new ArrayList<>(SchemaFixtures.sampledSchemaNames());
        names.add("EncoderCoverage");
        return names.stream()
                .flatMap(name -> Stream.of(Variant.values()).map(v -> Arguments.of(name, v)));
    }

    private static SpecificRecord sample(String name) {
        return name.equals("EncoderCoverage") ? coverageSample() : SchemaFixtures.sample(name);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("recordsAndVariants")
    @SuppressWarnings({"unchecked", "rawtypes"})
    void writesTheDatumWritersBytesAndReadsBack(String schemaName, Variant variant)
            throws IOException {
        SpecificRecord record =
                (SpecificRecord)
                        reshape(sample(schemaName), sample(schemaName).getSchema(), variant);
        byte[] expected = datumWriterBytes(record);
        Map<ByteBuffer, Integer> positions = bufferPositions(record);

        AvroCodec codec = AvroCodec.of(record.getClass());
        byte[] compiled = codec.encode(record);

        assertThat(codec.usesCompiledEncoder()).isTrue();
        assertThat(compiled).isEqualTo(expected);
        assertThat(codec.decode(compiled)).isEqualTo(record);
        assertThat(bufferPositions(record))
                .as("byte buffer positions untouched")
                .isEqualTo(positions);
    }

    /**
     * The same with the writer tree for every nested record too, also those Avro generated coders
     * for.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("recordsAndVariants")
    @SuppressWarnings({"unchecked", "rawtypes"})
    void treeWithoutGeneratedCodersWritesTheSameBytes(String schemaName, Variant variant) {
        SpecificRecord record =
                (SpecificRecord)
                        reshape(sample(schemaName), sample(schemaName).getSchema(), variant);
        Map<ByteBuffer, Integer> positions = bufferPositions(record);
        AvroBinaryBuffer out = new AvroBinaryBuffer(16);

        CompiledAvroEncoder.forClass((Class) record.getClass(), false).encode(record, out);

        assertThat(out.toByteArray()).isEqualTo(datumWriterBytes(record));
        assertThat(bufferPositions(record))
                .as("byte buffer positions untouched")
                .isEqualTo(positions);
    }

    /** Sanity of the variants themselves: they really reach the cases they are named after. */
    @Test
    void variantsReachTheirEdgeCases() throws IOException {
        Recommendation large =
                (Recommendation)
                        reshape(
                                SchemaFixtures.recommendation(),
                                Recommendation.getClassSchema(),
                                Variant.LARGE_COLLECTIONS_AND_STRINGS);
        assertThat(large.getTopItems()).hasSize(1000); // a block count of two varint bytes
        assertThat(large.getUserId())
                .hasSizeGreaterThan(2000); // longer than the buffer's first capacity
        assertThat(AvroCodec.of(Recommendation.class).encode(large).length).isGreaterThan(20_000);

        var deadLetter =
                (DeadLetter)
                        reshape(
                                SchemaFixtures.deadLetter(),
                                DeadLetter.getClassSchema(),
                                Variant.BYTES_AT_NON_ZERO_POSITION);
        assertThat(deadLetter.getPayload().position()).isEqualTo(3);
        assertThat(deadLetter.getPayload().arrayOffset()).isEqualTo(2);

        var nulls =
                (TrafficForecast)
                        reshape(
                                SchemaFixtures.trafficForecast(),
                                TrafficForecast.getClassSchema(),
                                Variant.ALL_NULLABLE_NULL);
        assertThat(nulls.getWindowClosedTime()).isNull();
    }

    @Test
    void unpairedSurrogateIsWrittenAsAvroWritesIt() {
        Recommendation r = SchemaFixtures.recommendation();
        r.setUserId("a\uD800b\uDC00"); // both unpaired: String.getBytes(UTF_8) writes '?' for each

        byte[] compiled = AvroCodec.of(Recommendation.class).encode(r);

        assertThat(compiled).isEqualTo(datumWriterBytes(r));
    }

    @Test
    void encodingDoesNotDependOnThePreviousRecord() {
        AvroCodec<Recommendation> codec = AvroCodec.of(Recommendation.class);
        Recommendation large =
                (Recommendation)
                        reshape(
                                SchemaFixtures.recommendation(),
                                Recommendation.getClassSchema(),
                                Variant.LARGE_COLLECTIONS_AND_STRINGS);
        Recommendation small = SchemaFixtures.recommendation();

        codec.encode(large);
        byte[] afterLarge = codec.encode(small);

        assertThat(afterLarge).isEqualTo(datumWriterBytes(small));
    }

    /** Lineage has generated coders, UserId is the tree's: both name the field. */
    @Test
    void nullInNonNullableFieldNamesItsPath() {
        Recommendation nestedNull = SchemaFixtures.recommendation();
        nestedNull.getLineage().setTopic(null);
        Recommendation topLevelNull = SchemaFixtures.recommendation();
        topLevelNull.setUserId(null);
        AvroCodec<Recommendation> codec = AvroCodec.of(Recommendation.class);

        assertThatThrownBy(() -> codec.encode(nestedNull))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("null value for non-nullable field Recommendation.lineage.topic");
        assertThatThrownBy(() -> codec.encode(topLevelNull))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("null value for non-nullable field Recommendation.user_id");
    }

    @Test
    void unionOfTwoNonNullBranchesFailsAtConstructionNamingTheField() {
        assertThatThrownBy(() -> CompiledAvroEncoder.forClass(EncoderUnsupportedUnion.class))
                .isInstanceOf(CompiledAvroEncoder.UnsupportedSchemaException.class)
                .hasMessage(
                        "EncoderUnsupportedUnion.value: union [null, string, long] is not supported"
                                + " (only a union of null and one other type)");
    }

    @Test
    void unsupportedSchemaFallsBackToTheDatumWriter() throws IOException {
        AvroCodec<EncoderUnsupportedUnion> codec = AvroCodec.of(EncoderUnsupportedUnion.class);
        EncoderUnsupportedUnion longValue =
                EncoderUnsupportedUnion.newBuilder().setName("n").setValue(7L).build();
        EncoderUnsupportedUnion stringValue =
                EncoderUnsupportedUnion.newBuilder().setName("n").setValue("s").build();

        byte[] longBytes = codec.encode(longValue);

        assertThat(codec.usesCompiledEncoder()).isFalse();
        // "n", branch 2 (long, zigzag 0x04), 7 (0x0e)
        assertThat(longBytes).containsExactly(0x02, 'n', 0x04, 0x0e);
        assertThat(codec.encode(stringValue)).isEqualTo(datumWriterBytes(stringValue));
        assertThat(codec.decode(longBytes)).isEqualTo(longValue);
    }

    @Test
    void datumWriterOnlyCodecWritesTheSameBytes() {
        AvroCodec<Recommendation> reference = AvroCodec.withDatumWriterOnly(Recommendation.class);
        Recommendation r = SchemaFixtures.recommendation();

        assertThat(reference.usesCompiledEncoder()).isFalse();
        assertThat(reference.encode(r)).isEqualTo(AvroCodec.of(Recommendation.class).encode(r));
    }

    // ----- reference and fixtures
    // ------------------------------------------------------------------------------

    /**
     * The reference: SpecificDatumWriter with the class's own model, written directly (no
     * buffering).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static byte[] datumWriterBytes(SpecificRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new SpecificDatumWriter(record.getSchema(), SpecificData.getForClass(record.getClass()))
                    .write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every field of the coverage schema set, with a recursive child that has nulls where allowed.
     */
    static EncoderCoverage coverageSample() {
        EncoderCoverage child =
                EncoderCoverage.newBuilder()
                        .setFlag(false)
                        .setRatio(-0.0)
                        .setCount(Integer.MIN_VALUE)
                        .setCounts(new LinkedHashMap<>())
                        .setTags(null)
                        .setDigest(new Digest4(new byte[] {0, 0, 0, 0}))
                        .setMaybeDigest(null)
                        .setLabelLastNull(null)
                        .setLevel(null)
                        .setSparse(new ArrayList<>())
                        .setDay(LocalDate.of(1969, 12, 31))
                        .setAtMicros(
                                Instant.ofEpochSecond(
                                        -1,
                                        1_000)) // before the epoch: the conversion's other branch
                        .setMaybeAtMicros(null)
                        .setId(new UUID(0, 0))
                        .setAmount(new BigDecimal("-0.01"))
                        .setAmounts(new ArrayList<>())
                        .setMillisByKey(new LinkedHashMap<>())
                        .setChildren(new ArrayList<>())
                        .build();
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("a", 1L);
        counts.put("ü", Long.MIN_VALUE);
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("k", "v");
        Map<String, Instant> millis = new LinkedHashMap<>();
        millis.put("t", SchemaFixtures.EVENT_TIME);
        List<Double> sparse = new ArrayList<>();
        sparse.add(1.5);
        sparse.add(null);
        sparse.add(Double.NaN);
        return EncoderCoverage.newBuilder()
                .setFlag(true)
                .setRatio(Math.PI)
                .setCount(Integer.MAX_VALUE)
                .setCounts(counts)
                .setTags(tags)
                .setDigest(new Digest4(new byte[] {1, 2, (byte) 0xfe, (byte) 0xff}))
                .setMaybeDigest(new Digest4(new byte[] {9, 8, 7, 6}))
                .setLabelLastNull("label")
                .setLevel(Level.HIGH)
                .setSparse(sparse)
                .setDay(LocalDate.of(2024, 2, 29))
                .setAtMicros(Instant.ofEpochSecond(1_700_000_000L, 123_456_000))
                .setMaybeAtMicros(Instant.ofEpochSecond(5, 7_000))
                .setId(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"))
                .setAmount(new BigDecimal("1234567.89"))
                .setAmounts(
                        new ArrayList<>(List.of(new BigDecimal("0.10"), new BigDecimal("-99.99"))))
                .setMillisByKey(millis)
                .setChildren(new ArrayList<>(List.of(child)))
                .build();
    }

    /** A copy of {@code value} (of {@code schema}) reshaped by {@code variant}. */
    static Object reshape(Object value, Schema schema, Variant variant) {
        if (value == null) {
            return null;
        }
        switch (schema.getType()) {
            case RECORD:
                {
                    SpecificRecord source = (SpecificRecord) value;
                    SpecificRecord copy =
                            (SpecificRecord)
                                    SpecificData.getForClass(source.getClass())
                                            .deepCopy(schema, source);
                    for (Schema.Field f : schema.getFields()) {
                        copy.put(f.pos(), reshape(source.get(f.pos()), f.schema(), variant));
                    }
                    return copy;
                }
            case UNION:
                {
                    if (variant == Variant.ALL_NULLABLE_NULL && schema.isNullable()) {
                        return null;
                    }
                    Schema branch =
                            schema.getTypes().stream()
                                    .filter(b -> b.getType() != Schema.Type.NULL)
                                    .findFirst()
                                    .orElseThrow();
                    return reshape(value, branch, variant);
                }
            case ARRAY:
                {
                    List<Object> items = new ArrayList<>();
                    if (variant != Variant.EMPTY_COLLECTIONS) {
                        for (Object item : (Collection<?>) value) {
                            items.add(reshape(item, schema.getElementType(), variant));
                        }
                        // 1000 items: a block count of two varint bytes, and a record larger than
                        // the first buffer
                        for (int i = 0;
                                variant == Variant.LARGE_COLLECTIONS_AND_STRINGS
                                        && !items.isEmpty()
                                        && items.size() < 1000;
                                i++) {
                            items.add(items.get(i));
                        }
                    }
                    return items;
                }
            case MAP:
                {
                    Map<Object, Object> entries = new LinkedHashMap<>();
                    if (variant != Variant.EMPTY_COLLECTIONS) {
                        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                            entries.put(
                                    e.getKey(),
                                    reshape(e.getValue(), schema.getValueType(), variant));
                        }
                        if (variant == Variant.LARGE_COLLECTIONS_AND_STRINGS
                                && !entries.isEmpty()) {
                            Object any = entries.values().iterator().next();
                            for (int i = 0; i < 1000; i++) {
                                entries.put("key-" + i, any);
                            }
                        }
                    }
                    return entries;
                }
            case STRING:
                if (schema.getLogicalType() != null) {
                    return value; // uuid: a UUID, not text
                }
                if (variant == Variant.NON_ASCII_STRINGS) {
                    return "Zürich-東京-\uD834\uDD1E-" + value; // 2-, 3- and 4-byte UTF-8
                }
                if (variant == Variant.LARGE_COLLECTIONS_AND_STRINGS) {
                    return String.valueOf(value).repeat(300);
                }
                return value;
            case BYTES:
                if (schema.getLogicalType() != null) {
                    return value; // decimal: a BigDecimal
                }
                return reshapeBytes((ByteBuffer) value, variant);
            default:
                return value;
        }
    }

    /**
     * The same remaining bytes, in a buffer whose array offset and position are not zero (or
     * direct, read-only).
     */
    private static ByteBuffer reshapeBytes(ByteBuffer value, Variant variant) {
        byte[] data = new byte[value.remaining()];
        value.duplicate().get(data);
        if (variant == Variant.BYTES_AT_NON_ZERO_POSITION) {
            byte[] padded = new byte[2 + 3 + data.length + 2];
            Arrays.fill(padded, (byte) 0x5a); // junk around the data must not be written
            System.arraycopy(data, 0, padded, 5, data.length);
            ByteBuffer slice =
                    ByteBuffer.wrap(padded, 2, padded.length - 2).slice(); // arrayOffset 2
            slice.position(3).limit(3 + data.length);
            return slice;
        }
        if (variant == Variant.DIRECT_READ_ONLY_BYTES) {
            ByteBuffer direct = ByteBuffer.allocateDirect(3 + data.length + 1);
            direct.put(new byte[] {7, 7, 7}).put(data).put((byte) 7);
            direct.position(3).limit(3 + data.length);
            return direct.asReadOnlyBuffer();
        }
        return ByteBuffer.wrap(data);
    }

    /** Position of every byte buffer in the record tree, by identity. */
    private static Map<ByteBuffer, Integer> bufferPositions(Object value) {
        Map<ByteBuffer, Integer> positions = new IdentityHashMap<>();
        collectPositions(value, positions);
        return positions;
    }

    private static void collectPositions(Object value, Map<ByteBuffer, Integer> positions) {
        if (value instanceof ByteBuffer b) {
            positions.put(b, b.position());
        } else if (value instanceof SpecificRecord r) {
            for (Schema.Field f : r.getSchema().getFields()) {
                collectPositions(r.get(f.pos()), positions);
            }
        } else if (value instanceof Collection<?> c) {
            c.forEach(item -> collectPositions(item, positions));
        } else if (value instanceof Map<?, ?> m) {
            m.values().forEach(item -> collectPositions(item, positions));
        }
    }
}
