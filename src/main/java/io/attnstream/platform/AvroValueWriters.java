package io.attnstream.platform;

import org.apache.avro.Conversion;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * The writers {@link CompiledAvroEncoder} builds its tree from: one small class per Avro type, each writing the
 * bytes {@code GenericDatumWriter}/{@code SpecificDatumWriter} write for that type and Java value. All are
 * immutable once built (a record writer's fields are set once, after construction, so recursive schemas can
 * refer to themselves), so one tree serves every thread.
 */
final class AvroValueWriters {
    private AvroValueWriters() {}

    /** Writes one value of one schema. */
    interface ValueWriter {
        void write(Object value, AvroBinaryBuffer out);
    }

    /** Avro's null: no bytes (the generic writer does not look at the value either). */
    static final ValueWriter NULL = (value, out) -> {};

    static final ValueWriter BOOLEAN = (value, out) -> out.writeBoolean((Boolean) value);

    static final ValueWriter INT = (value, out) -> out.writeInt(((Number) value).intValue());

    static final ValueWriter LONG = (value, out) -> out.writeLong(((Number) value).longValue());

    static final ValueWriter FLOAT = (value, out) -> out.writeFloat(((Number) value).floatValue());

    static final ValueWriter DOUBLE = (value, out) -> out.writeDouble(((Number) value).doubleValue());

    static final ValueWriter STRING = (value, out) -> out.writeString((CharSequence) value);

    static final ValueWriter BYTES = (value, out) -> out.writeBytes((ByteBuffer) value);

    /** Fixed: exactly the schema's size from the start of the value's array, as the generic writer does. */
    static final class FixedWriter implements ValueWriter {
        private final int size;

        FixedWriter(int size) {
            this.size = size;
        }

        @Override
        public void write(Object value, AvroBinaryBuffer out) {
            out.writeFixed(((GenericFixed) value).bytes(), 0, size);
        }
    }

    /** A generated Java enum by ordinal (what SpecificDatumWriter writes); a generic symbol by its name. */
    static final class EnumWriter implements ValueWriter {
        private final Schema schema;

        EnumWriter(Schema schema) {
            this.schema = schema;
        }

        @Override
        public void write(Object value, AvroBinaryBuffer out) {
            out.writeInt(value instanceof Enum<?> e ? e.ordinal() : schema.getEnumOrdinal(value.toString()));
        }
    }

    /** timestamp-millis with Avro's own conversion: {@code Instant.toEpochMilli()}, what that conversion does. */
    static final ValueWriter INSTANT_MILLIS = (value, out) ->
            out.writeLong(value instanceof Instant i ? i.toEpochMilli() : ((Number) value).longValue());

    /**
     * Any other logical type with a conversion (decimal, uuid, date, timestamp-micros, ...): Avro's own
     * conversion to the raw value, then the raw writer. A value that is already raw is written as is, as the
     * generic writer does when it finds no conversion for the value's class.
     */
    static final class ConvertingWriter implements ValueWriter {
        private final Schema schema;
        private final LogicalType logicalType;
        private final Conversion<Object> conversion;
        private final Class<?> convertedType;
        private final ValueWriter raw;

        @SuppressWarnings("unchecked")
        ConvertingWriter(Schema schema, Conversion<?> conversion, ValueWriter raw) {
            this.schema = schema;
            this.logicalType = schema.getLogicalType();
            this.conversion = (Conversion<Object>) conversion;
            this.convertedType = conversion.getConvertedType();
            this.raw = raw;
        }

        @Override
        public void write(Object value, AvroBinaryBuffer out) {
            Object rawValue = convertedType.isInstance(value)
                    ? Conversions.convertToRawType(value, schema, logicalType, conversion)
                    : value;
            raw.write(rawValue, out);
        }
    }

    /** A union of null and one other branch: the branch index, then the value if it is not null. */
    static final class NullableWriter implements ValueWriter {
        private final int nullIndex;
        private final int valueIndex;
        private final ValueWriter valueWriter;

        NullableWriter(int nullIndex, int valueIndex, ValueWriter valueWriter) {
            this.nullIndex = nullIndex;
            this.valueIndex = valueIndex;
            this.valueWriter = valueWriter;
        }

        @Override
        public void write(Object value, AvroBinaryBuffer out) {
            if (value == null) {
                out.writeInt(nullIndex);
            } else {
                out.writeInt(valueIndex);
                valueWriter.write(value, out);
            }
        }
    }

    /**
     * Avro's block encoding as BinaryEncoder writes it: nothing but the end marker 0 when empty, else one block
     * of count items, then 0.
     */
    static final class ArrayWriter implements ValueWriter {
        private final ValueWriter element;

        ArrayWriter(ValueWriter element) {
            this.element = element;
        }

        @Override
        public void write(Object value, AvroBinaryBuffer out) {
            Collection<?> items = (Collection<?>) value;
            int count = items.size();
            if (count > 0) {
                out.writeLong(count);
                if (items instanceof List<?> list && items instanceof RandomAccess) {
                    // By index: no iterator per array (the generated classes hold ArrayLists / GenericData.Array).
                    for (int i = 0; i < count; i++) {
                        element.write(list.get(i), out);
                    }
                } else {
                    for (Object item : items) {
                        element.write(item, out);
                    }
                }
            }
            out.writeLong(0);
        }
    }

    /** Like arrays, one block; keys through {@code toString()}, as the generic writer writes them. */
    static final class MapWriter implements ValueWriter {
        private final ValueWriter valueWriter;

        MapWriter(ValueWriter valueWriter) {
            this.valueWriter = valueWriter;
        }

        @Override
        public void write(Object value, AvroBinaryBuffer out) {
            Map<?, ?> map = (Map<?, ?>) value;
            int count = map.size();
            if (count > 0) {
                out.writeLong(count);
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.writeString(entry.getKey().toString());
                    valueWriter.write(entry.getValue(), out);
                }
            }
            out.writeLong(0);
        }
    }

    /** The fields in schema order, each read by position ({@code IndexedRecord.get(int)}). */
    static final class RecordWriter implements ValueWriter {
        private final String name;
        private String[] fieldNames;
        private int[] positions;
        private ValueWriter[] writers;

        RecordWriter(String name) {
            this.name = name;
        }

        /** Set once, right after construction; separate so a recursive schema's field can point at this. */
        void setFields(String[] fieldNames, int[] positions, ValueWriter[] writers) {
            this.fieldNames = fieldNames;
            this.positions = positions;
            this.writers = writers;
        }

        @Override
        public void write(Object value, AvroBinaryBuffer out) {
            IndexedRecord record = (IndexedRecord) value;
            for (int i = 0; i < writers.length; i++) {
                try {
                    writers[i].write(record.get(positions[i]), out);
                } catch (NullPointerException e) {
                    // Same exception type as SpecificDatumWriter (a null in a non-nullable field), with the path.
                    throw new NullFieldException(name, e instanceof NullFieldException inner
                            ? fieldNames[i] + "." + inner.fieldPath : fieldNames[i], e);
                } catch (ClassCastException e) {
                    throw new ClassCastException("field " + name + "." + fieldNames[i] + ": " + e.getMessage());
                }
            }
        }
    }

    /** A null where the schema allows none; {@code fieldPath} is field[.field...] below the outermost record. */
    static final class NullFieldException extends NullPointerException {
        private static final long serialVersionUID = 1L;
        final String fieldPath;

        NullFieldException(String record, String fieldPath, NullPointerException cause) {
            super("null value for non-nullable field " + record + "." + fieldPath);
            this.fieldPath = fieldPath;
            initCause(cause);
        }
    }
}
