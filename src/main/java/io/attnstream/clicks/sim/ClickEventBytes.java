package io.attnstream.clicks.sim;

import io.attnstream.platform.AvroCodec;
import io.attnstream.schema.ClickEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * ClickEvent bytes as {@link ClickFaults} wants them on the wire: valid, with an event type the
 * schema does not have, or cut short. An unknown symbol cannot be set through the generated class,
 * so those bytes are written with a copy of the schema whose enum has one more symbol at the end:
 * every other index stays the same, and the real schema reads an enum index out of its range, which
 * fails to decode.
 */
public final class ClickEventBytes {
    /** The event type the wire gets for {@link ClickFaults.Encoding#UNKNOWN_EVENT_TYPE}. */
    public static final String UNKNOWN_SYMBOL = "REFUND";

    private final AvroCodec<ClickEvent> codec = AvroCodec.of(ClickEvent.class);
    private final Schema extended = extendedSchema();
    private final GenericDatumReader<GenericRecord> asExtended =
            new GenericDatumReader<>(ClickEvent.getClassSchema(), extended);
    private final GenericDatumWriter<GenericRecord> writer = new GenericDatumWriter<>(extended);

    public byte[] encode(ClickEvent e, ClickFaults.Encoding encoding) {
        byte[] valid = codec.encode(e);
        return switch (encoding) {
            case AVRO -> valid;
            case TRUNCATED ->
                    Arrays.copyOf(valid, valid.length / 2); // the decoder runs out of bytes
            case UNKNOWN_EVENT_TYPE -> withUnknownType(valid);
        };
    }

    /**
     * The schema the unknown-type bytes are written with: ClickEvent with {@link #UNKNOWN_SYMBOL}
     * appended.
     */
    public static Schema extendedSchema() {
        Schema original = ClickEvent.getClassSchema();
        Schema type = original.getField("event_type").schema();
        List<String> symbols = new ArrayList<>(type.getEnumSymbols());
        symbols.add(UNKNOWN_SYMBOL);
        Schema extendedType =
                Schema.createEnum(
                        type.getName(),
                        type.getDoc(),
                        type.getNamespace(),
                        symbols,
                        type.getEnumDefault());
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : original.getFields()) {
            fields.add(
                    new Schema.Field(
                            f.name(),
                            f.name().equals("event_type") ? extendedType : f.schema(),
                            f.doc(),
                            f.defaultVal()));
        }
        return Schema.createRecord(
                original.getName(), original.getDoc(), original.getNamespace(), false, fields);
    }

    private byte[] withUnknownType(byte[] valid) {
        try {
            // Read the valid bytes as the extended schema (a compatible widening), swap the symbol,
            // write back.
            GenericRecord r =
                    asExtended.read(null, DecoderFactory.get().binaryDecoder(valid, null));
            r.put(
                    "event_type",
                    new GenericData.EnumSymbol(
                            extended.getField("event_type").schema(), UNKNOWN_SYMBOL));
            ByteArrayOutputStream out = new ByteArrayOutputStream(valid.length + 1);
            BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(r, enc);
            enc.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("re-encoding a ClickEvent in memory failed", e);
        }
    }
}
