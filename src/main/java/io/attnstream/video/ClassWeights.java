package io.attnstream.video;

import java.util.Arrays;
import java.util.List;

/**
 * Class weights for the loss, so rare classes (CamVid's poles, signs and cyclists cover well under 1 % of the
 * pixels) are not ignored in favour of road and sky.
 */
public final class ClassWeights {
    private ClassWeights() {}

    /**
     * Median-frequency balancing (Eigen &amp; Fergus 2015, used by SegNet): freq(c) is the number of pixels of class
     * c divided by the labelled (non-void) pixels of the frames where c occurs; weight(c) = median over the
     * classes that occur of freq / freq(c). A class that never occurs gets 1 (it is never a target anyway).
     *
     * @return C weights
     */
    public static float[] medianFrequency(List<SegmentationSample> samples, int classes, int voidIndex) {
        long[] classPixels = new long[classes];
        long[] framePixels = new long[classes]; // labelled pixels of the frames where the class occurs
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
}
