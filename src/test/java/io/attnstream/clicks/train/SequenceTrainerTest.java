package io.attnstream.clicks.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.attnstream.clicks.SequenceFixtures;
import io.attnstream.clicks.data.ItemVocabulary;
import io.attnstream.clicks.data.LeaveOneOut;
import io.attnstream.clicks.eval.RankingEvaluation;
import io.attnstream.clicks.model.SampledBce;
import io.attnstream.clicks.model.SampledSoftmax;
import io.attnstream.clicks.model.SequenceLoss;
import io.attnstream.clicks.model.SequenceModels;
import io.attnstream.clicks.model.SequenceObjective;
import io.attnstream.clicks.model.SequencePreprocessing;
import io.attnstream.clicks.model.SequenceRecommenderBlock;
import io.attnstream.inference.DjlEngine;
import io.attnstream.inference.LoadedModel;
import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.ModelStore;
import io.attnstream.platform.AttnstreamException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SequenceTrainerTest {
    @TempDir Path root;

    /** A small, fast model on one thread, BCE with one negative at a fixed rate. */
    private static SequenceTrainingConfig.Builder quick() {
        return SequenceTrainingConfig.builder()
                .optMaxLength(8)
                .optModelSize(16)
                .optHeads(1)
                .optLayers(1)
                .optDropout(0.1f)
                .optBatchSize(32)
                .optLearningRate(3e-3f)
                .optLoss(SequenceLoss.BCE)
                .optNegatives(1)
                .optGradientClip(5f)
                .optRateDecayPatience(0)
                .optThreads(1);
    }

    private static SequenceTrainingConfig quick(int maxEpochs, int patience, int validateEvery) {
        return quick().optMaxEpochs(maxEpochs)
                .optPatience(patience)
                .optValidateEvery(validateEvery)
                .build();
    }

    private static Map<String, List<String>> walks() {
        return SequenceFixtures.categoryWalks(120, 40, 4, 4, 8, 0.9, 1);
    }

    private static final class Recorder implements SequenceTrainingProgress {
        final List<EpochSummary> epochs = new ArrayList<>();
        int batches;

        @Override
        public void batch(int epoch, int maxEpochs, int batch, int batches, double meanLoss) {
            this.batches++;
        }

        @Override
        public void epoch(EpochSummary summary) {
            epochs.add(summary);
        }
    }

    @Test
    void savesTheParametersOfTheBestValidationEpoch() {
        Map<String, List<String>> sequences = walks();
        Recorder recorder = new Recorder();

        SequenceTrainer.TrainingResult result =
                new SequenceTrainer(sequences, quick(6, 100, 1))
                        .train(root.resolve("m"), "sasrec", "3", recorder);

        assertThat(result.epochsRun()).isEqualTo(6);
        assertThat(recorder.epochs)
                .hasSize(6)
                .allMatch(SequenceTrainingProgress.EpochSummary::validated);
        int best = 1;
        for (SequenceTrainingProgress.EpochSummary e : recorder.epochs) {
            // "best" marks exactly the epochs that beat every earlier one
            double before =
                    recorder.epochs.subList(0, e.epoch() - 1).stream()
                            .mapToDouble(SequenceTrainingProgress.EpochSummary::validationNdcg10)
                            .max()
                            .orElse(-1);
            assertThat(e.best()).as("epoch %d", e.epoch()).isEqualTo(e.validationNdcg10() > before);
            best = e.best() ? e.epoch() : best;
        }
        assertThat(result.bestEpoch()).isEqualTo(best);
        assertThat(result.bestValidation().ndcg10())
                .isEqualTo(recorder.epochs.get(best - 1).validationNdcg10());

        // the saved parameters reproduce the best epoch's validation score, whichever epoch came
        // last
        LeaveOneOut split = LeaveOneOut.split(sequences);
        List<RankingEvaluation.Case> validation = new ArrayList<>();
        for (int u = 0; u < split.userCount(); u++) {
            validation.add(
                    new RankingEvaluation.Case(
                            split.validationHistory(u), split.validation()[u], split.itemsOf(u)));
        }
        try (LoadedModel model = ModelStore.load(result.modelDir(), Device.cpu())) {
            Block block = model.model().getBlock();
            RankingEvaluation.Result again =
                    RankingEvaluation.evaluate(
                            validation,
                            RankingEvaluation.Protocol.SAMPLED_100,
                            items ->
                                    block.forward(
                                            new ParameterStore(items.head().getManager(), false),
                                            items,
                                            false),
                            model.model().getNDManager(),
                            8,
                            split.vocabulary().size(),
                            null,
                            RankingEvaluation.DEFAULT_SEED);
            assertThat(again.model().ndcg10())
                    .isCloseTo(result.bestValidation().ndcg10(), within(1e-6));
        }
    }

    @Test
    void modelJsonHasTheVocabularyMetricsAndFingerprint() {
        Map<String, List<String>> sequences = walks();

        SequenceTrainer.TrainingResult result =
                new SequenceTrainer(sequences, quick(2, 100, 1))
                        .train(root.resolve("m"), "sasrec", "4", SequenceTrainingProgress.silent());

        ModelSpec spec = ModelStore.readSpec(result.modelDir());
        assertThat(spec.kind()).isEqualTo(SequenceModels.KIND);
        assertThat(spec.version()).isEqualTo("4");
        assertThat(SequencePreprocessing.of(spec).maxLength()).isEqualTo(8);
        ItemVocabulary vocabulary = SequencePreprocessing.of(spec).vocabulary();
        assertThat(vocabulary.size()).isEqualTo(40);
        assertThat(vocabulary.indexOf("i1"))
                .isEqualTo(LeaveOneOut.split(sequences).vocabulary().indexOf("i1"));
        assertThat(spec.metrics())
                .containsEntry("best_epoch", result.bestEpoch())
                .containsEntry("epochs_run", 2)
                .containsEntry("validation_users", 120)
                .containsEntry("skipped_batches", 0)
                .containsKeys(
                        "validation_hr@10",
                        "validation_ndcg@10",
                        "validation_most_popular_ndcg@10");
        assertThat((Double) spec.metrics().get("validation_ndcg@10"))
                .isCloseTo(result.bestValidation().ndcg10(), within(1e-12));
        assertThat((String) spec.trainingData().get("fingerprint"))
                .matches("values-sha256:[0-9a-f]{64}");
    }

    @Test
    void validatesEveryNthEpochTheFirstAndTheLast() {
        Recorder recorder = new Recorder();

        new SequenceTrainer(walks(), quick(4, 100, 3))
                .train(root.resolve("m"), "sasrec", "1", recorder);

        assertThat(recorder.epochs)
                .extracting(SequenceTrainingProgress.EpochSummary::validated)
                .containsExactly(true, false, true, true);
        assertThat(recorder.batches)
                .isEqualTo(4 * 4); // 120 users with >= 2 training items, batches of 32
    }

    @Test
    void stopsAfterPatienceEpochsWithoutImprovement() {
        Recorder recorder = new Recorder();

        SequenceTrainer.TrainingResult result =
                new SequenceTrainer(walks(), quick(30, 1, 1))
                        .train(root.resolve("m"), "sasrec", "1", recorder);

        // patience 1: the first epoch that is no better ends the run (unless all 30 improved)
        assertThat(result.epochsRun()).isIn(30, result.bestEpoch() + 1);
        assertThat(recorder.epochs.subList(0, result.epochsRun() - 1))
                .allMatch(SequenceTrainingProgress.EpochSummary::best);
    }

    @Test
    void sequencesWithoutHeldOutItemsAreAClearError() {
        Map<String, List<String>> tooShort = Map.of("u1", List.of("a", "b"), "u2", List.of("c"));

        assertThatThrownBy(
                        () ->
                                new SequenceTrainer(tooShort, quick().build())
                                        .withSourceFile(Path.of("tiny.txt"))
                                        .train(
                                                root.resolve("m"),
                                                "sasrec",
                                                "1",
                                                SequenceTrainingProgress.silent()))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage(
                        "tiny.txt: no user has a validation item (3 or more items), nothing to"
                                + " train on");
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThatThrownBy(() -> quick(0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "epochs, batch size, patience, validate-every, validation users and"
                                + " negatives must be >= 1, got 0");
        assertThatThrownBy(() -> quick().optThreads(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threads must be >= 0 (0 = the engine's setting), got -1");
    }

    @Test
    void lossIsTheMeanBceOverRealPositionsAndStableForLargeLogits() {
        try (NDManager m = DjlEngine.pytorch().newBaseManager(Device.cpu())) {
            // row 0: padding, then a position with logits pos 0 / neg 0; row 1: pos 100 / neg -100,
            // pos -50 / neg 0
            NDArray positives = m.create(new long[] {0, 7, 3, 4}, new Shape(2, 2));
            NDArray pos = m.create(new float[] {123f, 0f, 100f, -50f}, new Shape(2, 2));
            NDArray neg = m.create(new float[] {1e30f, 0f, -100f, 0f}, new Shape(2, 2, 1));

            float loss =
                    new SampledBce()
                            .evaluate(new NDList(positives), new NDList(pos, neg))
                            .getFloat();

            // -log s(0) - log s(-0) = 2 ln 2; ~0 + ~0; 50 + ln 2 (the padding position's huge
            // logits do not count)
            double expected = (2 * Math.log(2) + 0 + 50 + Math.log(2)) / 3;
            assertThat((double) loss).isCloseTo(expected, within(1e-4));
        }
    }

    @Test
    void sampledSoftmaxIsTheMeanCrossEntropyOverRealPositions() {
        try (NDManager m = DjlEngine.pytorch().newBaseManager(Device.cpu())) {
            // row 0: padding, then pos 0 against negatives 0, 0; row 1: pos 2 against ln 3 and a
            // masked hit
            NDArray positives = m.create(new long[] {0, 7, 3, 4}, new Shape(2, 2));
            NDArray pos = m.create(new float[] {50f, 0f, 2f, 0f}, new Shape(2, 2));
            NDArray neg =
                    m.create(
                            new float[] {1e30f, 1e30f, 0f, 0f, (float) Math.log(3), -1e9f, 0f, 0f},
                            new Shape(2, 2, 2));

            float loss =
                    new SampledSoftmax()
                            .evaluate(new NDList(positives), new NDList(pos, neg))
                            .getFloat();

            // -log(1/3); -log(e^2 / (e^2 + 3)); -log(1/3) — the padding position's huge logits do
            // not count
            double expected =
                    (Math.log(3) + Math.log((Math.exp(2) + 3) / Math.exp(2)) + Math.log(3)) / 3;
            assertThat((double) loss).isCloseTo(expected, within(1e-5));
        }
    }

    @Test
    void sharedNegativesAreScoredAgainstEveryPositionAndATargetIsNeverItsOwnNegative() {
        SequenceRecommenderBlockFixture fixture = new SequenceRecommenderBlockFixture();
        try (NDManager m = DjlEngine.pytorch().newBaseManager(Device.cpu())) {
            SequenceObjective objective = fixture.objective(m);
            NDArray items = m.create(new long[] {0, 1, 2, 3}, new Shape(2, 2)); // (B, T)
            NDArray positives = m.create(new long[] {0, 2, 3, 4}, new Shape(2, 2)); // (B, T)
            NDArray shared = m.create(new long[] {4, 5, 2}, new Shape(3)); // (K)
            NDArray perPosition =
                    m.create(new long[] {4, 5, 2, 4, 5, 2, 4, 5, 2, 4, 5, 2}, new Shape(2, 2, 3));
            ParameterStore ps = new ParameterStore(m, false);

            NDList sharedOut = objective.forward(ps, new NDList(items, positives, shared), false);
            NDList perPositionOut =
                    objective.forward(ps, new NDList(items, positives, perPosition), false);

            assertThat(sharedOut.get(1).getShape()).isEqualTo(new Shape(2, 2, 3));
            float[] a = sharedOut.get(1).toFloatArray();
            float[] b = perPositionOut.get(1).toFloatArray();
            // (row 0, t 1) has target 2 = negative k 2; (row 1, t 1) has target 4 = negative k 0:
            // masked there only
            int[] masked = {(0 * 2 + 1) * 3 + 2, (1 * 2 + 1) * 3};
            for (int i = 0; i < a.length; i++) {
                final int index = i;
                if (Arrays.stream(masked).anyMatch(x -> x == index)) {
                    assertThat(a[i]).as("logit %d", i).isLessThan(-1e8f);
                } else {
                    assertThat(a[i]).as("logit %d", i).isCloseTo(b[i], within(1e-4f));
                }
            }
            assertThat(sharedOut.get(0).toFloatArray())
                    .containsExactly(perPositionOut.get(0).toFloatArray());
        }
    }

    @Test
    void sampledSoftmaxTrainingBeatsMostPopularOnValidation() {
        SequenceTrainer.TrainingResult result =
                new SequenceTrainer(
                                walks(),
                                quick().optMaxEpochs(8)
                                        .optPatience(100)
                                        .optLoss(SequenceLoss.SAMPLED_SOFTMAX)
                                        .optNegatives(16)
                                        .build())
                        .train(root.resolve("m"), "sasrec", "1", SequenceTrainingProgress.silent());

        assertThat(result.skippedBatches()).isZero();
        assertThat(result.bestValidation().hr10())
                .isGreaterThan(result.mostPopularValidation().hr10());
        assertThat(ModelStore.readSpec(result.modelDir()).trainingData())
                .extractingByKey("config")
                .asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("loss", "sampled-softmax")
                .containsEntry("negatives", 16);
    }

    @Test
    void consoleProgressDrawsABarThenOneLinePerEpoch() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SequenceTrainingProgress console =
                SequenceTrainingProgress.console(
                        new PrintStream(bytes, true, StandardCharsets.UTF_8), true);

        console.batch(3, 50, 10, 10, 0.3125);
        console.epoch(
                new SequenceTrainingProgress.EpochSummary(
                        3, 50, 0.3124, 0.61234, 0.39871, 4.12, true));
        console.epoch(
                new SequenceTrainingProgress.EpochSummary(
                        4, 50, 0.3, Double.NaN, Double.NaN, 4.0, false));

        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .matches(
                        "\r"
                                + "epoch 3/50 \\[#{30}\\] 10/10  loss 0\\.3125\r"
                                + "epoch 3/50  loss 0\\.3124  val HR@10 0\\.6123  NDCG@10 0\\.3987 "
                                + " 4\\.1 s  \\* *\\R\r"
                                + "epoch 4/50  loss 0\\.3000  4\\.0 s\\R");
    }

    /** A tiny recommender (V = 5, T = 2, D = 8) wrapped in the training objective. */
    private static final class SequenceRecommenderBlockFixture {
        SequenceObjective objective(NDManager manager) {
            SequenceRecommenderBlock block =
                    SequenceRecommenderBlock.builder()
                            .setVocabularySize(5)
                            .setMaxLength(2)
                            .setModelSize(8)
                            .setHeads(1)
                            .setLayers(1)
                            .build();
            SequenceObjective objective = new SequenceObjective(block);
            objective.initialize(manager, DataType.FLOAT32, new Shape(2, 2));
            return objective;
        }
    }
}
