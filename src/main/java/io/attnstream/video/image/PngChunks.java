package io.attnstream.video.image;

import static io.attnstream.video.image.FrameRejection.Reason.TRUNCATED;
import static io.attnstream.video.image.FrameRejection.Reason.UNDECODABLE;

/**
 * A walk over a PNG's chunk lengths (no decompression) to tell a file cut short from a corrupt one
 * before the decoder runs: ImageIO reports both as the same generic error.
 */
final class PngChunks {
    private static final int IEND = 0x49454E44;

    private PngChunks() {}

    static void requireComplete(byte[] b, int offset, int length) throws FrameRejection {
        int end = offset + length;
        int p = offset + 8;
        while (true) {
            if (p + 8 > end) {
                throw new FrameRejection(
                        TRUNCATED, "PNG cut short: " + length + " bytes end before its IEND chunk");
            }
            int chunk = FrameHeader.int32(b, p);
            int type = FrameHeader.int32(b, p + 4);
            if (chunk < 0) {
                throw new FrameRejection(
                        UNDECODABLE,
                        "PNG chunk length "
                                + Integer.toUnsignedString(chunk)
                                + " at byte "
                                + (p - offset));
            }
            if ((long) p + 12 + chunk > end) {
                throw new FrameRejection(
                        TRUNCATED,
                        "PNG cut short: " + length + " bytes end inside chunk " + typeName(type));
            }
            if (type == IEND) {
                return;
            }
            p += 12 + chunk;
        }
    }

    private static String typeName(int type) {
        char[] c = new char[4];
        for (int i = 0; i < 4; i++) {
            int ch = type >>> (24 - 8 * i) & 0xFF;
            c[i] = ch >= 0x20 && ch < 0x7F ? (char) ch : '?';
        }
        return new String(c);
    }
}
