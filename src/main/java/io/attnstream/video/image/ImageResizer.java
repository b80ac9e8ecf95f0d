package io.attnstream.video.image;

/**
 * Resizes frames and label maps in Java, before they become tensors.
 *
 * <p>Frames: separable bilinear with half-pixel centres (output pixel i samples input coordinate
 * {@code (i + 0.5) in / out - 0.5}) and, when shrinking by a factor s, a triangle filter s pixels
 * wide instead of 2 (as PIL and PyTorch's {@code antialias=True} do): a 1920 x 1080 camera frame
 * shrunk to 240 x 176 then averages every pixel instead of sampling one in eight, which would
 * alias. It matches {@link io.attnstream.video.model.Bilinear} on tensors.
 *
 * <p>Labels: nearest neighbour at the output pixel's centre, so class indices are never blended
 * into other classes.
 */
public final class ImageResizer {
    private ImageResizer() {}

    /** The frame at {@code width x height}; the frame itself if it already has that size. */
    public static RgbImage bilinear(RgbImage image, int width, int height) {
        if (image.width() == width && image.height() == height) {
            return image;
        }
        Taps horizontal = Taps.of(image.width(), width);
        Taps vertical = Taps.of(image.height(), height);
        int inW = image.width();
        byte[] src = image.rgb();
        float[] rows =
                new float[image.height() * width * 3]; // (inH, outW, 3) after the horizontal pass
        for (int y = 0; y < image.height(); y++) {
            int rowIn = y * inW * 3;
            int rowOut = y * width * 3;
            for (int x = 0; x < width; x++) {
                float r = 0;
                float g = 0;
                float b = 0;
                int start = horizontal.start[x];
                float[] w = horizontal.weights[x];
                for (int k = 0; k < w.length; k++) {
                    int i = rowIn + (start + k) * 3;
                    r += w[k] * (src[i] & 0xFF);
                    g += w[k] * (src[i + 1] & 0xFF);
                    b += w[k] * (src[i + 2] & 0xFF);
                }
                rows[rowOut + 3 * x] = r;
                rows[rowOut + 3 * x + 1] = g;
                rows[rowOut + 3 * x + 2] = b;
            }
        }
        byte[] out = new byte[width * height * 3];
        int stride = width * 3;
        for (int y = 0; y < height; y++) {
            int start = vertical.start[y];
            float[] w = vertical.weights[y];
            for (int i = 0; i < stride; i++) {
                float v = 0;
                for (int k = 0; k < w.length; k++) {
                    v += w[k] * rows[(start + k) * stride + i];
                }
                out[y * stride + i] = (byte) Math.min(255, Math.max(0, Math.round(v)));
            }
        }
        return new RgbImage(width, height, out);
    }

    /**
     * The labels at {@code width x height} by nearest neighbour; the map itself if it already has
     * that size.
     */
    public static LabelMap nearest(LabelMap labels, int width, int height) {
        if (labels.width() == width && labels.height() == height) {
            return labels;
        }
        int[] xs = nearestIndices(labels.width(), width);
        int[] ys = nearestIndices(labels.height(), height);
        byte[] src = labels.classes();
        byte[] out = new byte[width * height];
        for (int y = 0; y < height; y++) {
            int row = ys[y] * labels.width();
            for (int x = 0; x < width; x++) {
                out[y * width + x] = src[row + xs[x]];
            }
        }
        return new LabelMap(width, height, out);
    }

    /** Input index whose pixel contains output pixel i's centre. */
    public static int[] nearestIndices(int in, int out) {
        int[] indices = new int[out];
        double scale = (double) in / out;
        for (int i = 0; i < out; i++) {
            indices[i] = Math.min(in - 1, (int) Math.floor((i + 0.5) * scale));
        }
        return indices;
    }

    /**
     * Per output index: the first input index and the normalised triangle-filter weights from
     * there.
     */
    record Taps(int[] start, float[][] weights) {
        static Taps of(int in, int out) {
            double scale = (double) in / out;
            double support = Math.max(1.0, scale); // half-width of the triangle, in input pixels
            int[] start = new int[out];
            float[][] weights = new float[out][];
            for (int i = 0; i < out; i++) {
                double centre = (i + 0.5) * scale; // in input pixel units, pixel j spans [j, j + 1)
                int from = Math.max(0, (int) Math.floor(centre - support + 0.5));
                int to = Math.min(in, (int) Math.floor(centre + support + 0.5)); // exclusive
                double[] w = new double[Math.max(1, to - from)];
                double total = 0;
                for (int j = from; j < to; j++) {
                    double distance = Math.abs(j + 0.5 - centre) / support;
                    w[j - from] = Math.max(0, 1 - distance);
                    total += w[j - from];
                }
                float[] normalised = new float[w.length];
                for (int k = 0; k < w.length; k++) {
                    normalised[k] = total > 0 ? (float) (w[k] / total) : (k == 0 ? 1f : 0f);
                }
                start[i] = Math.min(from, in - 1);
                weights[i] = normalised;
            }
            return new Taps(start, weights);
        }
    }
}
