package io.attnstream.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import org.apache.avro.Conversion;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The writers {@link CompiledAvroEncoder} builds its tree from: one small class per Avro type, each
 * writing the bytes {@code GenericDatumWriter}/{@code SpecificDatumWriter} write for that type and
 * Java value. All are immutable once built (a record writer's fields are set once, after
 * construction, so recursive schemas can refer to themselves), so one tree serves every thread.
 */
final class AvroValueWriters {
    private AvroValueWriters() {}

    // Kinds of the leaf writers that dispatch() writes inline. A tree of interface calls cost more
    // than Avro's generic switch: every field was an itable call that could not be inlined
    // (megamorphic: one call site for all field types), about 30 % slower than SpecificDatumWriter
    // on the clicks outputs. With the leaves as a switch on an int, only records, arrays, maps,
    // unions and conversions are calls.
    static final int OTHER = 0;
    static final int NULL_KIND = 1;
    static final int BOOLEAN_KIND = 2;
    static final int INT_KIND = 3;
    static final int LONG_KIND = 4;
    static final int FLOAT_KIND = 5;
    static final int DOUBLE_KIND = 6;
    static final int STRING_KIND = 7;
    static final int BYTES_KIND = 8;
    static final int INSTANT_MILLIS_KIND = 9;

    /**
     * Writes one value of one schema. {@code kind} says whether {@link #dispatch} writes it inline.
     */
    abstract static class ValueWriter {
        final int kind;

        ValueWriter(int kind) {
            this.kind = kind;
        }

        abstract void write(Object value, AvroBinaryBuffer out);
    }

    /** Writes {@code value} with {@code writer}: leaves inline, the rest through the writer. */
    static void dispatch(ValueWriter writer, Object value, AvroBinaryBuffer out) {
        switch (writer.kind) {
            case NULL_KIND:
                return; // Avro's null: no bytes (the generic writer does not look at the value
            // either)
            case BOOLEAN_KIND:
                out.writeBoolean((Boolean) value);
                return;
            case INT_KIND:
                out.writeInt(((Number) value).intValue());
                return;
            case LONG_KIND:
                out.writeLong(((Number) value).longValue());
                return;
            case FLOAT_KIND:
                out.writeFloat(((Number) value).floatValue());
                return;
            case DOUBLE_KIND:
                out.writeDouble(((Number) value).doubleValue());
                return;
            case STRING_KIND:
                if (value
                        instanceof
                        String string) { // a class check, cheaper than the CharSequence cast
                    out.writeString(string);
                } else {
                    out.writeString((CharSequence) value);
                }
                return;
            case BYTES_KIND:
                out.writeBytes((ByteBuffer) value);
                return;
            case INSTANT_MILLIS_KIND:
                // timestamp-millis with Avro's own conversion, which is Instant.toEpochMilli()
                out.writeLong(
                        value instanceof Instant i
                                ? i.toEpochMilli()
                                : ((Number) value).longValue());
                return;
            default:
                writer.write(value, out);
        }
    }

    /**
     * A leaf: written by {@link #dispatch}; {@link #write} is the same, for a leaf at the root of a
     * call.
     */
    private static final class Leaf extends ValueWriter {
        Leaf(int kind) {
            super(kind);
        }

        @Override
        void write(Object value, AvroBinaryBuffer out) {
            dispatch(this, value, out);
        }
    }

    static final ValueWriter NULL = new Leaf(NULL_KIND);
    static final ValueWriter BOOLEAN = new Leaf(BOOLEAN_KIND);
    static final ValueWriter INT = new Leaf(INT_KIND);
    static final ValueWriter LONG = new Leaf(LONG_KIND);
    static final ValueWriter FLOAT = new Leaf(FLOAT_KIND);
    static final ValueWriter DOUBLE = new Leaf(DOUBLE_KIND);
    static final ValueWriter STRING = new Leaf(STRING_KIND);
    static final ValueWriter BYTES = new Leaf(BYTES_KIND);

    /** timestamp-millis with Avro's own conversion, without the generic convert call. */
    static final ValueWriter INSTANT_MILLIS = new Leaf(INSTANT_MILLIS_KIND);

    /**
     * Fixed: exactly the schema's size from the start of the value's array, as the generic writer
     * does.
     */
    static final class FixedWriter extends ValueWriter {
        private final int size;

        FixedWriter(int size) {
            super(OTHER);
            this.size = size;
        }

        @Override
        void write(Object value, AvroBinaryBuffer out) {
            out.writeFixed(((GenericFixed) value).bytes(), 0, size);
        }
    }

    /**
     * A generated Java enum by ordinal (what SpecificDatumWriter writes); a generic symbol by its
     * name.
     */
    static final class EnumWriter extends ValueWriter {
        private final Schema schema;

        EnumWriter(Schema schema) {
            super(OTHER);
            this.schema = schema;
        }

        @Override
        void write(Object value, AvroBinaryBuffer out) {
            out.writeInt(
                    value instanceof Enum<?> e
                            ? e.ordinal()
                            : schema.getEnumOrdinal(value.toString()));
        }
    }

    /**
     * Any other logical type with a conversion (decimal, uuid, date, timestamp-micros, ...): Avro's
     * own conversion to the raw value, then the raw writer. A value that is already raw is written
     * as is, as the generic writer does when it finds no conversion for the value's class.
     */
    static final class ConvertingWriter extends ValueWriter {
        private final Schema schema;
        private final LogicalType logicalType;
        private final Conversion<Object> conversion;
        private final Class<?> convertedType;
        private final ValueWriter raw;

        @SuppressWarnings("unchecked")
        ConvertingWriter(Schema schema, Conversion<?> conversion, ValueWriter raw) {
            super(OTHER);
            this.schema = schema;
            this.logicalType = schema.getLogicalType();
            this.conversion = (Conversion<Object>) conversion;
            this.convertedType = conversion.getConvertedType();
            this.raw = raw;
        }

        @Override
        void write(Object value, AvroBinaryBuffer out) {
            Object rawValue =
                    convertedType.isInstance(value)
                            ? Conversions.convertToRawType(value, schema, logicalType, conversion)
                            : value;
            dispatch(raw, rawValue, out);
        }
    }

    /** A union of null and one other branch: the branch index, then the value if it is not null. */
    static final class NullableWriter extends ValueWriter {
        private final int nullIndex;
        private final int valueIndex;
        private final ValueWriter valueWriter;

        NullableWriter(int nullIndex, int valueIndex, ValueWriter valueWriter) {
            super(OTHER);
            this.nullIndex = nullIndex;
            this.valueIndex = valueIndex;
            this.valueWriter = valueWriter;
        }

        @Override
        void write(Object value, AvroBinaryBuffer out) {
            if (value == null) {
                out.writeInt(nullIndex);
            } else {
                out.writeInt(valueIndex);
                dispatch(valueWriter, value, out);
            }
        }
    }

    /**
     * Avro's block encoding as BinaryEncoder writes it: nothing but the end marker 0 when empty,
     * else one block of count items, then 0.
     */
    static final class ArrayWriter extends ValueWriter {
        private final ValueWriter element;

        ArrayWriter(ValueWriter element) {
            super(OTHER);
            this.element = element;
        }

        @Override
        void write(Object value, AvroBinaryBuffer out) {
            Collection<?> items = (Collection<?>) value;
            int count = items.size();
            if (count > 0) {
                out.writeLong(count);
                if (items instanceof List<?> list && items instanceof RandomAccess) {
                    // By index: no iterator per array (the generated classes hold ArrayLists /
                    // GenericData.Array).
                    for (int i = 0; i < count; i++) {
                        dispatch(element, list.get(i), out);
                    }
                } else {
                    for (Object item : items) {
                        dispatch(element, item, out);
                    }
                }
            }
            out.writeLong(0);
        }
    }

    /**
     * Like arrays, one block; keys through {@code toString()}, as the generic writer writes them.
     */
    static final class MapWriter extends ValueWriter {
        private final ValueWriter valueWriter;

        MapWriter(ValueWriter valueWriter) {
            super(OTHER);
            this.valueWriter = valueWriter;
        }

        @Override
        void write(Object value, AvroBinaryBuffer out) {
            Map<?, ?> map = (Map<?, ?>) value;
            int count = map.size();
            if (count > 0) {
                out.writeLong(count);
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.writeString(entry.getKey().toString());
                    dispatch(valueWriter, entry.getValue(), out);
                }
            }
            out.writeLong(0);
        }
    }

    /** The fields in schema order, each read by position ({@code IndexedRecord.get(int)}). */
    static final class RecordWriter extends ValueWriter {
        private final String name;
        private String[] fieldNames;
        private int[] positions;
        private ValueWriter[] writers;

        RecordWriter(String name) {
            super(OTHER);
            this.name = name;
        }

        /**
         * Set once, right after construction; separate so a recursive schema's field can point at
         * this.
         */
        void setFields(String[] fieldNames, int[] positions, ValueWriter[] writers) {
            this.fieldNames = fieldNames;
            this.positions = positions;
            this.writers = writers;
        }

        @Override
        void write(Object value, AvroBinaryBuffer out) {
            // Generated records through their base class: a class check and a virtual call, cheaper
            // than the IndexedRecord interface cast and call (the interface checks scan each
            // class's list of interfaces).
            SpecificRecordBase specific = value instanceof SpecificRecordBase r ? r : null;
            IndexedRecord record = specific == null ? (IndexedRecord) value : null;
            for (int i = 0; i < writers.length; i++) {
                try {
                    Object field =
                            specific != null
                                    ? specific.get(positions[i])
                                    : record.get(positions[i]);
                    dispatch(writers[i], field, out);
                } catch (NullPointerException e) {
                    // Same exception type as SpecificDatumWriter (a null in a non-nullable field),
                    // with the path.
                    throw new NullFieldException(
                            name,
                            e instanceof NullFieldException inner
                                    ? fieldNames[i] + "." + inner.fieldPath
                                    : fieldNames[i],
                            e);
                } catch (ClassCastException e) {
                    throw new ClassCastException(
                            "field " + name + "." + fieldNames[i] + ": " + e.getMessage());
                }
            }
        }
    }

    /**
     * A record whose class Avro generated coders for ({@code customEncode}: those without logical
     * types, e.g. the shared Lineage, ScoredItem, HistoryWeight): its own straight-line code,
     * writing into the buffer as an {@code Encoder}, is faster than any tree (no boxing, no
     * dispatch). The tree of the same record is kept to name the field when the generated code
     * meets a null.
     */
    static final class GeneratedCoderWriter extends ValueWriter {
        private final RecordWriter tree;

        GeneratedCoderWriter(RecordWriter tree) {
            super(OTHER);
            this.tree = tree;
        }

        @Override
        void write(Object value, AvroBinaryBuffer out) {
            try {
                ((SpecificRecordBase) value).customEncode(out);
            } catch (NullPointerException e) {
                tree.write(
                        value,
                        new AvroBinaryBuffer(64)); // throws the NullFieldException naming the field
                throw e;
            } catch (IOException e) {
                throw new UncheckedIOException("the in-memory buffer does not throw", e);
            }
        }
    }

    /**
     * A null where the schema allows none; {@code fieldPath} is field[.field...] below the
     * outermost record.
     */
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
