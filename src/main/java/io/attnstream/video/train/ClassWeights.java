package io.attnstream.video.train;

import io.attnstream.video.data.SegmentationSample;
import java.util.Arrays;
import java.util.List;

/**
 * Class weights for the loss, so rare classes (CamVid's poles, signs and cyclists cover well under
 * 1 % of the pixels) are not ignored in favour of road and sky.
 */
public final class ClassWeights {
    private ClassWeights() {}

    /**
     * Median-frequency balancing (Eigen &amp; Fergus 2015, used by SegNet): freq(c) is the number
     * of pixels of class c divided by the labelled (non-void) pixels of the frames where c occurs;
     * weight(c) = median over the classes that occur of freq / freq(c). A class that never occurs
     * gets 1 (it is never a target anyway).
     *
     * @return C weights
     */
    public static float[] medianFrequency(
            List<SegmentationSample> samples, int classes, int voidIndex) {
        long[] classPixels = new long[classes];
        long[] framePixels =
                new long[classes]; // labelled pixels of the frames where the class occurs
        for (SegmentationSample sample : samples) {
            long[] counts = new long[classes];
            long labelled = 0;
            for (byte b : sample.labels().classes()) {
                int v = b & 0xFF;
                if (v != voidIndex && v < classes) {
                    counts[v]++;
                    labelled++;
                }
            }
            for (int c = 0; c < classes; c++) {
                if (counts[c] > 0) {
                    classPixels[c] += counts[c];
                    framePixels[c] += labelled;
                }
            }
        }
        double[] frequency = new double[classes];
        double[] present = new double[classes];
        int n = 0;
        for (int c = 0; c < classes; c++) {
            if (classPixels[c] > 0) {
                frequency[c] = (double) classPixels[c] / framePixels[c];
                present[n++] = frequency[c];
            }
        }
        float[] weights = new float[classes];
        if (n == 0) {
            Arrays.fill(weights, 1f);
            return weights;
        }
        double[] sorted = Arrays.copyOf(present, n);
        Arrays.sort(sorted);
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        for (int c = 0; c < classes; c++) {
            weights[c] = classPixels[c] > 0 ? (float) (median / frequency[c]) : 1f;
        }
        return weights;
    }

    /**
     * The {@link #medianFrequency} weights raised to {@code exponent}: 1 gives them as they are, 0
     * gives every class 1, and in between softens them (0.5, the square root, weighs a class 100x
     * rarer than the median 10, not 100) while keeping rare classes above common ones. Full weights
     * make a short run paint rare classes over their neighbours (a thin pole predicted several
     * pixels wide), which costs intersection-over-union on both.
     *
     * @param exponent in [0, 1]
     * @return C weights
     */
    public static float[] medianFrequency(
            List<SegmentationSample> samples, int classes, int voidIndex, double exponent) {
        if (!(exponent >= 0 && exponent <= 1)) {
            throw new IllegalArgumentException(
                    "the class weights' exponent must be in [0, 1], got " + exponent);
        }
        float[] weights = medianFrequency(samples, classes, voidIndex);
        for (int c = 0; c < classes; c++) {
            weights[c] = (float) Math.pow(weights[c], exponent);
        }
        return weights;
    }
}
