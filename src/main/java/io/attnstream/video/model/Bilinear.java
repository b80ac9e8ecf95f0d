package io.attnstream.video.model;

import ai.djl.ndarray.NDArray;

/**
 * Bilinear resizing of feature maps, as PyTorch's {@code interpolate(mode="bilinear",
 * align_corners=False, antialias=True)}: output pixel centres map to input coordinates {@code (i +
 * 0.5) * in / out - 0.5}. Upsampling interpolates the 2 x 2 nearest inputs (clamped at the
 * borders); downsampling by a factor s averages with a triangle filter s pixels wide (as PIL does),
 * so no input pixel is skipped. DJL's native call turns antialiasing on; it is what {@code
 * ImageResizer} does in Java for frames, so a frame resized in Java and a feature map resized here
 * agree.
 *
 * <p>It is differentiable (the decoder of {@link AttentionUNetBlock} upsamples with it, since DJL's
 * PyTorch engine has no transposed convolution), and each output is a convex combination of inputs,
 * so values in [0, 1] stay in [0, 1].
 */
public final class Bilinear {
    /**
     * DJL's interpolation mode for bilinear: {@code PtNDArrayEx.getInterpolationMode} maps DJL's 0
     * nearest, 1 bilinear, 2 area, 3 bicubic to libtorch's modes; DJL 0.36 passes {@code
     * alignCorners = false} whatever is asked.
     */
    static final int MODE = 1;

    private Bilinear() {}

    /**
     * @param x (B, C, h, w) float
     * @return (B, C, height, width), in x's manager; x itself when the size is already right
     */
    public static NDArray resize(NDArray x, long height, long width) {
        if (x.getShape().get(2) == height && x.getShape().get(3) == width) {
            return x;
        }
        return x.getNDArrayInternal()
                .interpolation(new long[] {height, width}, MODE, false); // (B, C, height, width)
    }
}
