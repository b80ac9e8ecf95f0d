package io.attnstream.platform;

import io.attnstream.platform.AvroValueWriters.ArrayWriter;
import io.attnstream.platform.AvroValueWriters.ConvertingWriter;
import io.attnstream.platform.AvroValueWriters.EnumWriter;
import io.attnstream.platform.AvroValueWriters.FixedWriter;
import io.attnstream.platform.AvroValueWriters.GeneratedCoderWriter;
import io.attnstream.platform.AvroValueWriters.MapWriter;
import io.attnstream.platform.AvroValueWriters.NullableWriter;
import io.attnstream.platform.AvroValueWriters.RecordWriter;
import io.attnstream.platform.AvroValueWriters.ValueWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversion;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.io.Encoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Avro binary encoding of one generated record class without Avro's generic dispatch: the schema is
 * walked once, here, into a tree of small writers ({@link AvroValueWriters}) that read fields by
 * position and write straight into an {@link AvroBinaryBuffer}. {@code SpecificDatumWriter} instead
 * looks up, for every field of every record, the field's conversion, the union branch ({@code
 * resolveUnion}) and the type to dispatch on; Avro 1.12's compiler would generate such direct
 * coders itself ({@code customEncode}) but does not for schemas with logical types, which every
 * attnstream output has.
 *
 * <p>A nested record for which Avro did generate coders (the shared types without logical types:
 * Lineage, ScoredItem, HistoryWeight, SensorWeight, AttentionMap) is written by its generated
 * {@code customEncode} into the same buffer: straight-line code without boxing, which
 * SpecificDatumWriter also uses for those records and which the tree alone was slower than: on the
 * clicks outputs (50 HistoryWeights per attention record) the tree ran at 0.65-0.85x
 * SpecificDatumWriter's speed, with the generated coders at 1.4-1.6x (AvroEncodeBench).
 *
 * <p>The bytes are those of {@code SpecificDatumWriter} with the class's own model (tested for
 * every schema). Logical types are converted exactly as that writer converts them: a record's own
 * field conversion ({@code SpecificRecordBase.getConversion}) for a field whose schema carries the
 * logical type, else the class model's conversion for that logical type (union branches, array
 * items, map values).
 *
 * <p>Supported: records (nested, recursive), enums, arrays, maps, fixed, bytes, strings, all
 * primitives, unions of null and one other branch, and any logical type (Avro's own conversions).
 * Anything else, e.g. a union of two non-null branches or a {@code java-class} string, fails at
 * construction with {@link UnsupportedSchemaException}, never while encoding. Immutable and
 * thread-safe; the buffer is the caller's.
 */
public final class CompiledAvroEncoder<T extends SpecificRecord> {

    /**
     * The schema uses a feature the encoder does not write; the message names it and where it is.
     */
    public static final class UnsupportedSchemaException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UnsupportedSchemaException(String message) {
            super(message);
        }
    }

    private final Class<T> type;
    private final ValueWriter root;

    private CompiledAvroEncoder(Class<T> type, ValueWriter root) {
        this.type = type;
        this.root = root;
    }

    /**
     * Builds the encoder for a generated class from its schema and model.
     *
     * @throws UnsupportedSchemaException if the schema uses something the encoder does not write
     */
    public static <T extends SpecificRecord> CompiledAvroEncoder<T> forClass(Class<T> type) {
        return forClass(type, true);
    }

    /**
     * @param useGeneratedCoders false: the writer tree for every record, also those with generated
     *     coders (to test the tree on every schema)
     */
    static <T extends SpecificRecord> CompiledAvroEncoder<T> forClass(
            Class<T> type, boolean useGeneratedCoders) {
        SpecificData model = SpecificData.getForClass(type);
        Schema schema = model.getSchema(type);
        if (schema.getType() != Schema.Type.RECORD) {
            throw new UnsupportedSchemaException(
                    type.getName() + " has a " + schema.getType() + " schema, not a record");
        }
        TreeBuilder builder = new TreeBuilder(model, useGeneratedCoders);
        return new CompiledAvroEncoder<>(type, builder.writerFor(schema, null, schema.getName()));
    }

    public Class<T> type() {
        return type;
    }

    /** Appends the record's encoding to {@code out}. */
    void encode(T record, AvroBinaryBuffer out) {
        AvroValueWriters.dispatch(root, record, out);
    }

    /** Walks a schema once into writers; records are memoised by full name, so recursion ends. */
    private static final class TreeBuilder {
        private final SpecificData model;
        private final boolean useGeneratedCoders;
        private final Map<String, ValueWriter> records = new HashMap<>();

        TreeBuilder(SpecificData model, boolean useGeneratedCoders) {
            this.model = model;
            this.useGeneratedCoders = useGeneratedCoders;
        }

        /**
         * @param fieldConversion the enclosing record's own conversion for this field, or null
         * @param where the path for error messages, e.g. "Recommendation.top_items[]"
         */
        ValueWriter writerFor(Schema schema, Conversion<?> fieldConversion, String where) {
            for (String prop : List.of("java-class", "java-key-class", "java-element-class")) {
                if (schema.getProp(prop) != null) {
                    throw new UnsupportedSchemaException(
                            where + ": '" + prop + "' (stringable Java classes) is not supported");
                }
            }
            ValueWriter raw = rawWriterFor(schema, where);
            LogicalType logicalType = schema.getLogicalType();
            if (logicalType == null) {
                return raw;
            }
            Conversion<?> conversion =
                    fieldConversion != null ? fieldConversion : model.getConversionFor(logicalType);
            if (conversion == null) {
                return raw; // no conversion registered: the generated class holds the raw value
            }
            if (conversion.getClass() == TimeConversions.TimestampMillisConversion.class) {
                return AvroValueWriters
                        .INSTANT_MILLIS; // the common case, without the generic convert call
            }
            return new ConvertingWriter(schema, conversion, raw);
        }

        private ValueWriter rawWriterFor(Schema schema, String where) {
            switch (schema.getType()) {
                case NULL:
                    return AvroValueWriters.NULL;
                case BOOLEAN:
                    return AvroValueWriters.BOOLEAN;
                case INT:
                    return AvroValueWriters.INT;
                case LONG:
                    return AvroValueWriters.LONG;
                case FLOAT:
                    return AvroValueWriters.FLOAT;
                case DOUBLE:
                    return AvroValueWriters.DOUBLE;
                case STRING:
                    return AvroValueWriters.STRING;
                case BYTES:
                    return AvroValueWriters.BYTES;
                case FIXED:
                    return new FixedWriter(schema.getFixedSize());
                case ENUM:
                    return new EnumWriter(schema);
                case ARRAY:
                    return new ArrayWriter(writerFor(schema.getElementType(), null, where + "[]"));
                case MAP:
                    return new MapWriter(writerFor(schema.getValueType(), null, where + "{}"));
                case UNION:
                    return unionWriter(schema, where);
                case RECORD:
                    return recordWriter(schema);
                default:
                    throw new UnsupportedSchemaException(
                            where + ": type " + schema.getType() + " is not supported");
            }
        }

        private ValueWriter unionWriter(Schema union, String where) {
            List<Schema> branches = union.getTypes();
            int nullIndex = -1;
            for (int i = 0; i < branches.size(); i++) {
                if (branches.get(i).getType() == Schema.Type.NULL) {
                    nullIndex = i;
                }
            }
            if (branches.size() != 2 || nullIndex < 0) {
                throw new UnsupportedSchemaException(
                        where
                                + ": union "
                                + branches.stream().map(Schema::getFullName).toList()
                                + " is not supported (only a union of null and one other type)");
            }
            int valueIndex = 1 - nullIndex;
            return new NullableWriter(
                    nullIndex,
                    valueIndex,
                    writerFor(
                            branches.get(valueIndex),
                            null,
                            where + "|" + branches.get(valueIndex).getName()));
        }

        private ValueWriter recordWriter(Schema schema) {
            ValueWriter known = records.get(schema.getFullName());
            if (known != null) {
                return known;
            }
            RecordWriter writer = new RecordWriter(schema.getName());
            records.put(schema.getFullName(), writer);
            SpecificRecordBase prototype = prototypeOf(schema);
            List<Schema.Field> fields = schema.getFields();
            String[] names = new String[fields.size()];
            int[] positions = new int[fields.size()];
            ValueWriter[] writers = new ValueWriter[fields.size()];
            for (int i = 0; i < fields.size(); i++) {
                Schema.Field field = fields.get(i);
                names[i] = field.name();
                positions[i] = field.pos();
                // SpecificDatumWriter.writeField applies the record's own conversion only when the
                // field's schema itself has the logical type; inside unions and arrays it uses the
                // model's.
                Conversion<?> own =
                        prototype == null || field.schema().getLogicalType() == null
                                ? null
                                : prototype.getConversion(field.pos());
                writers[i] = writerFor(field.schema(), own, schema.getName() + "." + field.name());
            }
            writer.setFields(names, positions, writers);
            if (useGeneratedCoders
                    && prototype != null
                    && hasGeneratedCoders(prototype.getClass())) {
                GeneratedCoderWriter generated = new GeneratedCoderWriter(writer);
                records.put(schema.getFullName(), generated);
                return generated;
            }
            return writer;
        }

        /**
         * Whether Avro generated {@code customEncode} for the class (it does for records without
         * logical types). {@code SpecificRecordBase.hasCustomCoders} is protected; the generated
         * override is what it reports.
         */
        private static boolean hasGeneratedCoders(Class<?> recordClass) {
            try {
                return recordClass.getMethod("customEncode", Encoder.class).getDeclaringClass()
                        != SpecificRecordBase.class;
            } catch (NoSuchMethodException e) {
                return false;
            }
        }

        /**
         * An instance of the record's generated class, to ask it for its per-field conversions;
         * null if none.
         */
        private SpecificRecordBase prototypeOf(Schema schema) {
            Class<?> recordClass = model.getClass(schema);
            if (recordClass == null || !SpecificRecordBase.class.isAssignableFrom(recordClass)) {
                return null;
            }
            try {
                return (SpecificRecordBase) SpecificData.newInstance(recordClass, schema);
            } catch (RuntimeException e) {
                throw new UnsupportedSchemaException(
                        schema.getFullName()
                                + ": cannot instantiate "
                                + recordClass.getName()
                                + " to read its field conversions: "
                                + e);
            }
        }
    }
}
