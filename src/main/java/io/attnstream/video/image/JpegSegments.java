package io.attnstream.video.image;

import static io.attnstream.video.image.FrameRejection.Reason.TRUNCATED;
import static io.attnstream.video.image.FrameRejection.Reason.UNDECODABLE;

/**
 * A walk over a JPEG's marker segments up to the end of the first scan header, to tell a file cut
 * short inside its tables from a corrupt one: ImageIO reports both as a generic structure error
 * (and feeds itself a fake end marker when the data runs out). A cut inside the compressed scan is
 * caught while decoding, where libjpeg warns of a premature end.
 */
final class JpegSegments {
    private JpegSegments() {}

    static void requireComplete(byte[] b, int offset, int length) throws FrameRejection {
        Walk walk = new Walk(b, offset, length, "its first scan");
        while (true) {
            int marker = walk.nextMarker();
            if (Walk.standsAlone(marker)) {
                continue;
            }
            if (marker == 0xD9) {
                throw new FrameRejection(UNDECODABLE, "JPEG ends (EOI) before its first scan");
            }
            int segment = walk.segmentLength();
            if ((long) walk.position() + segment > walk.end) {
                throw new FrameRejection(
                        TRUNCATED,
                        String.format(
                                "JPEG cut short: %d bytes end inside a 0x%02X segment",
                                length, marker));
            }
            walk.skip(segment);
            if (marker == 0xDA) {
                if (walk.position() >= walk.end) {
                    throw new FrameRejection(
                            TRUNCATED,
                            "JPEG cut short: " + length + " bytes end before the scan data");
                }
                return;
            }
        }
    }

    /**
     * The marker walk both readers of a JPEG's head share, from after SOI: fill bytes (0xFF runs)
     * before a marker are allowed, as the standard says; a byte other than 0xFF where a marker must
     * start is corruption. What a walk does at each marker, and where it stops, is its reader's.
     */
    static final class Walk {
        private final byte[] b;
        private final int offset;
        private final int length;
        final int end;

        /**
         * What the walk looks for, for the message when the bytes end first, e.g. "its frame
         * header".
         */
        private final String goal;

        private int i;

        Walk(byte[] b, int offset, int length, String goal) {
            this.b = b;
            this.offset = offset;
            this.length = length;
            this.end = offset + length;
            this.goal = goal;
            this.i = offset + 2;
        }

        /** TEM and RSTn stand alone, without a length. */
        static boolean standsAlone(int marker) {
            return marker == 0x01 || marker >= 0xD0 && marker <= 0xD7;
        }

        /** The next marker's code; the walk is then just past it. */
        int nextMarker() throws FrameRejection {
            if (i >= end) {
                throw new FrameRejection(
                        TRUNCATED, "JPEG cut short: " + length + " bytes end before " + goal);
            }
            if ((b[i] & 0xFF) != 0xFF) {
                throw new FrameRejection(UNDECODABLE, "JPEG: no marker at byte " + (i - offset));
            }
            while (i < end && (b[i] & 0xFF) == 0xFF) {
                i++;
            }
            if (i >= end) {
                throw new FrameRejection(
                        TRUNCATED, "JPEG cut short: " + length + " bytes end inside a marker");
            }
            return b[i++] & 0xFF;
        }

        /**
         * The length field of the segment the walk is at (it counts its own 2 bytes), checked to be
         * at least 2.
         */
        int segmentLength() throws FrameRejection {
            if (i + 2 > end) {
                throw new FrameRejection(
                        TRUNCATED,
                        "JPEG cut short: " + length + " bytes end inside a segment length");
            }
            int segment = uint16(i);
            if (segment < 2) {
                throw new FrameRejection(
                        UNDECODABLE,
                        "JPEG: segment length " + segment + " at byte " + (i - offset));
            }
            return segment;
        }

        /**
         * Absolute index of the walk in the array: the segment's length field after {@link
         * #nextMarker}.
         */
        int position() {
            return i;
        }

        /** Relative to the image's first byte, for messages. */
        int byteOf(int position) {
            return position - offset;
        }

        int uint16(int position) {
            return (b[position] & 0xFF) << 8 | b[position + 1] & 0xFF;
        }

        void skip(int segment) {
            i += segment;
        }
    }
}
