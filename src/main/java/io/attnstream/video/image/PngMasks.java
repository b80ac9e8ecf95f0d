package io.attnstream.video.image;

import io.attnstream.platform.AttnstreamException;
import io.attnstream.schema.FrameEncoding;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Class masks (and 8-bit attention maps) as single-channel 8-bit PNGs, one value per pixel,
 * lossless both ways. The values are written and read as raw samples: never through {@code getRGB},
 * whose grey-to-sRGB conversion would change them. Decoding accepts what label files come as: 8-bit
 * (or fewer bits) grey or palette PNGs, whose sample is the class index.
 */
public final class PngMasks {
    private PngMasks() {}

    public static byte[] encode(LabelMap mask) {
        return FrameEncoder.png(mask.toGrayImage());
    }

    /** An attention map (a gate's or the heatmap) as an 8-bit grey PNG of its levels. */
    public static byte[] encode(AttentionMap map) {
        return FrameEncoder.png(greyImage(map.width(), map.height(), map.toBytes()));
    }

    public static LabelMap decode(byte[] png, FrameLimits limits) throws FrameRejection {
        FrameHeader header =
                FrameDecoder.check(FrameEncoding.PNG, png, 0, png.length, -1, -1, limits, false);
        PngChunks.requireComplete(png, 0, png.length);
        Raster raster = FrameDecoder.read(header, png, 0, png.length).getRaster();
        if (raster.getNumBands() != 1) {
            throw new FrameRejection(
                    FrameRejection.Reason.UNDECODABLE,
                    "mask PNG has "
                            + raster.getNumBands()
                            + " channels; a mask has one value per pixel");
        }
        return samples(
                raster,
                (v, x, y) -> {
                    if (v > 255) {
                        throw new FrameRejection(
                                FrameRejection.Reason.UNDECODABLE,
                                "mask PNG value "
                                        + v
                                        + " at ("
                                        + x
                                        + ", "
                                        + y
                                        + ") does not fit in a byte");
                    }
                });
    }

    public static AttentionMap decodeAttentionMap(byte[] png, FrameLimits limits)
            throws FrameRejection {
        LabelMap m = decode(png, limits);
        return AttentionMap.fromBytes(m.width(), m.height(), m.classes());
    }

    /** A label file, e.g. one of CamVid's {@code trainannot/} PNGs. */
    public static LabelMap read(Path file) {
        try {
            return decode(Files.readAllBytes(file), FrameLimits.DEFAULT);
        } catch (IOException e) {
            throw new AttnstreamException("cannot read mask " + file + ": " + e.getMessage(), e);
        } catch (FrameRejection e) {
            throw new AttnstreamException(
                    "mask " + file + " is not a usable label PNG: " + e.getMessage(), e);
        }
    }

    public static void write(Path file, LabelMap mask) {
        try {
            Files.write(file, encode(mask));
        } catch (IOException e) {
            throw new AttnstreamException("cannot write mask " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * What a reader does with a sample value it cannot take: throws its own exception, naming its
     * file.
     */
    @FunctionalInterface
    public interface SampleCheck<E extends Exception> {
        void check(int value, int x, int y) throws E;
    }

    /**
     * The samples of a one-channel (grey or palette) image, row-major, as a label map: read raw,
     * since a sample is a class index or a level, not a colour. Every sample passes {@code check}
     * first, which must reject values that do not fit in a byte; the reader's own limits (e.g. the
     * classes and void) go there too.
     */
    public static <E extends Exception> LabelMap samples(Raster raster, SampleCheck<E> check)
            throws E {
        if (raster.getNumBands() != 1) {
            throw new IllegalArgumentException(
                    "a label raster has one band, got " + raster.getNumBands());
        }
        int w = raster.getWidth();
        int h = raster.getHeight();
        byte[] out = new byte[w * h];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                check.check(row[x], x, y);
                out[y * w + x] = (byte) row[x];
            }
        }
        return new LabelMap(w, h, out);
    }

    /** Byte values, row-major, as an 8-bit grey image: the sample of each pixel is its value. */
    public static BufferedImage greyImage(int width, int height, byte[] values) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        System.arraycopy(values, 0, data, 0, values.length);
        return image;
    }
}
