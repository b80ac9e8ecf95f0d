package io.attnstream.video.image;

import static io.attnstream.video.image.FrameRejection.Reason.SIZE_MISMATCH;
import static io.attnstream.video.image.FrameRejection.Reason.TOO_MANY_BYTES;
import static io.attnstream.video.image.FrameRejection.Reason.TOO_MANY_PIXELS;
import static io.attnstream.video.image.FrameRejection.Reason.TRUNCATED;
import static io.attnstream.video.image.FrameRejection.Reason.UNDECODABLE;

import io.attnstream.schema.CameraFrame;
import io.attnstream.schema.FrameEncoding;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Camera frame bytes to an RGB picture ({@code TYPE_INT_RGB}), or a {@link FrameRejection} saying
 * why not. The guards run before any pixel is allocated, in this order: the byte count, the header
 * (its size read without decoding; the encoding must match the bytes), the header's pixel count,
 * the record's width and height against the header's. Only then does ImageIO decode, through an
 * {@link ImageReader} that is asked for its own idea of the size first (it must agree with the
 * header) and told to skip metadata (compressed text chunks are a decompression bomb the size
 * guards would not see).
 */
public final class FrameDecoder {
    static {
        // No temporary files: frames are decoded from memory, and a full /tmp must not fail the
        // job.
        ImageIO.setUseCache(false);
    }

    private FrameDecoder() {}

    /** The frame's picture at its own size. */
    public static BufferedImage decode(CameraFrame frame, FrameLimits limits)
            throws FrameRejection {
        ByteBuffer data = frame.getData();
        int length = data.remaining();
        if (length > limits.maxBytes()) {
            throw tooManyBytes(length, limits);
        }
        byte[] bytes;
        int offset;
        if (data.hasArray()) {
            bytes = data.array();
            offset = data.arrayOffset() + data.position();
        } else {
            bytes = new byte[length];
            data.duplicate().get(bytes);
            offset = 0;
        }
        return decode(
                frame.getEncoding(),
                bytes,
                offset,
                length,
                frame.getWidth(),
                frame.getHeight(),
                limits);
    }

    /**
     * The picture in {@code bytes[offset, offset + length)}, encoded as {@code encoding}, which the
     * record says is {@code width x height}.
     */
    public static BufferedImage decode(
            FrameEncoding encoding,
            byte[] bytes,
            int offset,
            int length,
            int width,
            int height,
            FrameLimits limits)
            throws FrameRejection {
        FrameHeader header = check(encoding, bytes, offset, length, width, height, limits);
        if (encoding == FrameEncoding.RGB8) {
            return RgbImage.toBufferedImage(bytes, offset, width, height);
        }
        if (encoding == FrameEncoding.PNG) {
            PngChunks.requireComplete(bytes, offset, length);
        } else {
            JpegSegments.requireComplete(bytes, offset, length);
        }
        return toIntRgb(read(header, bytes, offset, length));
    }

    /** Every guard, without decoding: the header of an acceptable frame. */
    public static FrameHeader check(
            FrameEncoding encoding,
            byte[] bytes,
            int offset,
            int length,
            int width,
            int height,
            FrameLimits limits)
            throws FrameRejection {
        return check(encoding, bytes, offset, length, width, height, limits, true);
    }

    /**
     * @param matchSize whether the header must agree with {@code width x height} (a file has no
     *     record)
     */
    static FrameHeader check(
            FrameEncoding encoding,
            byte[] bytes,
            int offset,
            int length,
            int width,
            int height,
            FrameLimits limits,
            boolean matchSize)
            throws FrameRejection {
        if (length > limits.maxBytes()) {
            throw tooManyBytes(length, limits);
        }
        FrameHeader header =
                encoding == FrameEncoding.RGB8
                        ? rawHeader(bytes, offset, length, width, height, limits)
                        : FrameHeader.read(encoding, bytes, offset, length);
        if (header.pixels() > limits.maxPixels()) {
            throw new FrameRejection(
                    TOO_MANY_PIXELS,
                    encoding
                            + " header states "
                            + header.width()
                            + " x "
                            + header.height()
                            + " = "
                            + header.pixels()
                            + " pixels, more than the limit of "
                            + limits.maxPixels());
        }
        if (matchSize && (header.width() != width || header.height() != height)) {
            throw new FrameRejection(
                    SIZE_MISMATCH,
                    "record says "
                            + width
                            + " x "
                            + height
                            + " but the "
                            + encoding
                            + " header states "
                            + header.width()
                            + " x "
                            + header.height());
        }
        return header;
    }

    private static FrameHeader rawHeader(
            byte[] bytes, int offset, int length, int width, int height, FrameLimits limits)
            throws FrameRejection {
        // The pixel limit first: a huge width x height must be named as such, not as a length
        // mismatch.
        if (width > 0 && height > 0 && (long) width * height > limits.maxPixels()) {
            throw new FrameRejection(
                    TOO_MANY_PIXELS,
                    "RGB8 record states "
                            + width
                            + " x "
                            + height
                            + " = "
                            + (long) width * height
                            + " pixels, more than the limit of "
                            + limits.maxPixels());
        }
        FrameEncoding looksLike = FrameHeader.sniff(bytes, offset, length);
        if (looksLike != null) {
            throw new FrameRejection(
                    FrameRejection.Reason.WRONG_ENCODING,
                    "encoding says RGB8 but the bytes are a " + looksLike);
        }
        return FrameHeader.raw(width, height, length);
    }

    /** ImageIO's picture as it comes (any type), for a header that passed the guards. */
    static BufferedImage read(FrameHeader header, byte[] bytes, int offset, int length)
            throws FrameRejection {
        String format = header.encoding() == FrameEncoding.PNG ? "png" : "jpeg";
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        if (!readers.hasNext()) {
            throw new IllegalStateException("no ImageIO reader for " + format);
        }
        ImageReader reader = readers.next();
        List<String> warnings = new ArrayList<>();
        try (ImageInputStream in =
                new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes, offset, length))) {
            reader.setInput(in, true, true);
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            if (w != header.width() || h != header.height()) {
                throw new FrameRejection(
                        UNDECODABLE,
                        header.encoding()
                                + " decoder reads "
                                + w
                                + " x "
                                + h
                                + " but the header states "
                                + header.width()
                                + " x "
                                + header.height());
            }
            BufferedImage image = reader.read(0);
            for (String warning : warnings) {
                // libjpeg fills a cut-short scan with grey and only warns; a frame half grey is not
                // a frame. (A file missing just its final EOI marker has all its pixels and only
                // warns about the marker.)
                if (warning.toLowerCase(Locale.ROOT).contains("premature end")) {
                    throw new FrameRejection(
                            TRUNCATED, header.encoding() + " cut short: " + warning);
                }
            }
            return image;
        } catch (FrameRejection e) {
            throw e;
        } catch (IOException e) {
            boolean eof =
                    e instanceof EOFException
                            || e.getCause() instanceof EOFException
                            || String.valueOf(e.getMessage())
                                    .toLowerCase(Locale.ROOT)
                                    .contains("premature end");
            throw new FrameRejection(
                    eof ? TRUNCATED : UNDECODABLE,
                    "not a decodable " + header.encoding() + ": " + describe(e),
                    e);
        } catch (RuntimeException e) {
            // ImageIO plugins report some corruptions as runtime exceptions (bad Huffman tables,
            // odd sizes).
            throw new FrameRejection(
                    UNDECODABLE, "not a decodable " + header.encoding() + ": " + describe(e), e);
        } finally {
            reader.dispose();
        }
    }

    private static String describe(Throwable e) {
        StringBuilder s =
                new StringBuilder(
                        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        for (Throwable c = e.getCause(); c != null && c != e; c = c.getCause()) {
            s.append(" (")
                    .append(c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage())
                    .append(')');
            if (c.getCause() == c) {
                break;
            }
        }
        return s.toString();
    }

    private static FrameRejection tooManyBytes(long length, FrameLimits limits) {
        return new FrameRejection(
                TOO_MANY_BYTES,
                "frame is " + length + " bytes, more than the limit of " + limits.maxBytes());
    }

    /**
     * Any decoded picture as {@code TYPE_INT_RGB}, alpha dropped. Grey images copy their samples
     * straight into the three channels: going through {@code getRGB} would apply a gamma curve to
     * the linear grey colour space.
     */
    public static BufferedImage toIntRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        Raster raster = image.getRaster();
        boolean grey =
                raster.getNumBands() <= 2 && !(image.getColorModel() instanceof IndexColorModel);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            if (grey) {
                raster.getSamples(0, y, w, 1, 0, row);
                int shift = raster.getSampleModel().getSampleSize(0) - 8;
                for (int x = 0; x < w; x++) {
                    int v = shift >= 0 ? row[x] >>> shift : row[x] * 255 / ((1 << (8 + shift)) - 1);
                    dst[y * w + x] = v << 16 | v << 8 | v;
                }
            } else {
                image.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    dst[y * w + x] = row[x] & 0xFFFFFF;
                }
            }
        }
        return out;
    }
}
