package io.attnstream.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.schema.TrafficReading;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every top-level schema round-trips through {@link AvroCodec}, can read what its released versions
 * wrote, documents every field, and has a deliberate released copy.
 */
class SchemaCompatibilityTest {

    static List<String> schemaNames() {
        return SchemaFixtures.topLevelSchemaNames().toList();
    }

    private static Schema currentSchema(String name) {
        return SpecificData.get().getSchema(SchemaFixtures.sample(name).getClass());
    }

    // ----- (a) round trip
    // ------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaNames")
    @SuppressWarnings({"unchecked", "rawtypes"})
    void fullyPopulatedRecordSurvivesCodecRoundTrip(String name) throws IOException {
        SpecificRecord sample = SchemaFixtures.sample(name);
        AvroCodec codec = AvroCodec.of(sample.getClass());

        byte[] bytes = codec.encode(sample);
        Object decoded = codec.decode(bytes);

        assertThat(bytes).isNotEmpty();
        assertThat(decoded).isNotSameAs(sample).isInstanceOf(sample.getClass()).isEqualTo(sample);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaNames")
    void samplesSetEveryFieldIncludingOptionalOnes(String name) {
        SpecificRecord sample = SchemaFixtures.sample(name);
        for (Schema.Field f : sample.getSchema().getFields()) {
            Object value = sample.get(f.pos());
            assertThat(value).as("%s.%s", name, f.name()).isNotNull();
            if (value instanceof List<?> list) {
                assertThat(list).as("%s.%s", name, f.name()).isNotEmpty();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaNames")
    void generatedClassMatchesSchemaFile(String name) {
        Schema parsedFromFile = SchemaFixtures.parseSchema(SchemaFixtures.schemasDir(), name);

        // The generator adds "avro.java.string": "String" to every string (stringType=String);
        // nothing else differs.
        String generated = currentSchema(name).toString().replace(JAVA_STRING, "\"string\"");
        assertThat(generated)
                .as("generated class of %s is stale; rebuild", name)
                .isEqualTo(parsedFromFile.toString());
    }

    private static final String JAVA_STRING =
            "{\"type\":\"string\",\"avro.java.string\":\"String\"}";

    // ----- (b) backward compatibility with every released version
    // ----------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaNames")
    void currentSchemaCanReadEveryReleasedVersion(String name) {
        Schema current = currentSchema(name);
        List<Path> checked = new ArrayList<>();
        for (Path versionDir : SchemaFixtures.releasedVersionDirs()) {
            if (!Files.exists(versionDir.resolve(name + ".avsc"))) {
                continue; // schema introduced after this release
            }
            Schema released = SchemaFixtures.parseSchema(versionDir, name);

            SchemaPairCompatibility result =
                    SchemaCompatibility.checkReaderWriterCompatibility(current, released);

            assertThat(result.getType())
                    .as(
                            "%s cannot read data written with released %s: %s",
                            name,
                            versionDir.getFileName(),
                            result.getResult().getIncompatibilities())
                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
            checked.add(versionDir);
        }
        assertThat(checked).as("released versions holding %s", name).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaNames")
    void recordWrittenWithReleasedSchemaDecodesIntoGeneratedClass(String name) throws IOException {
        SpecificRecord sample = SchemaFixtures.sample(name);
        Schema current = sample.getSchema();
        for (Path versionDir : SchemaFixtures.releasedVersionDirs()) {
            if (!Files.exists(versionDir.resolve(name + ".avsc"))) {
                continue;
            }
            Schema released = SchemaFixtures.parseSchema(versionDir, name);
            GenericRecord written = SchemaFixtures.toGeneric(sample, released);

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(released).write(written, encoder);
            encoder.flush();
            SpecificDatumReader<SpecificRecord> reader =
                    new SpecificDatumReader<>(released, current);
            var decoder = DecoderFactory.get().binaryDecoder(out.toByteArray(), null);
            SpecificRecord read = reader.read(null, decoder);

            assertThat(decoder.isEnd()).as("all bytes consumed").isTrue();
            assertThat(read).isInstanceOf(sample.getClass());
            // released fields compare as the released schema sees them (a nested record may have
            // gained fields, which the reader fills with their defaults); fields added since come
            // back as their defaults
            GenericRecord readAsReleased = SchemaFixtures.toGeneric(read, released);
            for (Schema.Field f : current.getFields()) {
                if (released.getField(f.name()) != null) {
                    assertThat(readAsReleased.get(f.name()))
                            .as(
                                    "%s.%s written with released %s",
                                    name, f.name(), versionDir.getFileName())
                            .isEqualTo(written.get(f.name()));
                } else {
                    assertThat(read.get(f.pos()))
                            .as(
                                    "%s.%s (added) written with released %s",
                                    name, f.name(), versionDir.getFileName())
                            .isEqualTo(SpecificData.get().getDefaultValue(f));
                }
            }
        }
    }

    @Test
    void trafficReadingWrittenWithReleasedSchemaKeepsItsConcreteValues() throws IOException {
        Schema released =
                SchemaFixtures.parseSchema(SchemaFixtures.latestReleasedDir(), "TrafficReading");
        GenericRecord written = SchemaFixtures.toGeneric(SchemaFixtures.trafficReading(), released);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(released).write(written, encoder);
        encoder.flush();

        TrafficReading read =
                new SpecificDatumReader<TrafficReading>(released, TrafficReading.getClassSchema())
                        .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));

        assertThat(read.getNetworkId()).isEqualTo("los-loop");
        assertThat(read.getSensorId()).isEqualTo("773869");
        assertThat(read.getEventTime()).isEqualTo(SchemaFixtures.EVENT_TIME);
        assertThat(read.getSpeedMph()).isEqualTo(64.375f);
        assertThat(read.getFlowVph()).isEqualTo(1_250.5f);
        assertThat(read.getOccupancy()).isEqualTo(0.125f);
    }

    // ----- (c) documentation
    // ----------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaNames")
    void everyFieldAndNamedTypeHasDoc(String name) {
        List<String> undocumented = new ArrayList<>();
        collectUndocumented(currentSchema(name), new HashSet<>(), undocumented);

        assertThat(undocumented).as("fields/types of %s without a doc", name).isEmpty();
    }

    private static void collectUndocumented(Schema schema, Set<String> seen, List<String> out) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                if (isBlank(schema.getDoc())) {
                    out.add(schema.getFullName());
                }
                for (Schema.Field f : schema.getFields()) {
                    if (isBlank(f.doc())) {
                        out.add(schema.getName() + "." + f.name());
                    }
                    collectUndocumented(f.schema(), seen, out);
                }
            }
            case ENUM -> {
                if (seen.add(schema.getFullName()) && isBlank(schema.getDoc())) {
                    out.add(schema.getFullName());
                }
            }
            case UNION -> schema.getTypes().forEach(t -> collectUndocumented(t, seen, out));
            case ARRAY -> collectUndocumented(schema.getElementType(), seen, out);
            case MAP -> collectUndocumented(schema.getValueType(), seen, out);
            default -> {}
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    @Test
    void docCheckFindsAnUndocumentedNestedField() {
        Schema nested =
                new Schema.Parser()
                        .parse(
                                // CHECKSTYLE.OFF: LineLength|RegexpSinglelineJava (a verbatim
                                // sample)
                                """
                                {"type": "record", "name": "Outer", "doc": "outer", "fields": [
                                  {"name": "inner", "doc": "documented", "type": {"type": "record", "name": "Inner", "doc": "inner",
                                    "fields": [{"name": "x", "type": "int"}]}}]}\
                                """);
        // CHECKSTYLE.ON: LineLength|RegexpSinglelineJava
        List<String> undocumented = new ArrayList<>();

        collectUndocumented(nested, new HashSet<>(), undocumented);

        assertThat(undocumented).containsExactly("Inner.x");
    }

    // ----- (d) released copies are deliberate
    // ----------------------------------------------------------------

    @Test
    void everySchemaFileHasAReleasedCopyAndViceVersa() {
        Path current = SchemaFixtures.schemasDir();
        Path released = SchemaFixtures.latestReleasedDir();

        assertThat(SchemaFixtures.avscFileNames(current))
                .isEqualTo(SchemaFixtures.avscFileNames(released));
        assertThat(SchemaFixtures.avscFileNames(current.resolve("common")))
                .isEqualTo(SchemaFixtures.avscFileNames(released.resolve("common")));
    }

    @Test
    void everySchemaFileHasASampleSoItIsCoveredByTheseTests() {
        List<String> fileNames =
                SchemaFixtures.avscFileNames(SchemaFixtures.schemasDir()).stream()
                        .map(f -> f.substring(0, f.length() - ".avsc".length()))
                        .toList();

        assertThat(fileNames)
                .hasSize(11)
                .containsExactlyInAnyOrderElementsOf(SchemaFixtures.sampledSchemaNames());
    }

    // ----- (e) negative control
    // --------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaNames")
    void readerAddingRequiredFieldWithoutDefaultIsIncompatible(String name) {
        Schema current = currentSchema(name);
        Schema released = SchemaFixtures.parseSchema(SchemaFixtures.latestReleasedDir(), name);
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : current.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(
                new Schema.Field(
                        "added_without_default",
                        Schema.create(Schema.Type.STRING),
                        "new required field"));
        Schema widened =
                Schema.createRecord(
                        current.getName(), current.getDoc(), current.getNamespace(), false, fields);

        SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(widened, released);

        assertThat(result.getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
        assertThat(result.getResult().getIncompatibilities())
                .singleElement()
                .satisfies(
                        i -> {
                            assertThat(i.getType())
                                    .isEqualTo(
                                            SchemaIncompatibilityType
                                                    .READER_FIELD_MISSING_DEFAULT_VALUE);
                            assertThat(i.getMessage()).isEqualTo("added_without_default");
                        });
    }
}
