package io.attnstream.video.image;

import static io.attnstream.video.image.FrameRejection.Reason.SIZE_MISMATCH;
import static io.attnstream.video.image.FrameRejection.Reason.TRUNCATED;
import static io.attnstream.video.image.FrameRejection.Reason.UNDECODABLE;
import static io.attnstream.video.image.FrameRejection.Reason.WRONG_ENCODING;

import io.attnstream.schema.FrameEncoding;
import java.util.zip.CRC32;

/**
 * An image's size as its header states it, read without decoding anything: the IHDR chunk of a PNG,
 * the frame header (SOFn) of a JPEG found by walking its marker segments, or for raw RGB8 the
 * record's own width and height checked against the byte count. This is what the pixel limit is
 * checked on before a decoder allocates.
 */
public record FrameHeader(FrameEncoding encoding, int width, int height) {
    private static final byte[] PNG_SIGNATURE = {
        (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'
    };

    /** Signature, IHDR length and type, 13 bytes of IHDR data, its CRC. */
    private static final int PNG_HEADER_BYTES = 8 + 8 + 13 + 4;

    private static final int IHDR = 0x49484452;

    public long pixels() {
        return (long) width * height;
    }

    /** The size of a PNG or JPEG image ({@link #raw} for RGB8). */
    public static FrameHeader read(FrameEncoding encoding, byte[] bytes) throws FrameRejection {
        return read(encoding, bytes, 0, bytes.length);
    }

    /** As {@link #read(FrameEncoding, byte[])} on {@code bytes[offset, offset + length)}. */
    public static FrameHeader read(FrameEncoding encoding, byte[] bytes, int offset, int length)
            throws FrameRejection {
        FrameEncoding actual = sniff(bytes, offset, length);
        if (encoding == FrameEncoding.RGB8) {
            throw new IllegalArgumentException("RGB8 has no header: use FrameHeader.raw");
        }
        if (actual != null && actual != encoding) {
            throw new FrameRejection(
                    WRONG_ENCODING, "encoding says " + encoding + " but the bytes are a " + actual);
        }
        if (length == 0) {
            throw new FrameRejection(UNDECODABLE, "no image bytes");
        }
        if (actual == null) {
            // A prefix of the signature is a file cut short; anything else is not this format at
            // all.
            if (isPrefixOfSignature(encoding, bytes, offset, length)) {
                throw new FrameRejection(
                        TRUNCATED, encoding + " cut short: only " + length + " bytes");
            }
            throw new FrameRejection(
                    UNDECODABLE, "not a " + encoding + " (no " + encoding + " signature)");
        }
        return encoding == FrameEncoding.PNG
                ? png(bytes, offset, length)
                : jpeg(bytes, offset, length);
    }

    /** Raw RGB8: {@code width x height} from the record, which must account for every byte. */
    public static FrameHeader raw(int width, int height, int length) throws FrameRejection {
        if (width < 1 || height < 1) {
            throw new FrameRejection(
                    UNDECODABLE, "RGB8 frame of " + width + " x " + height + " pixels");
        }
        long expected = 3L * width * height;
        if (length % 3 != 0) {
            throw new FrameRejection(
                    UNDECODABLE, "RGB8 data of " + length + " bytes is not whole RGB triples");
        }
        if (expected != length) {
            throw new FrameRejection(
                    length < expected ? TRUNCATED : SIZE_MISMATCH,
                    "RGB8 frame of "
                            + width
                            + " x "
                            + height
                            + " needs "
                            + expected
                            + " bytes, got "
                            + length);
        }
        return new FrameHeader(FrameEncoding.RGB8, width, height);
    }

    /** PNG or JPEG by their signatures; null when neither. */
    public static FrameEncoding sniff(byte[] b, int offset, int length) {
        if (length >= PNG_SIGNATURE.length && startsWith(b, offset, PNG_SIGNATURE)) {
            return FrameEncoding.PNG;
        }
        if (length >= 3
                && (b[offset] & 0xFF) == 0xFF
                && (b[offset + 1] & 0xFF) == 0xD8
                && (b[offset + 2] & 0xFF) == 0xFF) {
            return FrameEncoding.JPEG;
        }
        return null;
    }

    private static FrameHeader png(byte[] b, int offset, int length) throws FrameRejection {
        if (length < PNG_HEADER_BYTES) {
            throw new FrameRejection(
                    TRUNCATED, "PNG cut short: " + length + " bytes end inside the IHDR header");
        }
        int p = offset + PNG_SIGNATURE.length;
        if (int32(b, p) != 13 || int32(b, p + 4) != IHDR) {
            throw new FrameRejection(UNDECODABLE, "PNG does not start with a 13-byte IHDR chunk");
        }
        CRC32 crc = new CRC32();
        crc.update(b, p + 4, 4 + 13);
        if ((int) crc.getValue() != int32(b, p + 8 + 13)) {
            throw new FrameRejection(UNDECODABLE, "PNG IHDR checksum mismatch (corrupt header)");
        }
        int width = int32(b, p + 8);
        int height = int32(b, p + 12);
        // PNG sizes are 31-bit: a negative int is a corrupt header, not a huge image.
        if (width <= 0 || height <= 0) {
            throw new FrameRejection(
                    UNDECODABLE,
                    "PNG header states "
                            + Integer.toUnsignedString(width)
                            + " x "
                            + Integer.toUnsignedString(height)
                            + " pixels");
        }
        return new FrameHeader(FrameEncoding.PNG, width, height);
    }

    /**
     * Walks the marker segments after SOI ({@link JpegSegments.Walk}) up to the first frame header.
     */
    private static FrameHeader jpeg(byte[] b, int offset, int length) throws FrameRejection {
        JpegSegments.Walk walk = new JpegSegments.Walk(b, offset, length, "its frame header");
        while (true) {
            int marker = walk.nextMarker();
            if (marker == 0xD9) {
                throw new FrameRejection(UNDECODABLE, "JPEG ends (EOI) before any frame header");
            }
            if (marker == 0x00 || marker == 0xD8 || marker == 0xDA) {
                throw new FrameRejection(
                        UNDECODABLE,
                        String.format(
                                "JPEG: marker 0x%02X at byte %d before any frame" + " header",
                                marker, walk.byteOf(walk.position() - 1)));
            }
            if (JpegSegments.Walk.standsAlone(marker)) {
                continue;
            }
            int segment = walk.segmentLength();
            if (isStartOfFrame(marker)) {
                // Length, precision, height, width, component count.
                if (segment < 8) {
                    throw new FrameRejection(
                            UNDECODABLE, "JPEG: frame header of " + segment + " bytes");
                }
                int i = walk.position();
                if (i + 7 > walk.end) {
                    throw new FrameRejection(
                            TRUNCATED,
                            "JPEG cut short: " + length + " bytes end inside the frame header");
                }
                int height = walk.uint16(i + 3);
                int width = walk.uint16(i + 5);
                if (width == 0 || height == 0) {
                    // Height 0 means "given later by a DNL marker": unknown up front, so the limit
                    // cannot be checked.
                    throw new FrameRejection(
                            UNDECODABLE,
                            "JPEG frame header states " + width + " x " + height + " pixels");
                }
                return new FrameHeader(FrameEncoding.JPEG, width, height);
            }
            walk.skip(segment);
        }
    }

    /** SOF0-3, 5-7, 9-11, 13-15; not DHT (C4), JPG (C8) or DAC (CC), which share the range. */
    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0
                && marker <= 0xCF
                && marker != 0xC4
                && marker != 0xC8
                && marker != 0xCC;
    }

    private static boolean isPrefixOfSignature(
            FrameEncoding encoding, byte[] b, int offset, int length) {
        byte[] signature =
                encoding == FrameEncoding.PNG
                        ? PNG_SIGNATURE
                        : new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
        if (length >= signature.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (b[offset + i] != signature[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] b, int offset, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (b[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    static int int32(byte[] b, int i) {
        return (b[i] & 0xFF) << 24
                | (b[i + 1] & 0xFF) << 16
                | (b[i + 2] & 0xFF) << 8
                | b[i + 3] & 0xFF;
    }
}
