package io.attnstream.training;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Turns the loop's events into a trainer's progress lines: batches as they are, each epoch as the
 * trainer's own summary (made by {@code summary}), which it also keeps for the trainer's result.
 *
 * @param <V> one validation's figures
 * @param <S> the trainer's epoch summary
 */
public final class ProgressListener<V, S extends EpochProgress.Summary>
        implements TrainingLoop.Listener<V> {
    private final EpochProgress<S> progress;
    private final int maxEpochs;
    private final Function<EpochResult<V>, S> summary;
    private final List<S> summaries = new ArrayList<>();

    public ProgressListener(
            EpochProgress<S> progress, int maxEpochs, Function<EpochResult<V>, S> summary) {
        this.progress = progress;
        this.maxEpochs = maxEpochs;
        this.summary = summary;
    }

    @Override
    public void batch(int epoch, int batch, int batches, double meanLoss) {
        progress.batch(epoch, maxEpochs, batch, batches, meanLoss);
    }

    @Override
    public void epoch(EpochResult<V> result) {
        S s = summary.apply(result);
        summaries.add(s);
        progress.epoch(s);
    }

    /** Every epoch's summary so far, in order. */
    public List<S> summaries() {
        return summaries;
    }

    /** The summary of one of the epochs heard. */
    public S summaryOf(EpochResult<V> result) {
        return summaries.get(result.epoch() - 1);
    }
}
