package io.attnstream.clicks.train;

import ai.djl.Model;
import io.attnstream.clicks.data.LeaveOneOut;
import io.attnstream.clicks.eval.MostPopular;
import io.attnstream.clicks.eval.RankingEvaluation;
import io.attnstream.clicks.eval.RankingMetrics;
import io.attnstream.clicks.model.SequenceLoss;
import io.attnstream.clicks.model.SequenceObjective;
import io.attnstream.clicks.model.SequenceRecommenderBlock;
import io.attnstream.inference.DjlEngine;
import io.attnstream.platform.AttnstreamException;
import io.attnstream.training.TrainingBudget;
import io.attnstream.training.TrainingLoop;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains the self-attentive sequence recommender after the SASRec paper and writes its model
 * directory; the parts are {@link SequenceTrainingTask} (batches, validation), {@link
 * SequenceTrainingRun} (optimizer and the shared loop) and {@link SequenceModelWriter}.
 *
 * <p>The data is split {@link LeaveOneOut}: each user's training part teaches next-item prediction
 * at every position (input items 1..n-1, targets 2..n), on the dot product of the encoder's hidden
 * state with the target item's embedding and with sampled items' embeddings, through the configured
 * {@link SequenceLoss} (the paper's BCE, or the default sampled softmax). BCE's negatives are drawn
 * uniformly from the items outside the user's training part, as in the paper's code: the validation
 * and test items are not consulted, so training never looks at held-out data. The loss counts
 * non-padding positions only.
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
 */
public final class SequenceTrainer {
    private final Map<String, List<String>> sequences;
    private final SequenceTrainingConfig config;
    private final Path dataFile;

    /**
     * @param sequences user -> item ids in time order
     */
    public SequenceTrainer(Map<String, List<String>> sequences, SequenceTrainingConfig config) {
        this(sequences, config, null);
    }

    private SequenceTrainer(
            Map<String, List<String>> sequences, SequenceTrainingConfig config, Path dataFile) {
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
        NextItemExamples data = new NextItemExamples(split);
        List<RankingEvaluation.Case> validation = validationCases(split);
        if (data.users.length == 0 || validation.isEmpty()) {
            throw new AttnstreamException(
                    (dataFile != null ? dataFile.toString() : "the sequences")
                            + ": no user has "
                            + (data.users.length == 0
                                    ? "two training items"
                                    : "a validation item (3 or more items)")
                            + ", nothing to train on");
        }
        int vocabularySize = split.vocabulary().size();
        MostPopular popular = MostPopular.fit(split.train(), vocabularySize);
        SequenceTrainingConfig.Architecture architecture = config.architecture();
        SequenceRecommenderBlock block =
                SequenceRecommenderBlock.builder()
                        .setVocabularySize(vocabularySize)
                        .setMaxLength(architecture.maxLength())
                        .setModelSize(architecture.modelSize())
                        .setHeads(architecture.heads())
                        .setLayers(architecture.layers())
                        .optDropout(architecture.dropout())
                        .build();
        DjlEngine.pytorch().setRandomSeed((int) config.seed()); // initial weights and dropout masks
        try (DjlEngine.Scope threads = DjlEngine.intraOpThreads(config.threads());
                Model model = Model.newInstance(name)) {
            model.setBlock(new SequenceObjective(block));
            SequenceTrainingTask task = new SequenceTrainingTask(data, validation, popular, config);
            SequenceTrainingRun.Outcome outcome =
                    new SequenceTrainingRun(config, progress)
                            .run(model, task, data.users.length, validation.size(), started);
            double seconds = (System.nanoTime() - started) / 1e9;
            Path dir =
                    new SequenceModelWriter(sequences, dataFile, config)
                            .write(
                                    modelDir,
                                    name,
                                    version,
                                    block,
                                    split,
                                    outcome,
                                    validation.size(),
                                    seconds);
            return new TrainingResult(
                    outcome.epochs().size(),
                    outcome.best().epoch(),
                    outcome.bestMetrics(),
                    outcome.popularMetrics(),
                    seconds,
                    dir,
                    outcome.skippedBatches(),
                    outcome.epochs());
        }
    }

    /** The users with a validation item, ranked with their training part as the history. */
    private List<RankingEvaluation.Case> validationCases(LeaveOneOut split) {
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
        int users = config.validation().users();
        if (validation.size() > users) {
            // a fixed random subset, as the paper's code does above 10,000 users: validation every
            // epoch then costs a fraction of an epoch, and the same users are scored every time
            Collections.shuffle(validation, new Random(config.validation().seed()));
            validation = new ArrayList<>(validation.subList(0, users));
        }
        return validation;
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
