package io.attnstream.platform;

import io.attnstream.schema.Lineage;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.UUID;

/**
 * Prediction ids are name-based UUIDs of (model, version, input lineage, sub-key): a prediction
 * replayed after a failure gets the same id, and the prediction and its attention record share it.
 *
 * <p>The same ids as {@link UUID#nameUUIDFromBytes} (version 3, MD5) of the UTF-8 name {@code
 * model|version|topic|partition|offset|subKey}, computed with one digest and one name buffer per
 * thread: looking up a new {@code MessageDigest} for every output, and building the name as a
 * String and then as bytes, were a visible share of the assembling operators' CPU (one id per
 * scored record).
 */
public final class PredictionIds {
    private static final ThreadLocal<Name> NAMES = ThreadLocal.withInitial(Name::new);

    private PredictionIds() {}

    public static String of(String modelName, String modelVersion, Lineage lineage, String subKey) {
        Name n = NAMES.get().reset();
        n.text(modelName)
                .sep()
                .text(modelVersion)
                .sep()
                .text(lineage.getTopic())
                .sep()
                .number(lineage.getPartition())
                .sep()
                .number(lineage.getOffset())
                .sep()
                .text(subKey);
        return n.uuid().toString();
    }

    /** {@link UUID#nameUUIDFromBytes} with the thread's digest. */
    static UUID nameUuid(byte[] name) {
        Name n = NAMES.get().reset();
        n.bytes(name, name.length);
        return n.uuid();
    }

    /** A reusable name buffer and digest: one per thread. */
    private static final class Name {
        private final MessageDigest md5;
        private final byte[] hash = new byte[16];
        private byte[] buf = new byte[128];
        private int length;

        Name() {
            try {
                md5 = MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("MD5 is required of every JVM", e);
            }
        }

        Name reset() {
            length = 0;
            return this;
        }

        Name sep() {
            ensure(1);
            buf[length++] = '|';
            return this;
        }

        /** The UTF-8 of {@code s} ({@code "null"} for null, as string concatenation wrote it). */
        Name text(String s) {
            if (s == null) {
                s = "null";
            }
            int n = s.length();
            ensure(n);
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) { // not ASCII: the JDK's encoder for the rest
                    byte[] rest = s.substring(i).getBytes(StandardCharsets.UTF_8);
                    return bytes(rest, rest.length);
                }
                buf[length++] = (byte) c;
            }
            return this;
        }

        /** Decimal digits, as {@link Long#toString(long)} writes them. */
        Name number(long v) {
            if (v < 0) {
                return text(Long.toString(v));
            }
            int digits = 1;
            for (long x = v; x >= 10; x /= 10) {
                digits++;
            }
            ensure(digits);
            for (int i = length + digits - 1; i >= length; i--) {
                buf[i] = (byte) ('0' + v % 10);
                v /= 10;
            }
            length += digits;
            return this;
        }

        Name bytes(byte[] b, int n) {
            ensure(n);
            System.arraycopy(b, 0, buf, length, n);
            length += n;
            return this;
        }

        private void ensure(int more) {
            if (length + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + more));
            }
        }

        UUID uuid() {
            md5.update(buf, 0, length);
            try {
                md5.digest(hash, 0, hash.length);
            } catch (DigestException e) {
                throw new IllegalStateException("an MD5 digest is 16 bytes", e);
            }
            hash[6] &= 0x0f;
            hash[6] |= 0x30; // version 3
            hash[8] &= 0x3f;
            hash[8] |= (byte) 0x80; // IETF variant
            long msb = 0;
            long lsb = 0;
            for (int i = 0; i < 8; i++) {
                msb = (msb << 8) | (hash[i] & 0xff);
                lsb = (lsb << 8) | (hash[i + 8] & 0xff);
            }
            return new UUID(msb, lsb);
        }
    }
}
