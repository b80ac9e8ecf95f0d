package io.attnstream.video.image;

import java.io.Serializable;

/**
 * How big a camera frame may be before anything is allocated for it: the encoded bytes, and the
 * pixel count the image header claims (which a few hundred crafted bytes can set to billions).
 */
public record FrameLimits(long maxBytes, long maxPixels) implements Serializable {
    /** 8 MiB: a 4K JPEG fits, a camera sending raw 4K RGB does not. */
    public static final long DEFAULT_MAX_BYTES = 8L << 20;

    /** 16 Mpx, about 4.6k x 3.5k; a decoded frame then needs at most 64 MB as int RGB. */
    public static final long DEFAULT_MAX_PIXELS = 16_000_000L;

    public static final FrameLimits DEFAULT =
            new FrameLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS);

    public FrameLimits {
        if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "maxBytes must be in [1, " + Integer.MAX_VALUE + "], got " + maxBytes);
        }
        // Decoded frames are int[] rasters, so their pixel count must fit in an array.
        if (maxPixels < 1 || maxPixels > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "maxPixels must be in [1, " + (Integer.MAX_VALUE - 8) + "], got " + maxPixels);
        }
    }
}
