package io.attnstream.platform;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.avro.io.Encoder;
import org.apache.avro.util.Utf8;

/**
 * A growable byte array that writes Avro binary: the sink of {@link CompiledAvroEncoder}. It
 * replaces {@code BufferedBinaryEncoder} over a {@code ByteArrayOutputStream}, whose every flush
 * goes through the stream's synchronised {@code write} and whose result is copied twice; here a
 * record is one array written in place and copied once. Each method writes exactly what the {@code
 * BinaryEncoder} method of the same name writes (tested byte for byte against {@code
 * SpecificDatumWriter}). It is an {@link Encoder} so that records for which Avro generated coders
 * ({@code customEncode}) write themselves into it. Not thread-safe; reused via {@link #reset}.
 */
final class AvroBinaryBuffer extends Encoder {
    private byte[] bytes;
    private int size;

    AvroBinaryBuffer(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    void reset() {
        size = 0;
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void ensure(int extra) {
        int needed = size + extra;
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
        }
    }

    @Override
    public void writeBoolean(boolean b) {
        ensure(1);
        bytes[size++] = (byte) (b ? 1 : 0);
    }

    /** Zig-zag varint, as {@code BinaryData.encodeInt}. */
    @Override
    public void writeInt(int n) {
        ensure(5);
        int v = (n << 1) ^ (n >> 31);
        while ((v & ~0x7F) != 0) {
            bytes[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        bytes[size++] = (byte) v;
    }

    /** Zig-zag varint, as {@code BinaryData.encodeLong}. */
    @Override
    public void writeLong(long n) {
        ensure(10);
        long v = (n << 1) ^ (n >> 63);
        while ((v & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        bytes[size++] = (byte) v;
    }

    /** Little-endian raw bits, as {@code BinaryData.encodeFloat} (NaN payloads kept). */
    @Override
    public void writeFloat(float f) {
        ensure(4);
        int bits = Float.floatToRawIntBits(f);
        bytes[size] = (byte) bits;
        bytes[size + 1] = (byte) (bits >>> 8);
        bytes[size + 2] = (byte) (bits >>> 16);
        bytes[size + 3] = (byte) (bits >>> 24);
        size += 4;
    }

    @Override
    public void writeDouble(double d) {
        ensure(8);
        long bits = Double.doubleToRawLongBits(d);
        for (int i = 0; i < 8; i++) {
            bytes[size + i] = (byte) (bits >>> (8 * i));
        }
        size += 8;
    }

    @Override
    public void writeFixed(byte[] src, int offset, int length) {
        ensure(length);
        System.arraycopy(src, offset, bytes, size, length);
        size += length;
    }

    /**
     * Length + the buffer's remaining bytes; leaves its position alone, as {@code
     * BinaryEncoder.writeBytes}.
     */
    @Override
    public void writeBytes(ByteBuffer buffer) {
        int length = buffer.remaining();
        writeInt(length);
        if (length == 0) {
            return;
        }
        ensure(length);
        if (buffer.hasArray()) {
            System.arraycopy(
                    buffer.array(), buffer.arrayOffset() + buffer.position(), bytes, size, length);
        } else {
            // Direct or read-only: an absolute bulk get through a duplicate, so the caller's
            // position stays.
            buffer.duplicate().get(bytes, size, length);
        }
        size += length;
    }

    /**
     * Length-prefixed UTF-8, as {@code BinaryEncoder.writeString(CharSequence)}: a {@link Utf8} as
     * its bytes, anything else through {@code toString()}.
     */
    @Override
    public void writeString(CharSequence s) {
        if (s instanceof Utf8 utf8) {
            writeString(utf8);
        } else {
            writeString(s.toString());
        }
    }

    /**
     * As Avro writes it: {@link String#getBytes} to UTF-8, so unpaired surrogates become '?' just
     * as there. (A char-by-char ASCII loop into the buffer, without the intermediate array,
     * measured slower: getBytes of a compact Latin-1 string is an intrinsic scan plus an array
     * copy.)
     */
    @Override
    public void writeString(String s) {
        if (s.isEmpty()) {
            ensure(1);
            bytes[size++] = 0;
            return;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        writeInt(utf8.length);
        writeFixed(utf8, 0, utf8.length);
    }

    // ----- the rest of Encoder, as BinaryEncoder writes it (for generated customEncode methods)
    // ---------------

    @Override
    public void writeNull() {}

    @Override
    public void writeString(Utf8 utf8) {
        writeInt(utf8.getByteLength());
        writeFixed(utf8.getBytes(), 0, utf8.getByteLength());
    }

    @Override
    public void writeBytes(byte[] src, int offset, int length) {
        writeInt(length);
        writeFixed(src, offset, length);
    }

    @Override
    public void writeEnum(int ordinal) {
        writeInt(ordinal);
    }

    @Override
    public void writeIndex(int unionIndex) {
        writeInt(unionIndex);
    }

    @Override
    public void writeArrayStart() {}

    /** The block's count; an empty array or map writes none, only its end marker. */
    @Override
    public void setItemCount(long itemCount) {
        if (itemCount > 0) {
            writeLong(itemCount);
        }
    }

    @Override
    public void startItem() {}

    @Override
    public void writeArrayEnd() {
        writeLong(0);
    }

    @Override
    public void writeMapStart() {}

    @Override
    public void writeMapEnd() {
        writeLong(0);
    }

    @Override
    public void flush() {}
}
