package io.attnstream.clicks.train;

import io.attnstream.training.ConsoleEpochProgress;
import io.attnstream.training.EpochProgress;
import io.attnstream.training.ProgressLine;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Where {@link SequenceTrainer} reports how training goes: a console bar for people, silence for
 * tests. It counts training and validation users; a batch's {@code meanLoss} is the epoch's mean
 * loss per position so far.
 */
public interface SequenceTrainingProgress
        extends EpochProgress<SequenceTrainingProgress.EpochSummary> {
    /** When a validation plateau cuts the learning rate, before the epoch's summary. */
    default void rateCut(int epoch, float newRate) {}

    static SequenceTrainingProgress silent() {
        return summary -> {};
    }

    /** The console listener; the bar only on a terminal (see {@link ProgressLine}). */
    static SequenceTrainingProgress console(PrintStream out) {
        return console(out, ProgressLine.terminal());
    }

    static SequenceTrainingProgress console(PrintStream out, boolean bar) {
        return new Console(out, bar);
    }

    /**
     * One epoch's figures.
     *
     * @param trainLoss mean BCE per non-padding position of the epoch's batches (dropout on)
     * @param validationHr10 sampled-100 HR@10 on the validation items, NaN if this epoch was not
     *     validated
     * @param validationNdcg10 sampled-100 NDCG@10, NaN likewise
     * @param best whether this epoch is the best so far (its parameters are the ones kept)
     */
    record EpochSummary(
            int epoch,
            int maxEpochs,
            double trainLoss,
            double validationHr10,
            double validationNdcg10,
            double seconds,
            boolean best)
            implements EpochProgress.Summary {
        public boolean validated() {
            return !Double.isNaN(validationNdcg10);
        }

        /** e.g. {@code epoch 3/50 loss 0.9120 val HR@10 0.6012 NDCG@10 0.3921 4.1 s *}. */
        @Override
        public String line() {
            String val =
                    validated()
                            ? String.format(
                                    Locale.ROOT,
                                    "  val HR@10 %.4f  NDCG@10 %.4f",
                                    validationHr10,
                                    validationNdcg10)
                            : "";
            return String.format(
                    Locale.ROOT,
                    "epoch %d/%d  loss %.4f%s  %.1f s%s",
                    epoch,
                    maxEpochs,
                    trainLoss,
                    val,
                    seconds,
                    best ? "  *" : "");
        }
    }

    /**
     * One line per epoch and per learning-rate cut, with a progress bar during an epoch on a
     * terminal.
     */
    final class Console extends ConsoleEpochProgress<EpochSummary>
            implements SequenceTrainingProgress {
        Console(PrintStream out, boolean bar) {
            super(out, bar, "users");
        }

        @Override
        public void rateCut(int epoch, float newRate) {
            printLine(
                    String.format(
                            Locale.ROOT,
                            "epoch %d: validation plateau, learning rate now %.2e",
                            epoch,
                            newRate));
        }
    }
}
