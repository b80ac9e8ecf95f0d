package io.attnstream.video.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;

/**
 * A frame as interleaved 8-bit RGB, row-major: pixel (x, y) is bytes {@code 3 (y width + x)} ..
 * {@code + 2} (unsigned; read with {@code & 0xFF}). Three bytes a pixel keep a whole training set
 * in memory cheaply (CamVid's 367 frames at 240 x 180 are 48 MB); tensors are made per batch.
 */
public record RgbImage(int width, int height, byte[] rgb) {
    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(
                    "image size must be positive, got " + width + " x " + height);
        }
        if (rgb.length != 3L * width * height) {
            throw new IllegalArgumentException(
                    "an RGB image of "
                            + width
                            + " x "
                            + height
                            + " has "
                            + 3L * width * height
                            + " bytes, got "
                            + rgb.length);
        }
    }

    /**
     * Any decoded image (RGB, BGR, grey, palette, with alpha: alpha is dropped, not composited):
     * the one conversion from a picture to RGB bytes, for training frames, the stream's frames and
     * RGB8 encoding alike. Grey samples become R = G = B unchanged, as {@link
     * FrameDecoder#toIntRgb} keeps them.
     */
    public static RgbImage of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] rgb = new byte[3 * w * h];
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR
                && image.getRaster().getDataBuffer() instanceof DataBufferByte buffer
                && buffer.getData().length == rgb.length) {
            // what ImageIO gives for most RGB PNGs and JPEGs: swap B and R, no colour model per
            // pixel
            byte[] bgr = buffer.getData();
            for (int i = 0; i < rgb.length; i += 3) {
                rgb[i] = bgr[i + 2];
                rgb[i + 1] = bgr[i + 1];
                rgb[i + 2] = bgr[i];
            }
            return new RgbImage(w, h, rgb);
        }
        BufferedImage ints = FrameDecoder.toIntRgb(image);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            ints.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                int i = 3 * (y * w + x);
                rgb[i] = (byte) (p >> 16);
                rgb[i + 1] = (byte) (p >> 8);
                rgb[i + 2] = (byte) p;
            }
        }
        return new RgbImage(w, h, rgb);
    }

    /** A TYPE_INT_RGB copy, e.g. to write a PNG. */
    public BufferedImage toBufferedImage() {
        return toBufferedImage(rgb, 0, width, height);
    }

    /**
     * RGB bytes from {@code offset} (R, G, B per pixel, row-major, {@code width x height}) as a
     * TYPE_INT_RGB picture: the one conversion back, for an RgbImage and for a raw RGB8 frame
     * inside a record's buffer.
     */
    static BufferedImage toBufferedImage(byte[] rgb, int offset, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] out = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int i = 0, p = offset; i < out.length; i++, p += 3) {
            out[i] = (rgb[p] & 0xFF) << 16 | (rgb[p + 1] & 0xFF) << 8 | rgb[p + 2] & 0xFF;
        }
        return image;
    }

    /** Channel c (0 R, 1 G, 2 B) of pixel (x, y), 0..255. */
    public int at(int x, int y, int c) {
        return rgb[3 * (y * width + x) + c] & 0xFF;
    }
}
