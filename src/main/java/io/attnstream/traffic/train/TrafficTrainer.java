package io.attnstream.traffic.train;

import ai.djl.Model;
import io.attnstream.inference.DjlEngine;
import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.ModelStore;
import io.attnstream.platform.AttnstreamException;
import io.attnstream.traffic.data.SpeedMatrix;
import io.attnstream.traffic.model.TrafficForecasterBlock;
import io.attnstream.traffic.model.TrafficModels;
import io.attnstream.training.TrainingBudget;
import io.attnstream.training.TrainingLoop;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains the traffic forecaster on a speed matrix and writes its model directory; the parts are
 * {@link TrafficTrainingData} (the split), {@link TrafficTrainingTask} (batches, validation),
 * {@link TrafficTrainingRun} (optimizer and the shared loop) and {@link TrafficTrainingSource}
 * (adjacency check, fingerprint).
 *
 * <p>The matrix's chronological tail (the validation fraction) is held out; the rest is the fit
 * part, which alone sets the normalisation. Each epoch trains on the fit part's windows in a seeded
 * shuffled order with a masked MAE in normalised units (measured better than MSE on Los-loop), then
 * scores the validation windows in mph (RMSE and MAE over all H steps of the observed targets) next
 * to the last-value baseline on the same targets. The epochs run on the shared {@link
 * TrainingLoop}: the parameters of the best validation RMSE are kept and saved, never those of a
 * worse final epoch; a batch with a non-finite loss or gradient is skipped; training stops after
 * the most epochs, after the patience without a better RMSE, or when the time budget is used up
 * (see {@link TrainingBudget}).
 */
public final class TrafficTrainer {
    private final TrafficTrainingSource source;
    private final TrafficTrainingConfig config;

    /**
     * @param data speeds (rows = steps, oldest first; NaN = missing)
     * @param startEpochMillis the time of the first row
     * @param adjacency N x N non-negative weights in the matrix's column order, or null for none
     */
    public TrafficTrainer(
            SpeedMatrix data,
            long startEpochMillis,
            long stepSeconds,
            float[][] adjacency,
            TrafficTrainingConfig config) {
        this(
                new TrafficTrainingSource(
                        data, startEpochMillis, stepSeconds, adjacency, null, null),
                config);
    }

    private TrafficTrainer(TrafficTrainingSource source, TrafficTrainingConfig config) {
        this.source = source;
        this.config = config;
    }

    /**
     * The files the matrix and adjacency were read from (either may be null): model.json then
     * fingerprints the files (SHA-256) instead of the values, and names them in its description.
     */
    public TrafficTrainer withSourceFiles(Path dataFile, Path adjacencyFile) {
        TrafficTrainingSource s = source;
        return new TrafficTrainer(
                new TrafficTrainingSource(
                        s.data(),
                        s.startEpochMillis(),
                        s.stepSeconds(),
                        s.adjacency(),
                        dataFile,
                        adjacencyFile),
                config);
    }

    /**
     * Trains and writes {@code modelDir} (parameters of the best epoch + model.json).
     *
     * <p>With {@code config.threads() > 0} PyTorch's intra-op thread count is set for the run and
     * restored afterwards (it is per process).
     *
     * @throws AttnstreamException when the data is too short for a fit part and a validation tail,
     *     or the adjacency does not match the sensors
     */
    public TrainingResult train(
            Path modelDir, String name, String version, TrainingProgress progress) {
        long started = System.nanoTime();
        source.checkAdjacency();
        TrafficTrainingData data = TrafficTrainingData.split(source, config.windows());
        TrafficForecasterBlock block = block();
        DjlEngine.pytorch().setRandomSeed((int) config.seed()); // initial weights and dropout masks
        try (DjlEngine.Scope threads = DjlEngine.intraOpThreads(config.threads());
                Model model = Model.newInstance(name)) {
            model.setBlock(block);
            TrafficTrainingRun.Outcome outcome =
                    new TrafficTrainingRun(config, progress).run(model, data, started);
            TrainingProgress.EpochSummary best = outcome.best();
            double seconds = (System.nanoTime() - started) / 1e9;
            ModelSpec spec =
                    TrafficModels.spec(
                            name,
                            version,
                            block,
                            data.normalisation(),
                            source.data().sensorIds(),
                            source.stepSeconds(),
                            config.windows().zeroIsMissing(),
                            source.maxSpeed() * TrafficModels.MAX_SPEED_FACTOR,
                            source.trainingData(data.fitRows()),
                            metrics(data, outcome, seconds));
            Path dir = ModelStore.save(model, spec, modelDir);
            return new TrainingResult(
                    outcome.epochs().size(),
                    best.epoch(),
                    best.validationRmse(),
                    best.validationMae(),
                    best.lastValueRmse(),
                    seconds,
                    dir,
                    outcome.epochs());
        }
    }

    private TrafficForecasterBlock block() {
        TrafficTrainingConfig.Architecture architecture = config.architecture();
        return TrafficForecasterBlock.builder()
                .setSensors(source.data().sensors())
                .setInputSteps(config.windows().inputSteps())
                .setHorizon(config.windows().horizon())
                .optModelSize(architecture.modelSize())
                .optHeads(architecture.heads())
                .optTemporalLayers(architecture.temporalLayers())
                .optSpatialLayers(architecture.spatialLayers())
                .optDropout(architecture.dropout())
                .optAdjacency(source.adjacency())
                .build();
    }

    /** model.json's metrics: these names are read back by saved models' tools. */
    private static Map<String, Object> metrics(
            TrafficTrainingData data, TrafficTrainingRun.Outcome outcome, double seconds) {
        TrainingProgress.EpochSummary best = outcome.best();
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("validation_rmse_mph", round(best.validationRmse()));
        metrics.put("validation_mae_mph", round(best.validationMae()));
        metrics.put("validation_last_value_rmse_mph", round(best.lastValueRmse()));
        metrics.put("validation_windows", data.validation().size());
        metrics.put("validation_rows", data.validationRows());
        metrics.put("train_mae_normalised", round(best.trainMae()));
        metrics.put("best_epoch", best.epoch());
        metrics.put("epochs_run", outcome.epochs().size());
        metrics.put("training_seconds", round(seconds));
        return metrics;
    }

    private static double round(double value) {
        return Math.round(value * 1e4) / 1e4;
    }

    /**
     * The outcome of a training run.
     *
     * @param bestValidationRmse mph, of the epoch whose parameters were saved
     * @param lastValueRmse mph, the last-value baseline on the same validation targets
     * @param modelDir the model directory written
     * @param epochs every epoch's figures, in order
     */
    public record TrainingResult(
            int epochsRun,
            int bestEpoch,
            double bestValidationRmse,
            double bestValidationMae,
            double lastValueRmse,
            double seconds,
            Path modelDir,
            List<TrainingProgress.EpochSummary> epochs) {}
}
