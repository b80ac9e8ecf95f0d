package io.attnstream.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import io.attnstream.platform.AttnstreamException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * The epochs of a training run on a DJL {@link Trainer}, the same for every model family (in the
 * spirit of DJL's {@code EasyTrain} with its listeners): each step in its own sub-manager, closed
 * after it; forward and backward in a gradient collector; a batch whose loss or gradient is not
 * finite is skipped and its gradients zeroed (it would write NaN into every parameter through Adam;
 * seen on amazon-games: a NaN item-table gradient with a finite loss), and {@link
 * TrainingBudget#maxNonFinite} such batches in a row stop the run with one clear error; validation
 * per {@link TrainingBudget#validateEvery}; the parameters of the best validation score are kept in
 * memory and written back at the end, never those of a worse last epoch; epoch, patience and time
 * budgets.
 *
 * <p>The family's {@link TrainingTask} supplies batches and validation; {@link RateControl} moves
 * the learning rate; a {@link Listener} hears about batches and epochs.
 */
public final class TrainingLoop {
    private final TrainingBudget budget;
    private final RateControl rate;
    private final LongSupplier nanoTime;

    /** Where the loop reports: the trainer turns these into its progress lines. */
    public interface Listener<V> {
        /**
         * After each training batch; {@code meanLoss} is the epoch's weighted mean training loss so
         * far.
         */
        default void batch(int epoch, int batch, int batches, double meanLoss) {}

        /** After each epoch. */
        default void epoch(EpochResult<V> result) {}
    }

    /**
     * @param best the best epoch (its parameters are the model's when {@link #run} returns)
     * @param skippedBatches batches skipped for a non-finite loss or gradient
     */
    public record Outcome<V>(
            EpochResult<V> best, List<EpochResult<V>> epochs, int skippedBatches) {}

    /**
     * @param nanoTime the clock the time budget is measured on ({@link System#nanoTime}; a test's
     *     own)
     */
    public TrainingLoop(TrainingBudget budget, RateControl rate, LongSupplier nanoTime) {
        this.budget = budget;
        this.rate = rate;
        this.nanoTime = nanoTime;
    }

    public TrainingLoop(TrainingBudget budget, RateControl rate) {
        this(budget, rate, System::nanoTime);
    }

    /**
     * Runs the epochs on an initialised trainer.
     *
     * @param started when the run started on {@code nanoTime}'s clock (data preparation counts to
     *     the time budget)
     * @throws AttnstreamException when training diverged
     */
    public <V> Outcome<V> run(
            Trainer trainer,
            TrainingTask<V> task,
            Random random,
            long started,
            Listener<V> listener) {
        Block block = trainer.getModel().getBlock();
        double budgetSeconds = budget.maxMinutes() * 60;
        double validationSeconds = 0; // the last validation's, reserved at the end of a time budget
        List<EpochResult<V>> epochs = new ArrayList<>();
        EpochResult<V> best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        Map<String, float[]> bestParameters = null;
        long step = 0;
        long totalSteps = 0;
        int nonFiniteInARow = 0;
        int skipped = 0;
        for (int epoch = 1; epoch <= budget.maxEpochs(); epoch++) {
            long epochStart = nanoTime.getAsLong();
            int batches = task.startEpoch(epoch, random);
            if (totalSteps == 0) {
                totalSteps = (long) budget.maxEpochs() * batches;
            }
            double lossSum = 0;
            double lossWeight = 0;
            int run = 0;
            boolean outOfTime = false;
            for (int b = 0; b < batches; b++) {
                double elapsed = seconds(started);
                if (budgetSeconds > 0 && step > 0 && elapsed >= budgetSeconds - validationSeconds) {
                    outOfTime = true;
                    break;
                }
                rate.beforeStep(
                        step,
                        Math.max(
                                (double) step / totalSteps,
                                budgetSeconds > 0
                                        ? elapsed
                                                / Math.max(1e-9, budgetSeconds - validationSeconds)
                                        : 0));
                try (NDManager stepManager = trainer.getManager().newSubManager()) {
                    TrainingBatch batch = task.batch(stepManager, b, random);
                    float value;
                    boolean finite;
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDList outputs = trainer.forward(batch.inputs());
                        NDArray loss = trainer.getLoss().evaluate(batch.labels(), outputs); // ()
                        value = loss.getFloat();
                        finite = Float.isFinite(value);
                        if (finite) {
                            collector.backward(loss);
                            finite = Parameters.gradientsFinite(block, stepManager);
                        }
                    }
                    if (finite) {
                        trainer.step();
                        lossSum += (double) value * batch.weight();
                        lossWeight += batch.weight();
                        nonFiniteInARow = 0;
                    } else {
                        Parameters.zeroGradients(block, stepManager);
                        skipped++;
                        if (++nonFiniteInARow >= budget.maxNonFinite()) {
                            throw new AttnstreamException(
                                    "training diverged: "
                                            + nonFiniteInARow
                                            + " batches in a row with a non-finite loss or gradient"
                                            + " (epoch "
                                            + epoch
                                            + "); try a lower learning rate");
                        }
                    }
                }
                step++;
                run++;
                listener.batch(epoch, b + 1, batches, lossSum / Math.max(1e-12, lossWeight));
            }
            if (run == 0) {
                break;
            }
            boolean last =
                    outOfTime
                            || epoch == budget.maxEpochs()
                            || (budgetSeconds > 0
                                    && seconds(started) >= budgetSeconds - validationSeconds);
            V validation = null;
            boolean improved = false;
            if (epoch % budget.validateEvery() == 0 || last || best == null) {
                long validationStart = nanoTime.getAsLong();
                validation = task.validate(trainer);
                validationSeconds = (nanoTime.getAsLong() - validationStart) / 1e9;
                double score = task.score(validation);
                improved = best == null || score > bestScore;
                rate.validated(epoch, improved);
                if (improved) {
                    bestScore = score;
                    bestParameters = Parameters.snapshot(block);
                }
            }
            EpochResult<V> result =
                    new EpochResult<>(
                            epoch,
                            lossWeight > 0 ? lossSum / lossWeight : Double.NaN,
                            validation,
                            run,
                            (nanoTime.getAsLong() - epochStart) / 1e9,
                            improved);
            epochs.add(result);
            if (improved) {
                best = result;
            }
            listener.epoch(result);
            if (last || (best != null && epoch - best.epoch() >= budget.patience())) {
                break;
            }
        }
        if (bestParameters != null) {
            Parameters.restore(block, bestParameters, trainer.getManager());
        }
        return new Outcome<>(best, epochs, skipped);
    }

    private double seconds(long since) {
        return (nanoTime.getAsLong() - since) / 1e9;
    }
}
