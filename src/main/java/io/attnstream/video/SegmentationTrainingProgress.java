package io.attnstream.video;

import io.attnstream.platform.ProgressLine;

import java.io.PrintStream;
import java.util.Locale;

/** Where {@link SegmentationTrainer} reports how training goes: a console bar for people, silence for tests. */
public interface SegmentationTrainingProgress {
    /** Before the first epoch. */
    default void started(int trainingFrames, int validationFrames, long parameters) {}

    /** After each training batch; {@code meanLoss} is the epoch's mean weighted cross-entropy so far. */
    default void batch(int epoch, int maxEpochs, int batch, int batches, double meanLoss) {}

    /** After each epoch's validation. */
    void epoch(EpochSummary summary);

    static SegmentationTrainingProgress silent() {
        return summary -> { };
    }

    /** The console listener; the bar only on a terminal (see {@link ProgressLine}). */
    static SegmentationTrainingProgress console(PrintStream out) {
        return console(out, ProgressLine.terminal());
    }

    static SegmentationTrainingProgress console(PrintStream out, boolean bar) {
        ProgressLine line = new ProgressLine(out, bar);
        return new SegmentationTrainingProgress() {
            @Override
            public void started(int trainingFrames, int validationFrames, long parameters) {
                out.printf(Locale.ROOT, "training on %d frames, validating on %d, %d parameters%n", trainingFrames,
                        validationFrames, parameters);
            }

            @Override
            public void batch(int epoch, int maxEpochs, int batch, int batches, double meanLoss) {
                line.bar(String.format(Locale.ROOT, "epoch %d/%d", epoch, maxEpochs), batch, batches,
                        String.format(Locale.ROOT, "loss %.4f", meanLoss));
            }

            @Override
            public void epoch(EpochSummary summary) {
                line.line(summary.line());
            }
        };
    }

    /**
     * One epoch's figures.
     *
     * @param trainLoss                mean weighted cross-entropy of the epoch's batches (augmented frames)
     * @param validationMeanIou        on the validation frames at the training resolution, 0..1
     * @param validationPixelAccuracy  likewise
     * @param learningRate             at the epoch's last step
     * @param batches                  training batches run (fewer than an epoch's when time ran out)
     * @param best                     whether this epoch is the best so far (its parameters are the ones kept)
     */
    record EpochSummary(int epoch, int maxEpochs, double trainLoss, double validationMeanIou,
            double validationPixelAccuracy, float learningRate, int batches, double seconds, boolean best) {
        /** e.g. {@code epoch 3/100  loss 0.9120  val mIoU 41.2 %  pixel acc. 80.3 %  lr 9.8e-04  71.0 s *}. */
        public String line() {
            return String.format(Locale.ROOT, "epoch %d/%d  loss %.4f  val mIoU %.1f %%  pixel acc. %.1f %%"
                    + "  lr %.1e  %.1f s%s", epoch, maxEpochs, trainLoss, 100 * validationMeanIou,
                    100 * validationPixelAccuracy, learningRate, seconds, best ? "  *" : "");
        }
    }
}
