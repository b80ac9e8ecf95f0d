package io.attnstream.training;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Training progress on the console: what it trains on, a bar during an epoch (when drawn, see
 * {@link ProgressLine}), then one line per epoch. Each pipeline subclasses it so that its console
 * is also of its own progress type.
 *
 * @param <S> one epoch's figures
 */
public abstract class ConsoleEpochProgress<S extends EpochProgress.Summary>
        implements EpochProgress<S> {
    private final PrintStream out;
    private final ProgressLine line;
    private final String examples;

    /**
     * @param examples what {@link #started} counts, e.g. "windows"
     */
    protected ConsoleEpochProgress(PrintStream out, boolean bar, String examples) {
        this.out = out;
        this.line = new ProgressLine(out, bar);
        this.examples = examples;
    }

    @Override
    public void started(int training, int validation, long parameters) {
        out.printf(
                Locale.ROOT,
                "training on %d %s, validating on %d, %d parameters%n",
                training,
                examples,
                validation,
                parameters);
    }

    @Override
    public void batch(int epoch, int maxEpochs, int batch, int batches, double meanLoss) {
        line.bar(
                String.format(Locale.ROOT, "epoch %d/%d", epoch, maxEpochs),
                batch,
                batches,
                String.format(Locale.ROOT, "loss %.4f", meanLoss));
    }

    @Override
    public void epoch(S summary) {
        printLine(summary.line());
    }

    /** A permanent line in place of the bar, for events between epoch lines. */
    protected final void printLine(String text) {
        line.line(text);
    }
}
