package io.attnstream.video.eval;

import io.attnstream.video.image.LabelMap;

/**
 * A confusion matrix of per-pixel classes and the scores read from it, over every pixel added (not
 * averaged per frame: a frame's weight is its pixel count, as in the CamVid protocol of SegNet and
 * ENet).
 *
 * <p>Void pixels of the ground truth are skipped. Per class c: IoU = TP / (TP + FP + FN); the mean
 * IoU averages the classes whose union TP + FP + FN is not empty (a class neither present nor
 * predicted has no IoU; one predicted but absent scores 0). Pixel accuracy = correct / labelled
 * pixels.
 */
public final class SegmentationMetrics {
    private final int classes;
    private final int voidIndex;
    private final long[][] confusion; // [truth][predicted]

    public SegmentationMetrics(int classes, int voidIndex) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        this.classes = classes;
        this.voidIndex = voidIndex;
        this.confusion = new long[classes][classes];
    }

    /**
     * Adds one frame.
     *
     * @param truth labels, classes 0..C-1 or void
     * @param predicted the model's classes at the same size, 0..C-1
     */
    public void add(LabelMap truth, LabelMap predicted) {
        if (truth.width() != predicted.width() || truth.height() != predicted.height()) {
            throw new IllegalArgumentException(
                    "prediction "
                            + predicted.width()
                            + " x "
                            + predicted.height()
                            + " for labels "
                            + truth.width()
                            + " x "
                            + truth.height());
        }
        byte[] t = truth.classes();
        byte[] p = predicted.classes();
        for (int i = 0; i < t.length; i++) {
            int actual = t[i] & 0xFF;
            if (actual == voidIndex) {
                continue;
            }
            int guess = p[i] & 0xFF;
            if (actual >= classes || guess >= classes) {
                throw new IllegalArgumentException(
                        "class "
                                + Math.max(actual, guess)
                                + " is outside 0.."
                                + (classes - 1)
                                + " (void "
                                + voidIndex
                                + ")");
            }
            confusion[actual][guess]++;
        }
    }

    /** C. */
    public int classes() {
        return classes;
    }

    public int voidIndex() {
        return voidIndex;
    }

    /** A copy: rows are the true classes, columns the predicted ones. */
    public long[][] confusion() {
        long[][] copy = new long[classes][];
        for (int c = 0; c < classes; c++) {
            copy[c] = confusion[c].clone();
        }
        return copy;
    }

    /** Labelled (non-void) pixels added. */
    public long pixels() {
        long total = 0;
        for (long[] row : confusion) {
            for (long v : row) {
                total += v;
            }
        }
        return total;
    }

    /** Per class, NaN where the class is neither in the labels nor predicted. */
    public double[] iou() {
        double[] iou = new double[classes];
        for (int c = 0; c < classes; c++) {
            long tp = confusion[c][c];
            long union = -tp;
            for (int k = 0; k < classes; k++) {
                union += confusion[c][k] + confusion[k][c];
            }
            iou[c] = union == 0 ? Double.NaN : (double) tp / union;
        }
        return iou;
    }

    /** Mean of {@link #iou()} over the classes that have one; NaN before any pixel. */
    public double meanIou() {
        return nanMean(iou());
    }

    /** Classes the mean IoU averages. */
    public int classesScored() {
        int n = 0;
        for (double v : iou()) {
            if (!Double.isNaN(v)) {
                n++;
            }
        }
        return n;
    }

    /** Correct / labelled pixels; NaN before any pixel. */
    public double pixelAccuracy() {
        long correct = 0;
        for (int c = 0; c < classes; c++) {
            correct += confusion[c][c];
        }
        long total = pixels();
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    /**
     * Per class, the share of its pixels predicted right (recall); NaN where the class is absent.
     */
    public double[] classAccuracy() {
        double[] accuracy = new double[classes];
        for (int c = 0; c < classes; c++) {
            long total = 0;
            for (long v : confusion[c]) {
                total += v;
            }
            accuracy[c] = total == 0 ? Double.NaN : (double) confusion[c][c] / total;
        }
        return accuracy;
    }

    /**
     * Mean of {@link #classAccuracy()} over the classes present (SegNet's "class average
     * accuracy").
     */
    public double meanClassAccuracy() {
        return nanMean(classAccuracy());
    }

    private static double nanMean(double[] values) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
