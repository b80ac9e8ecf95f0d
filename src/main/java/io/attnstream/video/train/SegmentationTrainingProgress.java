package io.attnstream.video.train;

import io.attnstream.training.ConsoleEpochProgress;
import io.attnstream.training.EpochProgress;
import io.attnstream.training.ProgressLine;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Where {@link SegmentationTrainer} reports how training goes: a console bar for people, silence
 * for tests. It counts training and validation frames; a batch's {@code meanLoss} is the epoch's
 * mean weighted cross-entropy so far.
 */
public interface SegmentationTrainingProgress
        extends EpochProgress<SegmentationTrainingProgress.EpochSummary> {
    static SegmentationTrainingProgress silent() {
        return summary -> {};
    }

    /** The console listener; the bar only on a terminal (see {@link ProgressLine}). */
    static SegmentationTrainingProgress console(PrintStream out) {
        return console(out, ProgressLine.terminal());
    }

    static SegmentationTrainingProgress console(PrintStream out, boolean bar) {
        return new Console(out, bar);
    }

    /**
     * One epoch's figures.
     *
     * @param trainLoss mean weighted cross-entropy of the epoch's batches (augmented frames)
     * @param validationMeanIou on the validation frames at the training resolution, 0..1
     * @param validationPixelAccuracy likewise
     * @param learningRate at the epoch's last step
     * @param batches training batches run (fewer than an epoch's when time ran out)
     * @param best whether this epoch is the best so far (its parameters are the ones kept)
     */
    record EpochSummary(
            int epoch,
            int maxEpochs,
            double trainLoss,
            double validationMeanIou,
            double validationPixelAccuracy,
            float learningRate,
            int batches,
            double seconds,
            boolean best)
            implements EpochProgress.Summary {
        /**
         * e.g. {@code epoch 3/100 loss 0.9120 val mIoU 41.2 % pixel acc. 80.3 % lr 9.8e-04 71.0 s
         * *}.
         */
        @Override
        public String line() {
            return String.format(
                    Locale.ROOT,
                    "epoch %d/%d  loss %.4f  val mIoU %.1f %%  pixel acc. %.1f %%"
                            + "  lr %.1e  %.1f s%s",
                    epoch,
                    maxEpochs,
                    trainLoss,
                    100 * validationMeanIou,
                    100 * validationPixelAccuracy,
                    learningRate,
                    seconds,
                    best ? "  *" : "");
        }
    }

    /** One line per epoch, with a progress bar during an epoch on a terminal. */
    final class Console extends ConsoleEpochProgress<EpochSummary>
            implements SegmentationTrainingProgress {
        Console(PrintStream out, boolean bar) {
            super(out, bar, "frames");
        }
    }
}
