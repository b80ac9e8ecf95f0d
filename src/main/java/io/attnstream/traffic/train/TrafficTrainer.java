package io.attnstream.traffic.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.attnstream.inference.DjlEngine;
import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.ModelStore;
import io.attnstream.platform.AttnstreamException;
import io.attnstream.traffic.data.SpeedMatrix;
import io.attnstream.traffic.model.TrafficForecasterBlock;
import io.attnstream.traffic.model.TrafficModels;
import io.attnstream.traffic.model.WindowEncoder;
import io.attnstream.training.EpochOrder;
import io.attnstream.training.Parameters;
import io.attnstream.training.ProgressListener;
import io.attnstream.training.RateControl;
import io.attnstream.training.TrainingBatch;
import io.attnstream.training.TrainingBudget;
import io.attnstream.training.TrainingLoop;
import io.attnstream.training.TrainingTask;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Trains the traffic forecaster on a speed matrix and writes its model directory.
 *
 * <p>The matrix's chronological tail (the validation fraction) is held out; the rest is the fit
 * part, which alone sets the normalisation. Each epoch trains on the fit part's windows in a seeded
 * shuffled order with a masked MAE in normalised units (measured better than MSE on Los-loop), then
 * scores the validation windows in mph (RMSE and MAE over all H steps of the observed targets) next
 * to the last-value baseline on the same targets. The epochs run on the shared {@link
 * TrainingLoop}: the parameters of the best validation RMSE are kept and saved, never those of a
 * worse final epoch; a batch with a non-finite loss or gradient is skipped; training stops after
 * {@code maxEpochs}, after {@code patience} epochs without a better RMSE, or when {@code
 * maxMinutes} are used up (see {@link TrainingBudget}).
 *
 * <p>Dimensions: B batch, T input steps, N sensors, H horizon.
 */
public final class TrafficTrainer {
    private final SpeedMatrix data;
    private final long startEpochMillis;
    private final long stepSeconds;
    private final float[][] adjacency;
    private final TrainingConfig config;
    private final Path dataFile;
    private final Path adjacencyFile;

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
            TrainingConfig config) {
        this(data, startEpochMillis, stepSeconds, adjacency, config, null, null);
    }

    private TrafficTrainer(
            SpeedMatrix data,
            long startEpochMillis,
            long stepSeconds,
            float[][] adjacency,
            TrainingConfig config,
            Path dataFile,
            Path adjacencyFile) {
        this.data = data;
        this.startEpochMillis = startEpochMillis;
        this.stepSeconds = stepSeconds;
        this.adjacency = adjacency;
        this.config = config;
        this.dataFile = dataFile;
        this.adjacencyFile = adjacencyFile;
    }

    /**
     * The files the matrix and adjacency were read from (either may be null): model.json then
     * fingerprints the files (SHA-256) instead of the values, and names them in its description.
     */
    public TrafficTrainer withSourceFiles(Path dataFile, Path adjacencyFile) {
        return new TrafficTrainer(
                data, startEpochMillis, stepSeconds, adjacency, config, dataFile, adjacencyFile);
    }

    /**
     * Trains and writes {@code modelDir} (parameters of the best epoch + model.json).
     *
     * <p>With {@code config.threads() > 0} PyTorch's intra-op thread count is set for the run and
     * restored afterwards (it is per process). One thread is the safe choice on a shared machine:
     * measured here with the other core busy, two threads made a step 10-20x slower (OpenMP threads
     * wait for a core), one thread 1.5x.
     *
     * @throws AttnstreamException when the data is too short for a fit part and a validation tail,
     *     or the adjacency does not match the sensors
     */
    public TrainingResult train(
            Path modelDir, String name, String version, TrainingProgress progress) {
        long started = System.nanoTime();
        int sensors = data.sensors();
        checkAdjacency(sensors);
        int validationRows = (int) Math.round(data.steps() * config.validationFraction());
        int fitRows = data.steps() - validationRows;
        int windowRows = config.inputSteps() + config.horizon();
        if (fitRows < windowRows || validationRows < windowRows) {
            throw new AttnstreamException(
                    source()
                            + " has "
                            + data.steps()
                            + " rows: with a validation tail of "
                            + validationRows
                            + " rows, both parts need at least T + H = "
                            + windowRows
                            + " rows");
        }
        SpeedMatrix fitPart = data.rows(0, fitRows);
        SpeedMatrix validationPart = data.rows(fitRows, data.steps());
        WindowEncoder.Normalisation normalisation;
        try {
            normalisation =
                    WindowEncoder.Normalisation.fit(fitPart.speeds(), config.zeroIsMissing());
        } catch (IllegalArgumentException e) {
            throw new AttnstreamException(source() + ": the fit part has no observed speed");
        }
        WindowEncoder encoder =
                new WindowEncoder(
                        normalisation,
                        config.inputSteps(),
                        sensors,
                        stepSeconds,
                        config.zeroIsMissing());
        TrafficWindows fit =
                new TrafficWindows(fitPart, startEpochMillis, encoder, config.horizon());
        TrafficWindows validation =
                new TrafficWindows(
                        validationPart,
                        startEpochMillis + fitRows * stepSeconds * 1000L,
                        encoder,
                        config.horizon());
        if (fit.size() == 0 || validation.size() == 0) {
            throw new AttnstreamException(
                    source()
                            + ": no window with an observed target in the "
                            + (fit.size() == 0 ? "fit part" : "validation tail"));
        }

        TrafficForecasterBlock block =
                TrafficForecasterBlock.builder()
                        .setSensors(sensors)
                        .setInputSteps(config.inputSteps())
                        .setHorizon(config.horizon())
                        .optModelSize(config.modelSize())
                        .optHeads(config.heads())
                        .optTemporalLayers(config.temporalLayers())
                        .optSpatialLayers(config.spatialLayers())
                        .optDropout(config.dropout())
                        .optAdjacency(adjacency)
                        .build();
        DjlEngine.pytorch().setRandomSeed((int) config.seed()); // initial weights and dropout masks
        try (DjlEngine.Scope threads = DjlEngine.intraOpThreads(config.threads());
                Model model = Model.newInstance(name)) {
            model.setBlock(block);
            Loop loop = new Loop(model, fit, validation, progress);
            Loop.Outcome outcome = loop.run(started);
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("validation_rmse_mph", round(outcome.best.validationRmse()));
            metrics.put("validation_mae_mph", round(outcome.best.validationMae()));
            metrics.put("validation_last_value_rmse_mph", round(outcome.best.lastValueRmse()));
            metrics.put("validation_windows", validation.size());
            metrics.put("validation_rows", validationRows);
            metrics.put("train_mae_normalised", round(outcome.best.trainMae()));
            metrics.put("best_epoch", outcome.best.epoch());
            metrics.put("epochs_run", outcome.epochs.size());
            double seconds = (System.nanoTime() - started) / 1e9;
            metrics.put("training_seconds", round(seconds));
            ModelSpec spec =
                    TrafficModels.spec(
                            name,
                            version,
                            block,
                            normalisation,
                            data.sensorIds(),
                            stepSeconds,
                            config.zeroIsMissing(),
                            maxSpeed() * TrafficModels.MAX_SPEED_FACTOR,
                            trainingData(fitRows),
                            metrics);
            Path dir = ModelStore.save(model, spec, modelDir);
            return new TrainingResult(
                    outcome.epochs.size(),
                    outcome.best.epoch(),
                    outcome.best.validationRmse(),
                    outcome.best.validationMae(),
                    outcome.best.lastValueRmse(),
                    seconds,
                    dir,
                    outcome.epochs);
        }
    }

    /**
     * The epochs of one training run on the shared loop: this model's batches, loss and validation.
     */
    private final class Loop {
        private final Model model;
        private final TrafficWindows fit;
        private final TrafficWindows validation;
        private final TrainingProgress progress;

        record Outcome(
                TrainingProgress.EpochSummary best, List<TrainingProgress.EpochSummary> epochs) {}

        Loop(
                Model model,
                TrafficWindows fit,
                TrafficWindows validation,
                TrainingProgress progress) {
            this.model = model;
            this.fit = fit;
            this.validation = validation;
            this.progress = progress;
        }

        Outcome run(long started) {
            DefaultTrainingConfig trainingConfig =
                    new DefaultTrainingConfig(new MaskedMae())
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(
                                                    Tracker.fixed(config.learningRate()))
                                            .optWeightDecays(config.weightDecay())
                                            // clipping keeps a rare exploding step from ruining the
                                            // run (training is not
                                            // bit-reproducible, so a run cannot simply be repeated)
                                            .optClipGrad(config.gradientClip())
                                            .build())
                            .optDevices(new Device[] {model.getNDManager().getDevice()});
            int batch = config.batchSize();
            int t = config.inputSteps();
            int n = data.sensors();
            TrainingLoop loop =
                    new TrainingLoop(
                            new TrainingBudget(
                                    config.maxEpochs(), config.patience(), 1, config.maxMinutes()),
                            RateControl.FIXED);
            try (Trainer trainer = model.newTrainer(trainingConfig)) {
                trainer.initialize(
                        new Shape(batch, t, n), new Shape(batch, t, n), new Shape(batch, t, 2));
                progress.started(
                        fit.size(), validation.size(), Parameters.trainableCount(model.getBlock()));
                ProgressListener<Validation, TrainingProgress.EpochSummary> listener =
                        new ProgressListener<>(
                                progress,
                                config.maxEpochs(),
                                e ->
                                        new TrainingProgress.EpochSummary(
                                                e.epoch(),
                                                config.maxEpochs(),
                                                e.trainLoss(),
                                                e.validation().rmse(),
                                                e.validation().mae(),
                                                e.validation().lastValueRmse(),
                                                e.seconds(),
                                                e.improved()));
                TrainingLoop.Outcome<Validation> outcome =
                        loop.run(
                                trainer,
                                new Windows(),
                                new Random(config.seed()),
                                started,
                                listener);
                return new Outcome(listener.summaryOf(outcome.best()), listener.summaries());
            }
        }

        /**
         * The fit part's windows in a shuffled order per epoch, the masked MAE weighted by observed
         * targets.
         */
        private final class Windows implements TrainingTask<Validation> {
            private final EpochOrder order = new EpochOrder(fit.size(), config.batchSize());

            @Override
            public int startEpoch(int epoch, Random random) {
                return order.shuffle(random);
            }

            @Override
            public TrainingBatch batch(NDManager manager, int index, Random random) {
                TrafficWindows.Batch step =
                        fit.batch(manager, order.order(), order.from(index), order.to(index));
                return new TrainingBatch(step.inputs(), step.labels(), step.observedTargets());
            }

            @Override
            public Validation validate(Trainer trainer) {
                return Loop.this.validate(trainer);
            }

            @Override
            public double score(Validation v) {
                return -v.rmse();
            }
        }

        /**
         * Inference-mode RMSE and MAE in mph over the validation windows, and the last value's on
         * the same targets.
         */
        private Validation validate(Trainer trainer) {
            int[] order = new int[validation.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            WindowEncoder.Normalisation normalisation = validation.encoder().normalisation();
            int t = config.inputSteps();
            int h = config.horizon();
            int n = data.sensors();
            Errors model = new Errors();
            Errors lastValue = new Errors();
            for (int from = 0; from < order.length; from += config.batchSize()) {
                int to = Math.min(order.length, from + config.batchSize());
                try (NDManager manager = trainer.getManager().newSubManager()) {
                    TrafficWindows.Batch batch = validation.batch(manager, order, from, to);
                    float[] z = trainer.evaluate(batch.inputs()).get(0).toFloatArray(); // (B, H, N)
                    float[] speeds = batch.encoded().speeds(); // (B, T, N)
                    for (int b = 0; b < batch.size(); b++) {
                        for (int step = 0; step < h; step++) {
                            for (int s = 0; s < n; s++) {
                                int k = (b * h + step) * n + s;
                                float truth = batch.targetMph()[k];
                                if (Float.isNaN(truth)) {
                                    continue;
                                }
                                model.add(normalisation.denormalise(z[k]) - truth);
                                float last =
                                        normalisation.denormalise(speeds[(b * t + t - 1) * n + s]);
                                lastValue.add(last - truth);
                            }
                        }
                    }
                }
            }
            return new Validation(model.rmse(), model.mae(), lastValue.rmse());
        }
    }

    private record Validation(double rmse, double mae, double lastValueRmse) {}

    /** Sums of forecast errors. */
    private static final class Errors {
        private double sumSq;
        private double sumAbs;
        private long count;

        void add(double error) {
            sumSq += error * error;
            sumAbs += Math.abs(error);
            count++;
        }

        double rmse() {
            return Math.sqrt(sumSq / count);
        }

        double mae() {
            return sumAbs / count;
        }
    }

    /**
     * Mean absolute error over the observed targets only: labels [target (B, H, N), mask (B, H,
     * N)], predictions [forecast (B, H, N), ...]. Normalised units, so every sensor weighs the
     * same.
     */
    static final class MaskedMae extends Loss {
        MaskedMae() {
            super("MaskedMAE");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray target = labels.get(0); // (B, H, N)
            NDArray mask = labels.get(1); // (B, H, N)
            NDArray errors = predictions.get(0).sub(target).abs().mul(mask); // (B, H, N)
            return errors.sum().div(mask.sum().maximum(1f)); // ()
        }
    }

    private void checkAdjacency(int sensors) {
        if (adjacency == null) {
            return;
        }
        String where = adjacencyFile != null ? adjacencyFile.toString() : "the adjacency";
        if (adjacency.length != sensors) {
            throw new AttnstreamException(
                    where
                            + " has "
                            + adjacency.length
                            + " rows, but "
                            + source()
                            + " has "
                            + sensors
                            + " sensors: it must be "
                            + sensors
                            + " x "
                            + sensors
                            + " in the speed data's column order");
        }
        for (int i = 0; i < sensors; i++) {
            if (adjacency[i].length != sensors) {
                throw new AttnstreamException(
                        where
                                + " row "
                                + (i + 1)
                                + " has "
                                + adjacency[i].length
                                + " values, expected "
                                + sensors);
            }
            for (float w : adjacency[i]) {
                if (!(w >= 0) || Float.isInfinite(w)) {
                    throw new AttnstreamException(
                            where
                                    + " row "
                                    + (i + 1)
                                    + " has the weight "
                                    + w
                                    + ": weights must be finite and non-negative");
                }
            }
        }
    }

    private double maxSpeed() {
        float max = 0;
        for (float[] row : data.speeds()) {
            for (float v : row) {
                if (!Float.isNaN(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        return max;
    }

    private Map<String, Object> trainingData(int fitRows) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(
                "fingerprint",
                dataFile != null
                        ? "sha256:" + ModelStore.sha256(dataFile)
                        : "values-sha256:" + valuesHash());
        if (adjacencyFile != null) {
            map.put("adjacency_fingerprint", "sha256:" + ModelStore.sha256(adjacencyFile));
        }
        map.put(
                "description",
                String.format(
                        Locale.ROOT,
                        "%s: %d sensors x %d rows of %d s from %s (UTC labels);"
                                + " fit rows [0, %d), validation rows [%d, %d); adjacency %s",
                        source(),
                        data.sensors(),
                        data.steps(),
                        stepSeconds,
                        Instant.ofEpochMilli(startEpochMillis),
                        fitRows,
                        fitRows,
                        data.steps(),
                        adjacency == null
                                ? "none"
                                : adjacencyFile != null
                                        ? adjacencyFile.getFileName().toString()
                                        : "given"));
        return map;
    }

    /**
     * SHA-256 of the sensor ids, the speeds and the adjacency, for data that did not come from a
     * file.
     */
    private String valuesHash() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(String.join(",", data.sensorIds()).getBytes(StandardCharsets.UTF_8));
            ByteBuffer buffer = ByteBuffer.allocate(4 * data.sensors());
            for (float[] row : data.speeds()) {
                buffer.clear();
                for (float v : row) {
                    buffer.putInt(Float.floatToIntBits(v)); // canonical NaN
                }
                digest.update(buffer.array(), 0, buffer.position());
            }
            if (adjacency != null) {
                for (float[] row : adjacency) {
                    ByteBuffer r = ByteBuffer.allocate(4 * row.length);
                    for (float v : row) {
                        r.putInt(Float.floatToIntBits(v));
                    }
                    digest.update(r.array());
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String source() {
        return dataFile != null ? dataFile.toString() : "the speed data";
    }

    private static double round(double value) {
        return Math.round(value * 1e4) / 1e4;
    }

    /**
     * What to train and for how long.
     *
     * @param maxEpochs upper bound on epochs
     * @param batchSize windows per step
     * @param learningRate Adam's
     * @param weightDecay Adam's (0 = none)
     * @param patience stop after this many epochs without a better validation RMSE
     * @param validationFraction the chronological tail held out for model selection, in (0, 1)
     * @param maxMinutes the run's time budget, validations included (0 = none); see {@link
     *     TrainingBudget}
     * @param seed initial weights, dropout and shuffling
     * @param gradientClip each gradient value is clipped to [-clip, clip]
     * @param zeroIsMissing whether a 0 speed means "no reading" in this data
     * @param threads PyTorch intra-op threads while training (0 = keep the engine's); see {@link
     *     TrafficTrainer#train}
     */
    public record TrainingConfig(
            int maxEpochs,
            int batchSize,
            float learningRate,
            float weightDecay,
            int patience,
            double validationFraction,
            double maxMinutes,
            long seed,
            int inputSteps,
            int horizon,
            int modelSize,
            int heads,
            int temporalLayers,
            int spatialLayers,
            float dropout,
            float gradientClip,
            boolean zeroIsMissing,
            int threads) {
        public TrainingConfig {
            if (maxEpochs < 1 || batchSize < 1 || patience < 1) {
                throw new IllegalArgumentException(
                        "max epochs, batch size and patience must be positive, got "
                                + maxEpochs
                                + ", "
                                + batchSize
                                + ", "
                                + patience);
            }
            if (!(learningRate > 0) || !(weightDecay >= 0) || !(gradientClip > 0)) {
                throw new IllegalArgumentException(
                        "learning rate and gradient clip must be positive and weight"
                                + " decay non-negative, got "
                                + learningRate
                                + ", "
                                + gradientClip
                                + ", "
                                + weightDecay);
            }
            if (!(validationFraction > 0 && validationFraction < 1)) {
                throw new IllegalArgumentException(
                        "validation fraction must be in (0, 1), got " + validationFraction);
            }
            if (!(maxMinutes >= 0)) {
                throw new IllegalArgumentException(
                        "max minutes must be >= 0 (0 = no limit), got " + maxMinutes);
            }
            if (threads < 0) {
                throw new IllegalArgumentException(
                        "threads must be >= 0 (0 = the engine's setting), got " + threads);
            }
        }

        /**
         * 50 epochs, batch 32, Adam 1e-3 without weight decay, patience 10, validation 10 %, no
         * time limit, seed 42, T = H = 12, D = 32, 2 heads, 1 temporal and 1 spatial layer, no
         * dropout, clip 1, 0 is missing, the engine's thread count.
         *
         * <p>No dropout, unlike the block's default of 0.1: on Los-loop (one thread, 3 minutes
         * each) dropout 0.1 made an epoch take 16 s instead of 9.5 s (random masks over every (B,
         * N, T, D) token, several times per layer) and reached a validation RMSE of x0.96 the last
         * value's against x0.88 without, also per epoch (7.58 against 7.32 mph after 12 epochs);
         * 3.5 M targets per epoch leave 21 k parameters little to overfit.
         */
        public static TrainingConfig defaults() {
            return new TrainingConfig(
                    50, 32, 1e-3f, 0f, 10, 0.1, 0, 42, 12, 12, 32, 2, 1, 1, 0f, 1f, true, 0);
        }

        public TrainingConfig withEpochs(int maxEpochs, int patience) {
            return new TrainingConfig(
                    maxEpochs,
                    batchSize,
                    learningRate,
                    weightDecay,
                    patience,
                    validationFraction,
                    maxMinutes,
                    seed,
                    inputSteps,
                    horizon,
                    modelSize,
                    heads,
                    temporalLayers,
                    spatialLayers,
                    dropout,
                    gradientClip,
                    zeroIsMissing,
                    threads);
        }

        public TrainingConfig withMaxMinutes(double maxMinutes) {
            return new TrainingConfig(
                    maxEpochs,
                    batchSize,
                    learningRate,
                    weightDecay,
                    patience,
                    validationFraction,
                    maxMinutes,
                    seed,
                    inputSteps,
                    horizon,
                    modelSize,
                    heads,
                    temporalLayers,
                    spatialLayers,
                    dropout,
                    gradientClip,
                    zeroIsMissing,
                    threads);
        }

        public TrainingConfig withOptimizer(
                int batchSize, float learningRate, float weightDecay, float gradientClip) {
            return new TrainingConfig(
                    maxEpochs,
                    batchSize,
                    learningRate,
                    weightDecay,
                    patience,
                    validationFraction,
                    maxMinutes,
                    seed,
                    inputSteps,
                    horizon,
                    modelSize,
                    heads,
                    temporalLayers,
                    spatialLayers,
                    dropout,
                    gradientClip,
                    zeroIsMissing,
                    threads);
        }

        public TrainingConfig withWindows(int inputSteps, int horizon, double validationFraction) {
            return new TrainingConfig(
                    maxEpochs,
                    batchSize,
                    learningRate,
                    weightDecay,
                    patience,
                    validationFraction,
                    maxMinutes,
                    seed,
                    inputSteps,
                    horizon,
                    modelSize,
                    heads,
                    temporalLayers,
                    spatialLayers,
                    dropout,
                    gradientClip,
                    zeroIsMissing,
                    threads);
        }

        public TrainingConfig withModel(
                int modelSize, int heads, int temporalLayers, int spatialLayers, float dropout) {
            return new TrainingConfig(
                    maxEpochs,
                    batchSize,
                    learningRate,
                    weightDecay,
                    patience,
                    validationFraction,
                    maxMinutes,
                    seed,
                    inputSteps,
                    horizon,
                    modelSize,
                    heads,
                    temporalLayers,
                    spatialLayers,
                    dropout,
                    gradientClip,
                    zeroIsMissing,
                    threads);
        }

        public TrainingConfig withSeed(long seed) {
            return new TrainingConfig(
                    maxEpochs,
                    batchSize,
                    learningRate,
                    weightDecay,
                    patience,
                    validationFraction,
                    maxMinutes,
                    seed,
                    inputSteps,
                    horizon,
                    modelSize,
                    heads,
                    temporalLayers,
                    spatialLayers,
                    dropout,
                    gradientClip,
                    zeroIsMissing,
                    threads);
        }

        public TrainingConfig withThreads(int threads) {
            return new TrainingConfig(
                    maxEpochs,
                    batchSize,
                    learningRate,
                    weightDecay,
                    patience,
                    validationFraction,
                    maxMinutes,
                    seed,
                    inputSteps,
                    horizon,
                    modelSize,
                    heads,
                    temporalLayers,
                    spatialLayers,
                    dropout,
                    gradientClip,
                    zeroIsMissing,
                    threads);
        }

        public TrainingConfig withZeroIsMissing(boolean zeroIsMissing) {
            return new TrainingConfig(
                    maxEpochs,
                    batchSize,
                    learningRate,
                    weightDecay,
                    patience,
                    validationFraction,
                    maxMinutes,
                    seed,
                    inputSteps,
                    horizon,
                    modelSize,
                    heads,
                    temporalLayers,
                    spatialLayers,
                    dropout,
                    gradientClip,
                    zeroIsMissing,
                    threads);
        }
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
