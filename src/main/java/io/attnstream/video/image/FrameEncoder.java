package io.attnstream.video.image;

import io.attnstream.schema.FrameEncoding;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Pictures to frame bytes: PNG, JPEG at a quality, or raw RGB8 (row-major R, G, B bytes). */
public final class FrameEncoder {
    public static final float DEFAULT_JPEG_QUALITY = 0.85f;

    static {
        ImageIO.setUseCache(false);
    }

    private FrameEncoder() {}

    public static byte[] encode(BufferedImage image, FrameEncoding encoding, float jpegQuality) {
        return switch (encoding) {
            case PNG -> png(image);
            case JPEG -> jpeg(image, jpegQuality);
            case RGB8 -> rgb8(image);
        };
    }

    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(image.getWidth() * image.getHeight());
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException(
                        "no ImageIO PNG writer for image type " + image.getType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding to memory failed", e);
        }
        return out.toByteArray();
    }

    /**
     * @param quality 0..1, as {@link ImageWriteParam#setCompressionQuality}
     */
    public static byte[] jpeg(BufferedImage image, float quality) {
        if (!(quality >= 0 && quality <= 1)) {
            throw new IllegalArgumentException("JPEG quality must be in [0, 1], got " + quality);
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes =
                new ByteArrayOutputStream(image.getWidth() * image.getHeight() / 4);
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.setOutput(out);
            // JPEG has no alpha: an ARGB picture would come out as a CMYK-like file other readers
            // misread.
            writer.write(null, new IIOImage(FrameDecoder.toIntRgb(image), null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG encoding to memory failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** Row-major R, G, B bytes ({@link RgbImage#of}). */
    public static byte[] rgb8(BufferedImage image) {
        return RgbImage.of(image).rgb();
    }
}
