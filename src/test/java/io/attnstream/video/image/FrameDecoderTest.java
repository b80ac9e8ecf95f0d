package io.attnstream.video.image;

import static io.attnstream.video.VideoFixtures.allocatedBytes;
import static io.attnstream.video.VideoFixtures.frame;
import static io.attnstream.video.VideoFixtures.gradient;
import static io.attnstream.video.VideoFixtures.pixels;
import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.schema.CameraFrame;
import io.attnstream.schema.FrameEncoding;
import io.attnstream.video.sim.CraftedImages;
import io.attnstream.video.sim.SceneFrame;
import io.attnstream.video.sim.StreetSceneGenerator;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
    private static final BufferedImage PICTURE = gradient(64, 48);

    private static FrameRejection rejection(CameraFrame f, FrameLimits limits) {
        try {
            BufferedImage image = FrameDecoder.decode(f, limits);
            throw new AssertionError("decoded to " + image.getWidth() + " x " + image.getHeight());
        } catch (FrameRejection e) {
            return e;
        }
    }

    private static FrameRejection.Reason reason(CameraFrame f) {
        return rejection(f, FrameLimits.DEFAULT).reason();
    }

    @Test
    void pngAndRawRgbDecodeExactlyAndJpegClosely() throws Exception {
        BufferedImage png =
                FrameDecoder.decode(
                        frame(FrameEncoding.PNG, 64, 48, FrameEncoder.png(PICTURE)),
                        FrameLimits.DEFAULT);
        assertThat(png.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(pixels(png)).isEqualTo(pixels(PICTURE));
        BufferedImage raw =
                FrameDecoder.decode(
                        frame(FrameEncoding.RGB8, 64, 48, FrameEncoder.rgb8(PICTURE)),
                        FrameLimits.DEFAULT);
        assertThat(pixels(raw)).isEqualTo(pixels(PICTURE));

        BufferedImage jpeg =
                FrameDecoder.decode(
                        frame(FrameEncoding.JPEG, 64, 48, FrameEncoder.jpeg(PICTURE, 0.95f)),
                        FrameLimits.DEFAULT);
        assertThat(jpeg.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        int[] a = pixels(jpeg);
        int[] b = pixels(PICTURE);
        double error = 0;
        for (int i = 0; i < a.length; i++) {
            error +=
                    Math.abs(Rgb.red(a[i]) - Rgb.red(b[i]))
                            + Math.abs(Rgb.green(a[i]) - Rgb.green(b[i]));
        }
        assertThat(error / (2 * a.length)).isLessThan(4.0);
    }

    @Test
    void greyPngSamplesArriveUnchangedInAllThreeChannels() throws Exception {
        // getRGB on a grey image applies a gamma curve; a camera's grey frame must keep its values.
        BufferedImage grey = new BufferedImage(16, 1, BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((DataBufferByte) grey.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < 16; i++) {
            data[i] = (byte) (i * 17);
        }
        BufferedImage out =
                FrameDecoder.decode(
                        frame(FrameEncoding.PNG, 16, 1, FrameEncoder.png(grey)),
                        FrameLimits.DEFAULT);
        for (int i = 0; i < 16; i++) {
            assertThat(out.getRGB(i, 0) & 0xFFFFFF).isEqualTo(Rgb.of(i * 17, i * 17, i * 17));
        }
    }

    @Test
    void dataInsideALargerBufferIsReadFromItsPosition() throws Exception {
        byte[] png = FrameEncoder.png(PICTURE);
        byte[] padded = new byte[png.length + 20];
        System.arraycopy(png, 0, padded, 7, png.length);
        CameraFrame f = frame(FrameEncoding.PNG, 64, 48, png);
        f.setData(ByteBuffer.wrap(padded, 7, png.length).slice());
        assertThat(pixels(FrameDecoder.decode(f, FrameLimits.DEFAULT))).isEqualTo(pixels(PICTURE));
        f.setData(ByteBuffer.allocateDirect(png.length).put(png).flip());
        assertThat(pixels(FrameDecoder.decode(f, FrameLimits.DEFAULT))).isEqualTo(pixels(PICTURE));
    }

    @Test
    void tooManyBytesIsRejectedBeforeLookingAtThem() {
        byte[] png = FrameEncoder.png(PICTURE);
        FrameRejection r =
                rejection(
                        frame(FrameEncoding.PNG, 64, 48, png),
                        new FrameLimits(png.length - 1, 1_000_000));
        assertThat(r.reason()).isEqualTo(FrameRejection.Reason.TOO_MANY_BYTES);
        assertThat(r.getMessage()).contains(png.length + " bytes", "limit of " + (png.length - 1));
        // Exactly at the limit passes.
        assertThat(
                        rejectionOrNull(
                                frame(FrameEncoding.PNG, 64, 48, png),
                                new FrameLimits(png.length, 1_000_000)))
                .isNull();
    }

    private static FrameRejection rejectionOrNull(CameraFrame f, FrameLimits limits) {
        try {
            FrameDecoder.decode(f, limits);
            return null;
        } catch (FrameRejection e) {
            return e;
        }
    }

    @Test
    void aHeaderClaiming50000By50000IsRejectedWithoutAllocating() {
        CameraFrame bomb =
                frame(FrameEncoding.PNG, 50_000, 50_000, CraftedImages.pngClaiming(50_000, 50_000));
        rejection(bomb, FrameLimits.DEFAULT); // warm-up: class loading allocates too
        long before = allocatedBytes();
        long t0 = System.nanoTime();
        FrameRejection r = rejection(bomb, FrameLimits.DEFAULT);
        long micros = (System.nanoTime() - t0) / 1000;
        long allocated = allocatedBytes() - before;

        assertThat(r.reason()).isEqualTo(FrameRejection.Reason.TOO_MANY_PIXELS);
        assertThat(r.getMessage())
                .contains("50000 x 50000", "2500000000 pixels", "limit of 16000000");
        assertThat(allocated).as("bytes allocated").isLessThan(64 * 1024);
        assertThat(micros).as("microseconds").isLessThan(50_000);
    }

    @Test
    void withoutThePixelGuardTheDecoderWouldAllocateWhatTheHeaderClaims() {
        // 5000 x 4000 claimed by 60 bytes: over a 16 Mpx limit it costs nothing; under a looser
        // limit ImageIO allocates the whole raster (60 MB) before finding the data missing. The
        // guard is what saves the memory.
        CameraFrame claim =
                frame(FrameEncoding.PNG, 5000, 4000, CraftedImages.pngClaiming(5000, 4000));
        rejection(claim, FrameLimits.DEFAULT);
        long before = allocatedBytes();
        assertThat(rejection(claim, FrameLimits.DEFAULT).reason())
                .isEqualTo(FrameRejection.Reason.TOO_MANY_PIXELS);
        assertThat(allocatedBytes() - before).isLessThan(64 * 1024);

        before = allocatedBytes();
        FrameRejection loose =
                rejection(claim, new FrameLimits(FrameLimits.DEFAULT_MAX_BYTES, 25_000_000));
        assertThat(allocatedBytes() - before).isGreaterThan(50_000_000L);
        assertThat(loose.reason()).isEqualTo(FrameRejection.Reason.TRUNCATED);
    }

    @Test
    void truncatedFilesAreRejectedAsTruncated() {
        byte[] png = FrameEncoder.png(PICTURE);
        byte[] jpeg = FrameEncoder.jpeg(PICTURE, 0.9f);
        assertThat(reason(frame(FrameEncoding.PNG, 64, 48, Arrays.copyOf(png, png.length / 2))))
                .isEqualTo(FrameRejection.Reason.TRUNCATED);
        assertThat(reason(frame(FrameEncoding.PNG, 64, 48, Arrays.copyOf(png, png.length - 5))))
                .isEqualTo(FrameRejection.Reason.TRUNCATED);
        // libjpeg would fill the missing half with grey and only warn.
        assertThat(reason(frame(FrameEncoding.JPEG, 64, 48, Arrays.copyOf(jpeg, jpeg.length / 2))))
                .isEqualTo(FrameRejection.Reason.TRUNCATED);
        assertThat(reason(frame(FrameEncoding.JPEG, 64, 48, Arrays.copyOf(jpeg, 30))))
                .isEqualTo(FrameRejection.Reason.TRUNCATED);
        assertThat(
                        reason(
                                frame(
                                        FrameEncoding.RGB8,
                                        64,
                                        48,
                                        Arrays.copyOf(FrameEncoder.rgb8(PICTURE), 64 * 47 * 3))))
                .isEqualTo(FrameRejection.Reason.TRUNCATED);
    }

    @Test
    void everyCutOfAFileIsTruncatedWhereverItFalls() {
        // In the signature, the header, the tables (DQT, DHT), the scan header or the compressed
        // data.
        BufferedImage small = gradient(40, 30);
        byte[] png = FrameEncoder.png(small);
        byte[] jpeg = FrameEncoder.jpeg(small, 0.9f);
        for (int n = 1; n < jpeg.length - 2; n += 3) {
            assertThat(reason(frame(FrameEncoding.JPEG, 40, 30, Arrays.copyOf(jpeg, n))))
                    .as("JPEG cut at %d", n)
                    .isEqualTo(FrameRejection.Reason.TRUNCATED);
        }
        for (int n = 1; n < png.length; n += 3) {
            assertThat(reason(frame(FrameEncoding.PNG, 40, 30, Arrays.copyOf(png, n))))
                    .as("PNG cut at %d", n)
                    .isEqualTo(FrameRejection.Reason.TRUNCATED);
        }
    }

    @Test
    void aJpegMissingOnlyItsFinalMarkerStillHasAllItsPixels() throws Exception {
        byte[] jpeg = FrameEncoder.jpeg(PICTURE, 0.9f);
        byte[] noEoi = Arrays.copyOf(jpeg, jpeg.length - 2);
        BufferedImage full =
                FrameDecoder.decode(frame(FrameEncoding.JPEG, 64, 48, jpeg), FrameLimits.DEFAULT);
        BufferedImage cut =
                FrameDecoder.decode(frame(FrameEncoding.JPEG, 64, 48, noEoi), FrameLimits.DEFAULT);
        assertThat(pixels(cut)).isEqualTo(pixels(full));
    }

    @Test
    void bytesOfAnotherEncodingAreAWrongEncoding() {
        byte[] png = FrameEncoder.png(PICTURE);
        byte[] jpeg = FrameEncoder.jpeg(PICTURE, 0.9f);
        assertThat(reason(frame(FrameEncoding.PNG, 64, 48, jpeg)))
                .isEqualTo(FrameRejection.Reason.WRONG_ENCODING);
        assertThat(reason(frame(FrameEncoding.JPEG, 64, 48, png)))
                .isEqualTo(FrameRejection.Reason.WRONG_ENCODING);
        assertThat(
                        rejection(frame(FrameEncoding.RGB8, 64, 48, png), FrameLimits.DEFAULT)
                                .getMessage())
                .isEqualTo("encoding says RGB8 but the bytes are a PNG");
    }

    @Test
    void garbageAndCorruptDataAreUndecodable() {
        byte[] garbage = new byte[500];
        new Random(1).nextBytes(garbage);
        garbage[0] = 0x42;
        assertThat(reason(frame(FrameEncoding.PNG, 64, 48, garbage)))
                .isEqualTo(FrameRejection.Reason.UNDECODABLE);
        assertThat(reason(frame(FrameEncoding.JPEG, 64, 48, garbage)))
                .isEqualTo(FrameRejection.Reason.UNDECODABLE);
        assertThat(reason(frame(FrameEncoding.PNG, 64, 48, new byte[0])))
                .isEqualTo(FrameRejection.Reason.UNDECODABLE);
        // A valid header over scrambled compressed data.
        byte[] png = FrameEncoder.png(PICTURE);
        for (int i = 45; i < png.length - 20; i++) {
            png[i] ^= 0x5A;
        }
        assertThat(reason(frame(FrameEncoding.PNG, 64, 48, png)))
                .isEqualTo(FrameRejection.Reason.UNDECODABLE);
    }

    @Test
    void theRecordSizeMustBeTheImageSize() {
        byte[] png = FrameEncoder.png(PICTURE);
        FrameRejection r = rejection(frame(FrameEncoding.PNG, 640, 480, png), FrameLimits.DEFAULT);
        assertThat(r.reason()).isEqualTo(FrameRejection.Reason.SIZE_MISMATCH);
        assertThat(r.getMessage())
                .isEqualTo("record says 640 x 480 but the PNG header states 64 x 48");
        assertThat(reason(frame(FrameEncoding.JPEG, 64, 47, FrameEncoder.jpeg(PICTURE, 0.9f))))
                .isEqualTo(FrameRejection.Reason.SIZE_MISMATCH);
        // Raw frames take their size from the record: too many pixels there is the pixel limit, not
        // a mismatch.
        assertThat(
                        rejection(
                                        frame(FrameEncoding.RGB8, 50_000, 50_000, new byte[30]),
                                        FrameLimits.DEFAULT)
                                .reason())
                .isEqualTo(FrameRejection.Reason.TOO_MANY_PIXELS);
    }

    @Test
    void aDecodedFrameIsTheGeneratorsPicture() throws Exception {
        SceneFrame scene = new StreetSceneGenerator(3).render(1, 2, 96, 72);
        BufferedImage decoded =
                FrameDecoder.decode(
                        frame(FrameEncoding.PNG, 96, 72, FrameEncoder.png(scene.image())),
                        FrameLimits.DEFAULT);
        assertThat(pixels(decoded)).isEqualTo(pixels(scene.image()));
        assertThat(FrameRejection.Reason.values()).hasSize(6);
        assertThat(
                        rejection(
                                        frame(FrameEncoding.PNG, 1, 1, new byte[] {1}),
                                        FrameLimits.DEFAULT)
                                .getStackTrace())
                .as("rejections are routine: no stack trace")
                .isEmpty();
    }
}
