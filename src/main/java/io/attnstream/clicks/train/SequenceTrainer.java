package io.attnstream.clicks.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.PairList;
import io.attnstream.clicks.data.LeaveOneOut;
import io.attnstream.clicks.eval.MostPopular;
import io.attnstream.clicks.eval.RankingEvaluation;
import io.attnstream.clicks.eval.RankingMetrics;
import io.attnstream.clicks.model.SequenceLoss;
import io.attnstream.clicks.model.SequenceModels;
import io.attnstream.clicks.model.SequenceRecommenderBlock;
import io.attnstream.inference.DjlEngine;
import io.attnstream.inference.ModelStore;
import io.attnstream.nn.ScaledDotProductAttention;
import io.attnstream.platform.AttnstreamException;
import io.attnstream.training.EpochOrder;
import io.attnstream.training.Parameters;
import io.attnstream.training.PlateauRate;
import io.attnstream.training.ProgressListener;
import io.attnstream.training.RateControl;
import io.attnstream.training.TrainingBatch;
import io.attnstream.training.TrainingBudget;
import io.attnstream.training.TrainingLoop;
import io.attnstream.training.TrainingTask;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;

/**
 * Trains the self-attentive sequence recommender with the SASRec paper's recipe and writes its
 * model directory.
 *
 * <p>The data is split {@link LeaveOneOut}: each user's training part teaches next-item prediction
 * at every position (input items 1..n-1, targets 2..n), with binary cross-entropy on the dot
 * product of the encoder's hidden state with the target item's embedding (label 1) and with {@code
 * negatives} sampled items' embeddings (label 0). Negatives are drawn uniformly from the items
 * outside the user's training part, as in the paper's code: the validation and test items are not
 * consulted, so training never looks at held-out data. The loss counts non-padding positions only.
 *
 * <p>After each epoch (or every {@code validateEvery}), the validation items are ranked with the
 * training parts as histories, sampled-100 with a fixed seed; the parameters of the best NDCG@10
 * are kept and saved. The epochs run on the shared {@link TrainingLoop} (non-finite batches
 * skipped, budgets as {@link TrainingBudget} says): training stops after {@code maxEpochs}, after
 * {@code patience} epochs without a better NDCG@10, or when {@code maxMinutes} are used up. A later
 * test prediction feeds training + validation items, as in the paper.
 *
 * <p>Batches are random users, as in the paper, left-padded to their longest sequence (at most L):
 * the block aligns positions to the right, so this computes what padding to L would, a little
 * cheaper. Sorting users by length would make most batches far shorter (amazon-games: ~6 training
 * positions on average) but homogeneous, and a per-batch mean then weighs a short user's position
 * far more than a long user's; measured there, sorted batches learned more slowly per epoch
 * (validation HR@10 0.41 against 0.48 after 4 epochs), so they are not used.
 *
 * <p>Dimensions: B batch, T positions (at most L), K negatives per position, D model size, V
 * vocabulary.
 */
public final class SequenceTrainer {
    private final Map<String, List<String>> sequences;
    private final TrainingConfig config;
    private final Path dataFile;

    /**
     * @param sequences user -> item ids in time order
     */
    public SequenceTrainer(Map<String, List<String>> sequences, TrainingConfig config) {
        this(sequences, config, null);
    }

    private SequenceTrainer(
            Map<String, List<String>> sequences, TrainingConfig config, Path dataFile) {
        this.sequences = sequences;
        this.config = config;
        this.dataFile = dataFile;
    }

    /**
     * The file the sequences were read from: model.json then fingerprints the file (SHA-256) and
     * names it.
     */
    public SequenceTrainer withSourceFile(Path dataFile) {
        return new SequenceTrainer(sequences, config, dataFile);
    }

    /**
     * Trains and writes {@code modelDir} (parameters of the best epoch + model.json with the
     * vocabulary, the validation metrics and the training data's fingerprint).
     *
     * <p>With {@code config.threads() > 0} PyTorch's intra-op thread count is set for the run and
     * restored afterwards (it is per process); one thread is the safe choice on a shared 2-core
     * machine.
     *
     * @throws AttnstreamException when no user has two training items or none has a validation item
     */
    public TrainingResult train(
            Path modelDir, String name, String version, SequenceTrainingProgress progress) {
        long started = System.nanoTime();
        LeaveOneOut split = LeaveOneOut.split(sequences);
        TrainingData data = new TrainingData(split, config.maxLength());
        List<RankingEvaluation.Case> validation = new ArrayList<>();
        for (int u = 0; u < split.userCount(); u++) {
            if (split.validation()[u] != 0) {
                validation.add(
                        new RankingEvaluation.Case(
                                split.validationHistory(u),
                                split.validation()[u],
                                split.itemsOf(u)));
            }
        }
        if (validation.size() > config.validationUsers()) {
            // a fixed random subset, as the paper's code does above 10,000 users: validation every
            // epoch then
            // costs a fraction of an epoch, and the same users are scored every time
            Collections.shuffle(validation, new Random(config.validationSeed()));
            validation = new ArrayList<>(validation.subList(0, config.validationUsers()));
        }
        if (data.users.length == 0 || validation.isEmpty()) {
            throw new AttnstreamException(
                    source()
                            + ": no user has "
                            + (data.users.length == 0
                                    ? "two training items"
                                    : "a validation item (3 or more items)")
                            + ", nothing to train on");
        }
        int vocabularySize = split.vocabulary().size();
        MostPopular popular = MostPopular.fit(split.train(), vocabularySize);

        SequenceRecommenderBlock block =
                SequenceRecommenderBlock.builder()
                        .setVocabularySize(vocabularySize)
                        .setMaxLength(config.maxLength())
                        .setModelSize(config.modelSize())
                        .setHeads(config.heads())
                        .setLayers(config.layers())
                        .optDropout(config.dropout())
                        .build();
        DjlEngine.pytorch().setRandomSeed((int) config.seed()); // initial weights and dropout masks
        try (DjlEngine.Scope threads = DjlEngine.intraOpThreads(config.threads());
                Model model = Model.newInstance(name)) {
            model.setBlock(new Objective(block));
            Loop loop = new Loop(model, block, data, validation, popular, vocabularySize, progress);
            Loop.Outcome outcome = loop.run(started);
            double seconds = (System.nanoTime() - started) / 1e9;
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("validation_protocol", RankingEvaluation.Protocol.SAMPLED_100.label());
            metrics.put("validation_hr@10", outcome.bestMetrics.hr10());
            metrics.put("validation_ndcg@10", outcome.bestMetrics.ndcg10());
            metrics.put("validation_most_popular_hr@10", outcome.popularMetrics.hr10());
            metrics.put("validation_most_popular_ndcg@10", outcome.popularMetrics.ndcg10());
            metrics.put("validation_users", validation.size());
            metrics.put("best_epoch", outcome.best.epoch());
            metrics.put("epochs_run", outcome.epochs.size());
            metrics.put("skipped_batches", outcome.skippedBatches);
            metrics.put("training_seconds", Math.round(seconds * 10) / 10.0);
            // the saved model is the recommender alone, so ModelStore and the streaming translator
            // load it as is
            Path dir;
            try (Model saved = Model.newInstance(name)) {
                saved.setBlock(block);
                dir =
                        ModelStore.save(
                                saved,
                                SequenceModels.spec(
                                        name,
                                        version,
                                        block,
                                        split.vocabulary(),
                                        trainingData(split),
                                        metrics),
                                modelDir);
            }
            return new TrainingResult(
                    outcome.epochs.size(),
                    outcome.best.epoch(),
                    outcome.bestMetrics,
                    outcome.popularMetrics,
                    seconds,
                    dir,
                    outcome.skippedBatches,
                    outcome.epochs);
        }
    }

    /**
     * Per user with at least two training items: the items and their sorted set (for negative
     * sampling).
     */
    private static final class TrainingData {
        final int[][] users; // training items, time order
        final int[][] sortedItems; // the same, sorted and distinct
        final int vocabularySize;
        final long positions; // training positions, each user's (length - 1) capped at L

        TrainingData(LeaveOneOut split, int maxLength) {
            List<int[]> seqs = new ArrayList<>();
            for (int[] t : split.train()) {
                if (t.length >= 2) {
                    seqs.add(t);
                }
            }
            users = seqs.toArray(int[][]::new);
            sortedItems = new int[users.length][];
            for (int u = 0; u < users.length; u++) {
                sortedItems[u] = Arrays.stream(users[u]).distinct().sorted().toArray();
            }
            vocabularySize = split.vocabulary().size();
            long p = 0;
            for (int[] u : users) {
                p += Math.min(u.length - 1, maxLength);
            }
            positions = p;
        }
    }

    /**
     * The epochs of one training run, with its trainer open; keeps the best parameters in memory.
     */
    private final class Loop {
        private final Model model;
        private final SequenceRecommenderBlock block;
        private final TrainingData data;
        private final List<RankingEvaluation.Case> validation;
        private final MostPopular popular;
        private final int vocabularySize;
        private final SequenceTrainingProgress progress;

        record Outcome(
                SequenceTrainingProgress.EpochSummary best,
                RankingMetrics bestMetrics,
                RankingMetrics popularMetrics,
                List<SequenceTrainingProgress.EpochSummary> epochs,
                int skippedBatches) {}

        Loop(
                Model model,
                SequenceRecommenderBlock block,
                TrainingData data,
                List<RankingEvaluation.Case> validation,
                MostPopular popular,
                int vocabularySize,
                SequenceTrainingProgress progress) {
            this.model = model;
            this.block = block;
            this.data = data;
            this.validation = validation;
            this.popular = popular;
            this.vocabularySize = vocabularySize;
            this.progress = progress;
        }

        Outcome run(long started) {
            Loss objective =
                    config.loss() == SequenceLoss.BCE ? new SampledBce() : new SampledSoftmax();
            // halved on a validation plateau, down to 1/64 of the start: a long run's last epochs
            // then fine-tune
            // instead of bouncing around the best parameters at the full rate
            PlateauRate rate =
                    new PlateauRate(
                            config.learningRate(),
                            config.rateDecayPatience(),
                            0.5f,
                            config.learningRate() / 64);
            DefaultTrainingConfig trainingConfig =
                    new DefaultTrainingConfig(objective)
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(rate)
                                            // clipping keeps a rare exploding step from ruining the
                                            // run (training is not
                                            // bit-reproducible, so a run cannot simply be repeated)
                                            .optClipGrad(config.gradientClip())
                                            .build())
                            .optDevices(new Device[] {model.getNDManager().getDevice()});
            TrainingLoop loop =
                    new TrainingLoop(
                            new TrainingBudget(
                                    config.maxEpochs(),
                                    config.patience(),
                                    config.validateEvery(),
                                    config.maxMinutes()),
                            new RateControl() {
                                @Override
                                public void validated(int epoch, boolean improved) {
                                    if (rate.validated(improved)) {
                                        progress.rateCut(epoch, rate.rate());
                                    }
                                }
                            });
            try (Trainer trainer = model.newTrainer(trainingConfig)) {
                trainer.initialize(new Shape(config.batchSize(), config.maxLength()));
                progress.started(
                        data.users.length, validation.size(), Parameters.trainableCount(block));
                Users users = new Users();
                // an epoch between validations (validate-every) has no figures: NaN
                ProgressListener<RankingEvaluation.Result, SequenceTrainingProgress.EpochSummary>
                        listener =
                                new ProgressListener<>(
                                        progress,
                                        config.maxEpochs(),
                                        e ->
                                                new SequenceTrainingProgress.EpochSummary(
                                                        e.epoch(),
                                                        config.maxEpochs(),
                                                        e.trainLoss(),
                                                        e.validation() == null
                                                                ? Double.NaN
                                                                : e.validation().model().hr10(),
                                                        e.validation() == null
                                                                ? Double.NaN
                                                                : e.validation().model().ndcg10(),
                                                        e.seconds(),
                                                        e.improved()));
                TrainingLoop.Outcome<RankingEvaluation.Result> outcome =
                        loop.run(trainer, users, new Random(config.seed()), started, listener);
                return new Outcome(
                        listener.summaryOf(outcome.best()),
                        outcome.best().validation().model(),
                        users.popularMetrics,
                        listener.summaries(),
                        outcome.skippedBatches());
            }
        }

        /**
         * The users in a random order per epoch, their next-item steps, NDCG@10 on the validation
         * users.
         */
        private final class Users implements TrainingTask<RankingEvaluation.Result> {
            private final EpochOrder order = new EpochOrder(data.users.length, config.batchSize());
            private RankingMetrics popularMetrics;

            @Override
            public int startEpoch(int epoch, Random random) {
                return order.shuffle(random);
            }

            @Override
            public TrainingBatch batch(NDManager manager, int index, Random random) {
                int[] users = Arrays.copyOfRange(order.order(), order.from(index), order.to(index));
                Step step = step(manager, users, config.negatives(), random);
                return new TrainingBatch(step.inputs, step.labels, step.positions);
            }

            @Override
            public RankingEvaluation.Result validate(Trainer trainer) {
                // the most-popular baseline is scored once, with the first validation
                RankingEvaluation.Result scores =
                        RankingEvaluation.evaluate(
                                validation,
                                RankingEvaluation.Protocol.SAMPLED_100,
                                trainer::evaluate,
                                trainer.getManager(),
                                config.maxLength(),
                                vocabularySize,
                                popularMetrics == null ? popular : null,
                                config.validationSeed());
                if (popularMetrics == null) {
                    popularMetrics = scores.mostPopular();
                }
                return scores;
            }

            @Override
            public double score(RankingEvaluation.Result scores) {
                return scores.model().ndcg10();
            }
        }

        /**
         * Inputs, positives and negatives of a batch, left-padded to its longest sequence (at most
         * L): negatives (B, T, K) per position outside each user's items for BCE, (K) uniform and
         * shared for sampled softmax.
         */
        private Step step(NDManager manager, int[] users, int k, Random random) {
            int t = 1;
            for (int u : users) {
                t = Math.max(t, Math.min(data.users[u].length - 1, config.maxLength()));
            }
            int b = users.length;
            long[] inputs = new long[b * t];
            long[] positives = new long[b * t];
            boolean shared = config.loss() == SequenceLoss.SAMPLED_SOFTMAX;
            long[] negatives = new long[shared ? k : b * t * k];
            if (shared) {
                for (int j = 0; j < k; j++) {
                    negatives[j] = 1 + random.nextInt(data.vocabularySize);
                }
            }
            int positions = 0;
            for (int r = 0; r < b; r++) {
                int[] seq = data.users[users[r]];
                int[] exclude = data.sortedItems[users[r]];
                int n = Math.min(seq.length - 1, t); // positions used
                int offset = seq.length - 1 - n; // first input index
                for (int i = 0; i < n; i++) {
                    int col = t - n + i; // left padding
                    inputs[r * t + col] = seq[offset + i];
                    positives[r * t + col] = seq[offset + i + 1];
                    for (int j = 0; j < k && !shared; j++) {
                        negatives[(r * t + col) * k + j] = negative(exclude, random);
                    }
                }
                positions += n;
            }
            NDArray in = manager.create(inputs, new Shape(b, t)); // (B, T)
            NDArray pos = manager.create(positives, new Shape(b, t)); // (B, T)
            NDArray neg =
                    manager.create(
                            negatives,
                            shared ? new Shape(k) : new Shape(b, t, k)); // (K) or (B, T, K)
            return new Step(new NDList(in, pos, neg), new NDList(pos), positions);
        }

        /**
         * A uniform item outside the user's training items (rejection sampling; users touch few
         * items).
         */
        private int negative(int[] sortedExclude, Random random) {
            if (sortedExclude.length >= data.vocabularySize) {
                return 1
                        + random.nextInt(
                                data.vocabularySize); // cannot happen with real data; avoid looping
            }
            while (true) {
                int item = 1 + random.nextInt(data.vocabularySize);
                if (Arrays.binarySearch(sortedExclude, item) < 0) {
                    return item;
                }
            }
        }
    }

    /**
     * @param positions non-padding positions, the loss's denominator
     */
    private record Step(NDList inputs, NDList labels, int positions) {}

    /**
     * The training view of the recommender. With [items (B, T), positives (B, T), negatives (B, T,
     * K)] it returns the logits [positive (B, T), negative (B, T, K)] from {@link
     * SequenceRecommenderBlock#encode} hidden states; with [items] alone it is the recommender
     * (scores, attention), which validation uses. It has no parameters of its own, so the
     * recommender alone is saved.
     */
    static final class Objective extends AbstractBlock {
        private final SequenceRecommenderBlock recommender;

        Objective(SequenceRecommenderBlock recommender) {
            this.recommender = addChildBlock("recommender", recommender);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps,
                NDList inputs,
                boolean training,
                PairList<String, Object> params) {
            if (inputs.size() == 1) {
                return recommender.forward(ps, inputs, training, params);
            }
            NDArray hidden = recommender.encode(ps, inputs.get(0), training).get(0); // (B, T, D)
            NDArray positives = inputs.get(1); // (B, T)
            NDArray positive = recommender.itemEmbeddings(ps, positives); // (B, T, D)
            NDArray positiveLogits = hidden.mul(positive).sum(new int[] {-1}); // (B, T)
            NDArray negatives = inputs.get(2); // (K) shared, or (B, T, K) per position
            NDArray negative = recommender.itemEmbeddings(ps, negatives); // (K, D) or (B, T, K, D)
            if (negatives.getShape().dimension() == 1) {
                NDArray logits =
                        hidden.matMul(negative.transpose()); // (B, T, D) x (D, K) = (B, T, K)
                // a shared negative that is a position's own target is not a negative there
                NDArray hit = positives.expandDims(-1).eq(negatives.reshape(1, 1, -1)); // (B, T, K)
                NDArray negativeLogits =
                        logits.add(
                                hit.toType(DataType.FLOAT32, false)
                                        .mul(ScaledDotProductAttention.MASKED)); // (B, T, K)
                return new NDList(positiveLogits, negativeLogits);
            }
            NDArray negativeLogits =
                    hidden.expandDims(2).mul(negative).sum(new int[] {-1}); // (B, T, K)
            return new NDList(positiveLogits, negativeLogits);
        }

        @Override
        protected void initializeChildBlocks(
                NDManager manager, DataType dataType, Shape... inputShapes) {
            recommender.initialize(manager, dataType, inputShapes[0]);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            if (inputShapes.length == 1) {
                return recommender.getOutputShapes(inputShapes);
            }
            return new Shape[] {inputShapes[1], inputShapes[2]};
        }
    }

    /**
     * Binary cross-entropy with logits over non-padding positions: labels [positives (B, T)] (0 =
     * padding), predictions [positive logits (B, T), negative logits (B, T, K)]; the mean over the
     * batch's positions of -log sigmoid(pos) - sum_k log sigmoid(-neg_k), the paper's loss for K =
     * 1.
     */
    static final class SampledBce extends Loss {
        SampledBce() {
            super("SampledBCE");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray mask = labels.get(0).neq(0).toType(DataType.FLOAT32, false); // (B, T)
            NDArray positive = softplus(predictions.get(0).neg()); // (B, T): -log sigmoid(pos)
            NDArray negative =
                    softplus(predictions.get(1))
                            .sum(new int[] {-1}); // (B, T): -sum log sigmoid(-neg)
            return positive.add(negative).mul(mask).sum().div(mask.sum().maximum(1f)); // ()
        }

        /** log(1 + e^x) without overflow: max(x, 0) + log(1 + e^-|x|). */
        private static NDArray softplus(NDArray x) {
            return x.maximum(0f).add(x.abs().neg().exp().add(1f).log());
        }
    }

    /**
     * Sampled softmax cross-entropy over non-padding positions: labels [positives (B, T)] (0 =
     * padding), predictions [positive logits (B, T), negative logits (B, T, K)]; the mean over the
     * batch's positions of -log softmax([pos, neg_1..neg_K])[0].
     */
    static final class SampledSoftmax extends Loss {
        SampledSoftmax() {
            super("SampledSoftmax");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray mask = labels.get(0).neq(0).toType(DataType.FLOAT32, false); // (B, T)
            NDArray logits =
                    predictions.get(0).expandDims(-1).concat(predictions.get(1), -1); // (B, T, 1+K)
            NDArray nll = logits.logSoftmax(-1).get("..., 0").neg(); // (B, T)
            return nll.mul(mask).sum().div(mask.sum().maximum(1f)); // ()
        }
    }

    private String source() {
        return dataFile != null ? dataFile.toString() : "the sequences";
    }

    private Map<String, Object> trainingData(LeaveOneOut split) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(
                "fingerprint",
                dataFile != null
                        ? "sha256:" + ModelStore.sha256(dataFile)
                        : "values-sha256:" + valuesHash());
        map.put(
                "description",
                (dataFile != null ? dataFile.getFileName() + ": " : "")
                        + "leave-one-out training parts (last item test, second to last"
                        + " validation)");
        map.put("users", split.userCount());
        map.put("items", split.vocabulary().size());
        map.put("config", config.toMap());
        return map;
    }

    /**
     * SHA-256 over the users and items in sorted user order, for sequences that did not come from a
     * file.
     */
    private String valuesHash() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(sequences)
                    .forEach(
                            (user, items) -> {
                                digest.update(user.getBytes(StandardCharsets.UTF_8));
                                digest.update((byte) '\n');
                                for (String item : items) {
                                    digest.update(item.getBytes(StandardCharsets.UTF_8));
                                    digest.update((byte) ' ');
                                }
                                digest.update((byte) '\n');
                            });
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * How to train.
     *
     * @param validateEvery validate after every n-th epoch (and the last); patience counts epochs
     * @param validationUsers validate on at most this many users (a fixed random subset if there
     *     are more)
     * @param validationSeed seed of the validation's sampled negatives, fixed so epochs compare
     *     fairly
     * @param negatives K, sampled negatives per position (1 in the paper)
     * @param maxMinutes the run's time budget, validations included (0 = none); see {@link
     *     TrainingBudget}
     * @param threads PyTorch intra-op threads for the run; 0 = the engine's setting
     */
    public record TrainingConfig(
            int maxEpochs,
            int batchSize,
            float learningRate,
            int patience,
            int validateEvery,
            int validationUsers,
            double maxMinutes,
            long seed,
            long validationSeed,
            int maxLength,
            int modelSize,
            int heads,
            int layers,
            float dropout,
            int negatives,
            SequenceLoss loss,
            float gradientClip,
            int threads,
            int rateDecayPatience) {
        public TrainingConfig {
            Objects.requireNonNull(loss, "loss");
            if (maxEpochs < 1
                    || batchSize < 1
                    || patience < 1
                    || validateEvery < 1
                    || validationUsers < 1
                    || negatives < 1) {
                throw new IllegalArgumentException(
                        "epochs, batch size, patience, validate-every, validation users"
                                + " and negatives must be >= 1, got "
                                + maxEpochs
                                + ", "
                                + batchSize
                                + ", "
                                + patience
                                + ", "
                                + validateEvery
                                + ", "
                                + validationUsers
                                + ", "
                                + negatives);
            }
            if (!(learningRate > 0) || !(gradientClip > 0)) {
                throw new IllegalArgumentException(
                        "learning rate and gradient clip must be positive, got "
                                + learningRate
                                + ", "
                                + gradientClip);
            }
            if (!(maxMinutes >= 0)) {
                throw new IllegalArgumentException(
                        "max minutes must be >= 0 (0 = no limit), got " + maxMinutes);
            }
            if (rateDecayPatience < 0) {
                throw new IllegalArgumentException(
                        "rate decay patience must be >= 0 (0 = fixed rate), got "
                                + rateDecayPatience);
            }
            if (threads < 0) {
                throw new IllegalArgumentException(
                        "threads must be >= 0 (0 = the engine's setting), got " + threads);
            }
        }

        /**
         * The paper's recipe for sparse data: d = 50, L = 50, 2 blocks, 1 head, dropout 0.5, one
         * negative per position, Adam 1e-3, batch 128; 200 epochs at most, validation every epoch
         * on at most 10,000 users (as the paper's code), patience 20, clip 5, seed 42, validation
         * seed 42, the engine's thread count.
         */
        public static TrainingConfig defaults() {
            return new TrainingConfig(
                    200,
                    128,
                    1e-3f,
                    20,
                    1,
                    10_000,
                    0,
                    42,
                    RankingEvaluation.DEFAULT_SEED,
                    50,
                    50,
                    1,
                    2,
                    0.5f,
                    1,
                    SequenceLoss.BCE,
                    5f,
                    0,
                    0);
        }

        public TrainingConfig withEpochs(int maxEpochs, int patience, int validateEvery) {
            return new TrainingConfig(
                    maxEpochs,
                    batchSize,
                    learningRate,
                    patience,
                    validateEvery,
                    validationUsers,
                    maxMinutes,
                    seed,
                    validationSeed,
                    maxLength,
                    modelSize,
                    heads,
                    layers,
                    dropout,
                    negatives,
                    loss,
                    gradientClip,
                    threads,
                    rateDecayPatience);
        }

        public TrainingConfig withValidationUsers(int validationUsers) {
            return new TrainingConfig(
                    maxEpochs,
                    batchSize,
                    learningRate,
                    patience,
                    validateEvery,
                    validationUsers,
                    maxMinutes,
                    seed,
                    validationSeed,
                    maxLength,
                    modelSize,
                    heads,
                    layers,
                    dropout,
                    negatives,
                    loss,
                    gradientClip,
                    threads,
                    rateDecayPatience);
        }

        public TrainingConfig withMaxMinutes(double maxMinutes) {
            return new TrainingConfig(
                    maxEpochs,
                    batchSize,
                    learningRate,
                    patience,
                    validateEvery,
                    validationUsers,
                    maxMinutes,
                    seed,
                    validationSeed,
                    maxLength,
                    modelSize,
                    heads,
                    layers,
                    dropout,
                    negatives,
                    loss,
                    gradientClip,
                    threads,
                    rateDecayPatience);
        }

        public TrainingConfig withOptimizer(
                int batchSize, float learningRate, int negatives, float gradientClip) {
            return new TrainingConfig(
                    maxEpochs,
                    batchSize,
                    learningRate,
                    patience,
                    validateEvery,
                    validationUsers,
                    maxMinutes,
                    seed,
                    validationSeed,
                    maxLength,
                    modelSize,
                    heads,
                    layers,
                    dropout,
                    negatives,
                    loss,
                    gradientClip,
                    threads,
                    rateDecayPatience);
        }

        public TrainingConfig withModel(
                int maxLength, int modelSize, int heads, int layers, float dropout) {
            return new TrainingConfig(
                    maxEpochs,
                    batchSize,
                    learningRate,
                    patience,
                    validateEvery,
                    validationUsers,
                    maxMinutes,
                    seed,
                    validationSeed,
                    maxLength,
                    modelSize,
                    heads,
                    layers,
                    dropout,
                    negatives,
                    loss,
                    gradientClip,
                    threads,
                    rateDecayPatience);
        }

        public TrainingConfig withSeeds(long seed, long validationSeed) {
            return new TrainingConfig(
                    maxEpochs,
                    batchSize,
                    learningRate,
                    patience,
                    validateEvery,
                    validationUsers,
                    maxMinutes,
                    seed,
                    validationSeed,
                    maxLength,
                    modelSize,
                    heads,
                    layers,
                    dropout,
                    negatives,
                    loss,
                    gradientClip,
                    threads,
                    rateDecayPatience);
        }

        /**
         * The training objective and its negatives: per position for BCE, per batch for sampled
         * softmax.
         */
        public TrainingConfig withLoss(SequenceLoss loss, int negatives) {
            return new TrainingConfig(
                    maxEpochs,
                    batchSize,
                    learningRate,
                    patience,
                    validateEvery,
                    validationUsers,
                    maxMinutes,
                    seed,
                    validationSeed,
                    maxLength,
                    modelSize,
                    heads,
                    layers,
                    dropout,
                    negatives,
                    loss,
                    gradientClip,
                    threads,
                    rateDecayPatience);
        }

        /**
         * Halve the learning rate after this many validations without a better NDCG@10 (0 = fixed
         * rate).
         */
        public TrainingConfig withRateDecay(int rateDecayPatience) {
            return new TrainingConfig(
                    maxEpochs,
                    batchSize,
                    learningRate,
                    patience,
                    validateEvery,
                    validationUsers,
                    maxMinutes,
                    seed,
                    validationSeed,
                    maxLength,
                    modelSize,
                    heads,
                    layers,
                    dropout,
                    negatives,
                    loss,
                    gradientClip,
                    threads,
                    rateDecayPatience);
        }

        public TrainingConfig withThreads(int threads) {
            return new TrainingConfig(
                    maxEpochs,
                    batchSize,
                    learningRate,
                    patience,
                    validateEvery,
                    validationUsers,
                    maxMinutes,
                    seed,
                    validationSeed,
                    maxLength,
                    modelSize,
                    heads,
                    layers,
                    dropout,
                    negatives,
                    loss,
                    gradientClip,
                    threads,
                    rateDecayPatience);
        }

        /** For model.json. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("max_epochs", maxEpochs);
            m.put("batch_size", batchSize);
            m.put("learning_rate", learningRate);
            m.put("patience", patience);
            m.put("validate_every", validateEvery);
            m.put("validation_users", validationUsers);
            m.put("max_minutes", maxMinutes);
            m.put("seed", seed);
            m.put("validation_seed", validationSeed);
            m.put("negatives", negatives);
            m.put("loss", loss.label());
            m.put("gradient_clip", gradientClip);
            m.put("rate_decay_patience", rateDecayPatience);
            return m;
        }
    }

    /**
     * The outcome of a training run.
     *
     * @param bestValidation sampled-100 metrics on the validation items of the epoch whose
     *     parameters were saved
     * @param mostPopularValidation the most-popular baseline on the same candidates
     * @param modelDir the model directory written
     * @param skippedBatches batches skipped for a non-finite loss or gradient
     * @param epochs every epoch's figures, in order
     */
    public record TrainingResult(
            int epochsRun,
            int bestEpoch,
            RankingMetrics bestValidation,
            RankingMetrics mostPopularValidation,
            double seconds,
            Path modelDir,
            int skippedBatches,
            List<SequenceTrainingProgress.EpochSummary> epochs) {}
}
