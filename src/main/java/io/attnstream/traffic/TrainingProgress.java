package io.attnstream.traffic;

import java.io.PrintStream;
import java.util.Locale;

/** Where {@link TrafficTrainer} reports how training goes: a console bar for people, silence for tests. */
public interface TrainingProgress {
    /** Before the first epoch. */
    default void started(int fitWindows, int validationWindows, long parameters) {}

    /** After each training batch; {@code meanLoss} is the epoch's masked MAE (normalised) so far. */
    void batch(int epoch, int maxEpochs, int batch, int batches, double meanLoss);

    /** After each epoch's validation. */
    void epoch(EpochSummary summary);

    static TrainingProgress silent() {
        return new TrainingProgress() {
            @Override
            public void batch(int epoch, int maxEpochs, int batch, int batches, double meanLoss) {}

            @Override
            public void epoch(EpochSummary summary) {}
        };
    }

    /**
     * The console listener. Without a terminal (a log file, CI) the carriage-return bar would pile up into one
     * endless line, so only the per-epoch lines are printed there.
     */
    static TrainingProgress console(PrintStream out) {
        return console(out, System.console() != null);
    }

    /** @param bar whether to draw the carriage-return progress bar during an epoch */
    static TrainingProgress console(PrintStream out, boolean bar) {
        return new Console(out, bar);
    }

    /**
     * One epoch's figures.
     *
     * @param trainMae       mean masked MAE of the epoch's training batches, normalised units (dropout on)
     * @param validationRmse RMSE in mph over all H steps of the validation windows' observed targets
     * @param validationMae  MAE in mph, same values
     * @param lastValueRmse  the last-value baseline's RMSE on the same targets
     * @param best           whether this epoch is the best so far (its parameters are the ones kept)
     */
    record EpochSummary(int epoch, int maxEpochs, double trainMae, double validationRmse, double validationMae,
            double lastValueRmse, double seconds, boolean best) {
        /** e.g. {@code epoch 3/50  train MAE 0.312  val RMSE 4.81 mph  val MAE 2.95  last-value RMSE 5.40  12.3 s}. */
        public String line() {
            return String.format(Locale.ROOT, "epoch %d/%d  train MAE %.3f  val RMSE %.2f mph  val MAE %.2f"
                    + "  last-value RMSE %.2f  %.1f s%s", epoch, maxEpochs, trainMae, validationRmse, validationMae,
                    lastValueRmse, seconds, best ? "  *" : "");
        }
    }

    /**
     * A carriage-return progress bar with the running loss during an epoch, then one line per epoch ({@code *}
     * marks a new best). The bar is redrawn at most every 200 ms, so a log file does not fill with it.
     */
    final class Console implements TrainingProgress {
        private static final int WIDTH = 30;
        private static final long REDRAW_NANOS = 200_000_000L;
        private final PrintStream out;
        private long lastDraw;
        private int lastLength;

        private final boolean bar;

        Console(PrintStream out, boolean bar) {
            this.out = out;
            this.bar = bar;
        }

        @Override
        public void started(int fitWindows, int validationWindows, long parameters) {
            out.printf(Locale.ROOT, "training on %d windows, validating on %d, %d parameters%n", fitWindows,
                    validationWindows, parameters);
        }

        @Override
        public void batch(int epoch, int maxEpochs, int batch, int batches, double meanLoss) {
            if (!bar) {
                return;
            }
            long now = System.nanoTime();
            if (batch < batches && now - lastDraw < REDRAW_NANOS) {
                return;
            }
            lastDraw = now;
            int filled = (int) ((long) WIDTH * batch / batches);
            String bar = String.format(Locale.ROOT, "epoch %d/%d [%s%s] %d/%d  loss %.4f", epoch, maxEpochs,
                    "#".repeat(filled), ".".repeat(WIDTH - filled), batch, batches, meanLoss);
            draw(bar);
            out.flush();
        }

        @Override
        public void epoch(EpochSummary summary) {
            draw(summary.line());
            out.println();
            lastLength = 0;
        }

        /** Overwrites the current line, padding with spaces when the new text is shorter. */
        private void draw(String text) {
            out.print('\r');
            out.print(text);
            if (text.length() < lastLength) {
                out.print(" ".repeat(lastLength - text.length()));
            }
            lastLength = text.length();
        }
    }
}
