package io.attnstream.traffic.train;

import io.attnstream.training.ConsoleEpochProgress;
import io.attnstream.training.EpochProgress;
import io.attnstream.training.ProgressLine;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Where {@link TrafficTrainer} reports how training goes: a console bar for people, silence for
 * tests. It counts fit and validation windows; a batch's {@code meanLoss} is the epoch's masked MAE
 * (normalised) so far.
 */
public interface TrainingProgress extends EpochProgress<TrainingProgress.EpochSummary> {
    static TrainingProgress silent() {
        return summary -> {};
    }

    /**
     * The console listener. Without a terminal (a log file, CI) the carriage-return bar would pile
     * up into one endless line, so only the per-epoch lines are printed there.
     */
    static TrainingProgress console(PrintStream out) {
        return console(out, ProgressLine.terminal());
    }

    /**
     * @param bar whether to draw the carriage-return progress bar during an epoch
     */
    static TrainingProgress console(PrintStream out, boolean bar) {
        return new Console(out, bar);
    }

    /**
     * One epoch's figures.
     *
     * @param trainMae mean masked MAE of the epoch's training batches, normalised units (dropout
     *     on)
     * @param validationRmse RMSE in mph over all H steps of the validation windows' observed
     *     targets
     * @param validationMae MAE in mph, same values
     * @param lastValueRmse the last-value baseline's RMSE on the same targets
     * @param best whether this epoch is the best so far (its parameters are the ones kept)
     */
    record EpochSummary(
            int epoch,
            int maxEpochs,
            double trainMae,
            double validationRmse,
            double validationMae,
            double lastValueRmse,
            double seconds,
            boolean best)
            implements EpochProgress.Summary {
        /**
         * e.g. {@code epoch 3/50 train MAE 0.312 val RMSE 4.81 mph val MAE 2.95 last-value RMSE
         * 5.40 12.3 s}.
         */
        @Override
        public String line() {
            return String.format(
                    Locale.ROOT,
                    "epoch %d/%d  train MAE %.3f  val RMSE %.2f mph  val MAE %.2f"
                            + "  last-value RMSE %.2f  %.1f s%s",
                    epoch,
                    maxEpochs,
                    trainMae,
                    validationRmse,
                    validationMae,
                    lastValueRmse,
                    seconds,
                    best ? "  *" : "");
        }
    }

    /**
     * One line per epoch ({@code *} marks a new best), with a progress bar during an epoch on a
     * terminal.
     */
    final class Console extends ConsoleEpochProgress<EpochSummary> implements TrainingProgress {
        Console(PrintStream out, boolean bar) {
            super(out, bar, "windows");
        }
    }
}
