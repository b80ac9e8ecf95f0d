package io.attnstream.video.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attnstream.schema.FrameEncoding;
import io.attnstream.video.VideoFixtures;
import io.attnstream.video.sim.CraftedImages;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameHeaderTest {
    private static FrameRejection.Reason rejection(FrameEncoding encoding, byte[] bytes) {
        try {
            FrameHeader h = FrameHeader.read(encoding, bytes);
            throw new AssertionError("accepted as " + h);
        } catch (FrameRejection e) {
            return e.reason();
        }
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /**
     * A hand-made JPEG head: SOI, APP0 (JFIF), a fill byte run, a COM segment, then SOFn of 400 x
     * 300. Nothing after it: the header reader must not need the rest.
     */
    private static byte[] jpegHead(int sofMarker) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes(0xFF, 0xD8));
        out.writeBytes(
                bytes(0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0));
        out.writeBytes(
                bytes(
                        0xFF, 0xFF, 0xFF, 0xFE, 0x00, 0x06, 0xFF, 0xD8, 0xC0,
                        0x00)); // COM holding fake markers
        out.writeBytes(
                bytes(
                        0xFF, sofMarker, 0x00, 0x11, 0x08, 0x01, 0x2C, 0x01, 0x90, 0x03, 1, 0x22, 0,
                        2, 0x11, 1, 3, 0x11, 1));
        return out.toByteArray();
    }

    @Test
    void pngSizeComesFromTheIhdrChunk() throws Exception {
        byte[] png = FrameEncoder.png(VideoFixtures.gradient(37, 21));
        assertThat(FrameHeader.read(FrameEncoding.PNG, png))
                .isEqualTo(new FrameHeader(FrameEncoding.PNG, 37, 21));
        // Only the first 33 bytes are needed, and a claim of 50,000 x 50,000 is read as such (the
        // limit is the decoder's business).
        assertThat(FrameHeader.read(FrameEncoding.PNG, Arrays.copyOf(png, 33)).width())
                .isEqualTo(37);
        FrameHeader huge =
                FrameHeader.read(FrameEncoding.PNG, CraftedImages.pngClaiming(50_000, 50_000));
        assertThat(huge.pixels()).isEqualTo(2_500_000_000L);
    }

    @Test
    void jpegSizeComesFromTheFirstFrameHeaderPastAppSegmentsAndFillBytes() throws Exception {
        for (int sof : new int[] {0xC0, 0xC1, 0xC2, 0xC3, 0xC9, 0xCF}) {
            assertThat(FrameHeader.read(FrameEncoding.JPEG, jpegHead(sof)))
                    .as("SOF marker %02X", sof)
                    .isEqualTo(new FrameHeader(FrameEncoding.JPEG, 400, 300));
        }
        byte[] encoded = FrameEncoder.jpeg(VideoFixtures.gradient(123, 45), 0.9f);
        assertThat(FrameHeader.read(FrameEncoding.JPEG, encoded))
                .isEqualTo(new FrameHeader(FrameEncoding.JPEG, 123, 45));
    }

    @Test
    void markersThatShareTheSofRangeAreSkipped() throws Exception {
        // DHT (C4) before the frame header: a segment to skip, not a frame header with a nonsense
        // size.
        byte[] head = jpegHead(0xC0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Arrays.copyOf(head, 2));
        out.writeBytes(bytes(0xFF, 0xC4, 0x00, 0x08, 0x7F, 0x7F, 0x7F, 0x7F, 0x7F, 0x7F));
        out.writeBytes(Arrays.copyOfRange(head, 2, head.length));
        assertThat(FrameHeader.read(FrameEncoding.JPEG, out.toByteArray()).width()).isEqualTo(400);
    }

    @Test
    void cutShortHeadersAreTruncatedNotGarbage() throws Exception {
        byte[] head = jpegHead(0xC0);
        for (int n : new int[] {2, 3, 5, 20, head.length - 19, head.length - 14}) {
            assertThat(rejection(FrameEncoding.JPEG, Arrays.copyOf(head, n)))
                    .as("first %d bytes", n)
                    .isEqualTo(FrameRejection.Reason.TRUNCATED);
        }
        // The size fields are all the reader needs: the frame header may be cut after the width.
        assertThat(
                        FrameHeader.read(FrameEncoding.JPEG, Arrays.copyOf(head, head.length - 10))
                                .width())
                .isEqualTo(400);
        byte[] png = CraftedImages.pngClaiming(10, 10);
        for (int n : new int[] {4, 8, 20, 32}) {
            assertThat(rejection(FrameEncoding.PNG, Arrays.copyOf(png, n)))
                    .as("first %d bytes", n)
                    .isEqualTo(FrameRejection.Reason.TRUNCATED);
        }
    }

    @Test
    void corruptHeadersAreUndecodable() {
        byte[] badCrc = CraftedImages.pngClaiming(10, 10);
        badCrc[20] ^= 1; // height changed, checksum not
        assertThat(rejection(FrameEncoding.PNG, badCrc))
                .isEqualTo(FrameRejection.Reason.UNDECODABLE);
        byte[] noIhdr = CraftedImages.pngClaiming(10, 10);
        noIhdr[12] = 'X';
        assertThat(rejection(FrameEncoding.PNG, noIhdr))
                .isEqualTo(FrameRejection.Reason.UNDECODABLE);
        assertThat(rejection(FrameEncoding.PNG, CraftedImages.pngClaiming(-5, 10)))
                .isEqualTo(FrameRejection.Reason.UNDECODABLE);

        byte[] head = jpegHead(0xC0);
        byte[] noMarker = head.clone();
        noMarker[2] = 0x12;
        assertThat(rejection(FrameEncoding.JPEG, noMarker))
                .isEqualTo(FrameRejection.Reason.UNDECODABLE);
        // A scan (SOS) or the end (EOI) before any frame header.
        assertThat(
                        rejection(
                                FrameEncoding.JPEG,
                                bytes(0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08, 1, 2, 3, 4, 5, 6)))
                .isEqualTo(FrameRejection.Reason.UNDECODABLE);
        assertThat(rejection(FrameEncoding.JPEG, bytes(0xFF, 0xD8, 0xFF, 0xD9)))
                .isEqualTo(FrameRejection.Reason.UNDECODABLE);
        // Height 0 = "see the DNL marker": the size is unknown up front, so it cannot be checked.
        byte[] dnl = head.clone();
        dnl[dnl.length - 14] = 0;
        dnl[dnl.length - 13] = 0;
        assertThat(rejection(FrameEncoding.JPEG, dnl)).isEqualTo(FrameRejection.Reason.UNDECODABLE);
        assertThat(rejection(FrameEncoding.PNG, new byte[0]))
                .isEqualTo(FrameRejection.Reason.UNDECODABLE);
        assertThat(rejection(FrameEncoding.PNG, "GIF89a...........".getBytes()))
                .isEqualTo(FrameRejection.Reason.UNDECODABLE);
    }

    @Test
    void bytesOfTheOtherFormatAreAWrongEncoding() throws Exception {
        byte[] png = FrameEncoder.png(VideoFixtures.gradient(8, 8));
        byte[] jpeg = FrameEncoder.jpeg(VideoFixtures.gradient(8, 8), 0.9f);
        assertThat(rejection(FrameEncoding.JPEG, png))
                .isEqualTo(FrameRejection.Reason.WRONG_ENCODING);
        assertThat(rejection(FrameEncoding.PNG, jpeg))
                .isEqualTo(FrameRejection.Reason.WRONG_ENCODING);
        assertThat(FrameHeader.sniff(png, 0, png.length)).isEqualTo(FrameEncoding.PNG);
        assertThat(FrameHeader.sniff(jpeg, 0, jpeg.length)).isEqualTo(FrameEncoding.JPEG);
    }

    @Test
    void rawRgbMustAccountForEveryByte() throws Exception {
        assertThat(FrameHeader.raw(4, 3, 36)).isEqualTo(new FrameHeader(FrameEncoding.RGB8, 4, 3));
        assertThatThrownBy(() -> FrameHeader.raw(4, 3, 33))
                .isInstanceOf(FrameRejection.class)
                .satisfies(
                        e ->
                                assertThat(((FrameRejection) e).reason())
                                        .isEqualTo(FrameRejection.Reason.TRUNCATED));
        assertThatThrownBy(() -> FrameHeader.raw(4, 3, 39))
                .isInstanceOf(FrameRejection.class)
                .satisfies(
                        e ->
                                assertThat(((FrameRejection) e).reason())
                                        .isEqualTo(FrameRejection.Reason.SIZE_MISMATCH));
        assertThatThrownBy(() -> FrameHeader.raw(4, 3, 35))
                .isInstanceOf(FrameRejection.class)
                .satisfies(
                        e ->
                                assertThat(((FrameRejection) e).reason())
                                        .isEqualTo(FrameRejection.Reason.UNDECODABLE))
                .hasMessageContaining("whole RGB triples");
        assertThatThrownBy(() -> FrameHeader.raw(0, 3, 0)).isInstanceOf(FrameRejection.class);
    }
}
