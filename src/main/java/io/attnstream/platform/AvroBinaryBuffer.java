package io.attnstream.platform;

import org.apache.avro.util.Utf8;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array that writes Avro binary primitives: the sink of {@link CompiledAvroEncoder}. It replaces
 * {@code BufferedBinaryEncoder} over a {@code ByteArrayOutputStream}, whose every flush goes through the stream's
 * synchronised {@code write} and whose result is copied twice; here a record is one array written in place and
 * copied once. Each method writes exactly what the {@code BinaryEncoder} method of the same name writes (tested
 * byte for byte against {@code SpecificDatumWriter}). Not thread-safe; reused across records via {@link #reset}.
 */
final class AvroBinaryBuffer {
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

    void writeBoolean(boolean b) {
        ensure(1);
        bytes[size++] = (byte) (b ? 1 : 0);
    }

    /** Zig-zag varint, as {@code BinaryData.encodeInt}. */
    void writeInt(int n) {
        ensure(5);
        int v = (n << 1) ^ (n >> 31);
        while ((v & ~0x7F) != 0) {
            bytes[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        bytes[size++] = (byte) v;
    }

    /** Zig-zag varint, as {@code BinaryData.encodeLong}. */
    void writeLong(long n) {
        ensure(10);
        long v = (n << 1) ^ (n >> 63);
        while ((v & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        bytes[size++] = (byte) v;
    }

    /** Little-endian raw bits, as {@code BinaryData.encodeFloat} (NaN payloads kept). */
    void writeFloat(float f) {
        ensure(4);
        int bits = Float.floatToRawIntBits(f);
        bytes[size] = (byte) bits;
        bytes[size + 1] = (byte) (bits >>> 8);
        bytes[size + 2] = (byte) (bits >>> 16);
        bytes[size + 3] = (byte) (bits >>> 24);
        size += 4;
    }

    void writeDouble(double d) {
        ensure(8);
        long bits = Double.doubleToRawLongBits(d);
        for (int i = 0; i < 8; i++) {
            bytes[size + i] = (byte) (bits >>> (8 * i));
        }
        size += 8;
    }

    void writeFixed(byte[] src, int offset, int length) {
        ensure(length);
        System.arraycopy(src, offset, bytes, size, length);
        size += length;
    }

    /** Length + the buffer's remaining bytes; leaves its position alone, as {@code BinaryEncoder.writeBytes}. */
    void writeBytes(ByteBuffer buffer) {
        int length = buffer.remaining();
        writeInt(length);
        if (length == 0) {
            return;
        }
        ensure(length);
        if (buffer.hasArray()) {
            System.arraycopy(buffer.array(), buffer.arrayOffset() + buffer.position(), bytes, size, length);
        } else {
            // Direct or read-only: an absolute bulk get through a duplicate, so the caller's position stays.
            buffer.duplicate().get(bytes, size, length);
        }
        size += length;
    }

    /**
     * Length-prefixed UTF-8, as {@code BinaryEncoder.writeString(CharSequence)}: a {@link Utf8} as its bytes,
     * anything else through {@code toString()}.
     */
    void writeString(CharSequence s) {
        if (s instanceof Utf8 utf8) {
            writeInt(utf8.getByteLength());
            writeFixed(utf8.getBytes(), 0, utf8.getByteLength());
        } else {
            writeString(s.toString());
        }
    }

    /**
     * ASCII (the usual id or name) is written char by char with no intermediate array; anything else through
     * {@link String#getBytes}, which is what Avro uses, so unpaired surrogates become '?' just as there.
     */
    void writeString(String s) {
        int length = s.length();
        int start = size;
        writeInt(length); // for ASCII the byte length is the char count
        ensure(length);
        int at = size;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                size = start;
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                writeInt(utf8.length);
                writeFixed(utf8, 0, utf8.length);
                return;
            }
            bytes[at++] = (byte) c;
        }
        size = at;
    }
}
