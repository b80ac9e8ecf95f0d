package io.attnstream.platform;

import io.attnstream.schema.Lineage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Prediction ids are name-based UUIDs of (model, version, input lineage, sub-key): a prediction replayed after a
 * failure gets the same id, and the prediction and its attention record share it.
 *
 * <p>The same ids as {@link UUID#nameUUIDFromBytes} (version 3, MD5), computed with one digest per thread:
 * looking up a new {@code MessageDigest} for every output was a visible share of the assembling operators' CPU.
 */
public final class PredictionIds {
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every JVM", e);
        }
    });

    private PredictionIds() {}

    public static String of(String modelName, String modelVersion, Lineage lineage, String subKey) {
        String name = modelName + "|" + modelVersion + "|" + lineage.getTopic() + "|" + lineage.getPartition()
                + "|" + lineage.getOffset() + "|" + subKey;
        return nameUuid(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** {@link UUID#nameUUIDFromBytes} with the thread's digest. */
    static UUID nameUuid(byte[] name) {
        byte[] md5 = MD5.get().digest(name);
        md5[6] &= 0x0f;
        md5[6] |= 0x30; // version 3
        md5[8] &= 0x3f;
        md5[8] |= (byte) 0x80; // IETF variant
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (md5[i] & 0xff);
            lsb = (lsb << 8) | (md5[i + 8] & 0xff);
        }
        return new UUID(msb, lsb);
    }
}
