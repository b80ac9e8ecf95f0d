package io.attnstream.platform;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plain Avro binary (no registry header, no single-object encoding) for one generated record class:
 * what attnstream puts on the wire. Serializable so Flink functions can carry it; readers and
 * buffers are made lazily per instance (they are not thread-safe, and each subtask has its own
 * deserialised copy).
 *
 * <p>Encoding goes through a {@link CompiledAvroEncoder}, built once per class (it is immutable),
 * which writes the bytes of {@code SpecificDatumWriter} without its per-field generic dispatch; a
 * schema the compiled encoder does not support falls back to {@code SpecificDatumWriter}. Decoding
 * is {@code SpecificDatumReader}.
 */
public final class AvroCodec<T extends SpecificRecord> implements Serializable {
    private static final long serialVersionUID = 1L;

    static {
        AvroTrust.install();
    }

    private static final Logger LOG = LoggerFactory.getLogger(AvroCodec.class);

    /**
     * One compiled encoder per class, or empty when its schema is unsupported (logged once, here).
     * Per class, not per codec: codecs are made freely (e.g. one per dead letter), the schema walk
     * need not be repeated.
     */
    private static final ClassValue<Optional<CompiledAvroEncoder<?>>> COMPILED =
            new ClassValue<>() {
                @Override
                @SuppressWarnings({"unchecked", "rawtypes"})
                protected Optional<CompiledAvroEncoder<?>> computeValue(Class<?> type) {
                    try {
                        return Optional.of(CompiledAvroEncoder.forClass((Class) type));
                    } catch (CompiledAvroEncoder.UnsupportedSchemaException e) {
                        LOG.debug(
                                "{} is encoded with SpecificDatumWriter: {}",
                                type.getName(),
                                e.getMessage());
                        return Optional.empty();
                    }
                }
            };

    private final Class<T> type;

    /**
     * Always SpecificDatumWriter: the reference the compiled encoder is tested and measured
     * against.
     */
    private final boolean datumWriterOnly;

    private transient boolean encoderChosen;
    private transient Schema schema;
    private transient CompiledAvroEncoder<T> compiled;
    private transient AvroBinaryBuffer compiledBuffer;
    private transient SpecificDatumReader<T> reader;
    private transient SpecificDatumWriter<T> writer;
    private transient ByteArrayOutputStream buffer;
    private transient BinaryEncoder encoder;
    private transient BinaryDecoder decoder;

    public AvroCodec(Class<T> type) {
        this(type, false);
    }

    private AvroCodec(Class<T> type, boolean datumWriterOnly) {
        this.type = type;
        this.datumWriterOnly = datumWriterOnly;
    }

    /**
     * A codec that encodes with SpecificDatumWriter only, for comparisons with the compiled
     * encoder.
     */
    static <T extends SpecificRecord> AvroCodec<T> withDatumWriterOnly(Class<T> type) {
        return new AvroCodec<>(type, true);
    }

    public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
        return new AvroCodec<>(type);
    }

    /**
     * The generated class's own model (its logical-type conversions), with custom coders switched
     * on so that records that have generated coders use them. Avro 1.12 generates them only for
     * records without logical types: of attnstream's schemas, the shared nested types (Lineage,
     * ScoredItem, ...), never a top-level record (they all carry timestamp-millis fields), which
     * SpecificDatumWriter therefore writes on its generic path. Hence encoding uses {@link
     * CompiledAvroEncoder}; this model serves decoding and the fallback.
     */
    static SpecificData customCoders(Class<?> type) {
        SpecificData model = SpecificData.getForClass(type);
        if (!model.useCustomCoders()) {
            model.setCustomCoders(true);
        }
        return model;
    }

    /**
     * Whether {@link #encode} uses the compiled encoder (false: SpecificDatumWriter, e.g.
     * unsupported schema).
     */
    boolean usesCompiledEncoder() {
        return !datumWriterOnly && COMPILED.get(type).isPresent();
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

    @SuppressWarnings("unchecked")
    public byte[] encode(T record) {
        if (!encoderChosen) {
            compiled =
                    datumWriterOnly
                            ? null
                            : (CompiledAvroEncoder<T>) COMPILED.get(type).orElse(null);
            if (compiled != null) {
                compiledBuffer = new AvroBinaryBuffer(256);
            }
            encoderChosen = true;
        }
        if (compiled != null) {
            compiledBuffer.reset();
            compiled.encode(record, compiledBuffer);
            return compiledBuffer.toByteArray();
        }
        return encodeGeneric(record);
    }

    /** SpecificDatumWriter: the fallback for schemas the compiled encoder does not support. */
    private byte[] encodeGeneric(T record) {
        if (writer == null) {
            writer = new SpecificDatumWriter<>(schema(), customCoders(type));
            buffer = new ByteArrayOutputStream(256);
        }
        buffer.reset();
        // Buffered, not direct: the direct encoder writes each field to the (synchronised) stream
        // on its own; for the traffic outputs the buffered one took half the time per record
        // (1.2-1.5 us vs 2.3-2.9 us for a forecast + attention pair, measured in a loop on this
        // machine).
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
     * @throws IOException with a message fit for a dead letter when the bytes are not one record of
     *     this schema
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
        } catch (EOFException e) {
            // Avro's EOFException has no message; say what it means.
            throw new IOException(
                    "truncated: "
                            + bytes.length
                            + " bytes end before a complete "
                            + type.getSimpleName()
                            + " record",
                    e);
        } catch (RuntimeException e) {
            // Avro reports some corruptions (bad enum index, negative lengths) as runtime
            // exceptions.
            throw new IOException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        if (!decoder.isEnd()) {
            throw new IOException(
                    "trailing bytes after a " + type.getSimpleName() + " record: not this schema");
        }
        return value;
    }
}
