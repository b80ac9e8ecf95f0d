package io.attnstream.video;

import static io.attnstream.video.FrameRejection.Reason.TRUNCATED;
import static io.attnstream.video.FrameRejection.Reason.UNDECODABLE;

/**
 * A walk over a JPEG's marker segments up to the end of the first scan header, to tell a file cut short inside
 * its tables from a corrupt one: ImageIO reports both as a generic structure error (and feeds itself a fake end
 * marker when the data runs out). A cut inside the compressed scan is caught while decoding, where libjpeg warns
 * of a premature end.
 */
final class JpegSegments {
    private JpegSegments() {}

    static void requireComplete(byte[] b, int offset, int length) throws FrameRejection {
        int end = offset + length;
        int i = offset + 2;
        while (true) {
            if (i >= end) {
                throw new FrameRejection(TRUNCATED, "JPEG cut short: " + length + " bytes end before its first scan");
            }
            if ((b[i] & 0xFF) != 0xFF) {
                throw new FrameRejection(UNDECODABLE, "JPEG: no marker at byte " + (i - offset));
            }
            while (i < end && (b[i] & 0xFF) == 0xFF) {
                i++;
            }
            if (i + 1 > end) {
                throw new FrameRejection(TRUNCATED, "JPEG cut short: " + length + " bytes end inside a marker");
            }
            int marker = b[i++] & 0xFF;
            if (marker == 0x01 || marker >= 0xD0 && marker <= 0xD7) {
                continue;
            }
            if (marker == 0xD9) {
                throw new FrameRejection(UNDECODABLE, "JPEG ends (EOI) before its first scan");
            }
            if (i + 2 > end) {
                throw new FrameRejection(TRUNCATED, "JPEG cut short: " + length + " bytes end inside a segment length");
            }
            int segment = (b[i] & 0xFF) << 8 | b[i + 1] & 0xFF;
            if (segment < 2) {
                throw new FrameRejection(UNDECODABLE, "JPEG: segment length " + segment + " at byte " + (i - offset));
            }
            if ((long) i + segment > end) {
                throw new FrameRejection(TRUNCATED, String.format("JPEG cut short: %d bytes end inside a 0x%02X segment",
                        length, marker));
            }
            i += segment;
            if (marker == 0xDA) {
                if (i >= end) {
                    throw new FrameRejection(TRUNCATED, "JPEG cut short: " + length + " bytes end before the scan data");
                }
                return;
            }
        }
    }
}
