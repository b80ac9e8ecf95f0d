package io.attnstream.training;

import io.attnstream.inference.ModelStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The fingerprint a model directory records of the data it was trained on, so a model can be traced
 * back to its data and two runs on the same data can be told apart from runs on different data. A
 * file is fingerprinted by its bytes ({@code sha256:<hex>}); data built in memory (a simulator, a
 * test) by its values, fed in a fixed order ({@code values-sha256:<hex>}). The byte layout of each
 * {@code add} is part of the fingerprint: changing it changes every in-memory fingerprint.
 */
public final class DataFingerprint {
    private final MessageDigest digest;

    private DataFingerprint() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** {@code sha256:<hex>} of a file's bytes. */
    public static String ofFile(Path file) {
        return "sha256:" + ModelStore.sha256(file);
    }

    /** A fingerprint of values, fed with the {@code add} methods and read with {@link #value()}. */
    public static DataFingerprint ofValues() {
        return new DataFingerprint();
    }

    /** The string's UTF-8 bytes, no separator. */
    public DataFingerprint add(String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public DataFingerprint add(byte value) {
        digest.update(value);
        return this;
    }

    public DataFingerprint add(byte[] bytes) {
        digest.update(bytes);
        return this;
    }

    /** Each float's IEEE bits, big-endian ({@code floatToIntBits}: every NaN hashes the same). */
    public DataFingerprint add(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length);
        for (float v : values) {
            buffer.putInt(Float.floatToIntBits(v));
        }
        digest.update(buffer.array());
        return this;
    }

    /**
     * {@code values-sha256:<hex>} of everything added; the fingerprint cannot be fed after this.
     */
    public String value() {
        return "values-sha256:" + HexFormat.of().formatHex(digest.digest());
    }
}
