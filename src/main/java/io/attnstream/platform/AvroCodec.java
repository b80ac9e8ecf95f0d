package io.attnstream.platform;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;

/**
 * Plain Avro binary (no registry header, no single-object encoding) for one generated record class: what
 * attnstream puts on the wire. Serializable so Flink functions can carry it; readers and writers are made lazily
 * per instance (they are not thread-safe, and each subtask has its own deserialised copy).
 */
public final class AvroCodec<T extends SpecificRecord> implements Serializable {
    private static final long serialVersionUID = 1L;

    static {
        AvroTrust.install();
    }

    private final Class<T> type;
    private transient Schema schema;
    private transient SpecificDatumReader<T> reader;
    private transient SpecificDatumWriter<T> writer;
    private transient ByteArrayOutputStream buffer;
    private transient BinaryEncoder encoder;
    private transient BinaryDecoder decoder;

    public AvroCodec(Class<T> type) {
        this.type = type;
    }

    public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
        return new AvroCodec<>(type);
    }

    /**
     * The generated class's own model with its generated encoders and decoders switched on: the same bytes as
     * Avro's generic path (tested), which resolves every field and union through reflection-like lookups and was
     * the largest single cost of publishing a recommendation with its attention.
     */
    static SpecificData customCoders(Class<?> type) {
        SpecificData model = SpecificData.getForClass(type);
        if (!model.useCustomCoders()) {
            model.setCustomCoders(true);
        }
        return model;
    }

    public Class<T> type() {
        return type;
    }

    public Schema schema() {
        if (schema == null) {
            schema = SpecificData.get().getSchema(type);
        }
        return schema;
    }

    public byte[] encode(T record) {
        if (writer == null) {
            writer = new SpecificDatumWriter<>(schema(), customCoders(type));
            buffer = new ByteArrayOutputStream(256);
        }
        buffer.reset();
        // Buffered, not direct: the direct encoder writes each field to the (synchronised) stream on its own; for
        // the traffic outputs the buffered one took half the time per record (1.2-1.5 us vs 2.3-2.9 us for a
        // forecast + attention pair, measured in a loop on this machine).
        encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new IllegalStateException("Avro encoding to memory failed", e);
        }
        return buffer.toByteArray();
    }

    /**
     * Decodes exactly one record that must use all the bytes.
     *
     * @throws IOException with a message fit for a dead letter when the bytes are not one record of this schema
     */
    public T decode(byte[] bytes) throws IOException {
        if (bytes == null) {
            throw new IOException("record has no value (null payload)");
        }
        if (reader == null) {
            reader = new SpecificDatumReader<>(schema(), schema(), customCoders(type));
        }
        decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
        T value;
        try {
            value = reader.read(null, decoder);
        } catch (java.io.EOFException e) {
            // Avro's EOFException has no message; say what it means.
            throw new IOException("truncated: " + bytes.length + " bytes end before a complete "
                    + type.getSimpleName() + " record", e);
        } catch (RuntimeException e) {
            // Avro reports some corruptions (bad enum index, negative lengths) as runtime exceptions.
            throw new IOException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        if (!decoder.isEnd()) {
            throw new IOException("trailing bytes after a " + type.getSimpleName() + " record: not this schema");
        }
        return value;
    }
}
