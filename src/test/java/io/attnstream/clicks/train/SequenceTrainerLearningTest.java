package io.attnstream.clicks.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.attnstream.clicks.SequenceFixtures;
import io.attnstream.clicks.eval.RankingEvaluation;
import io.attnstream.clicks.model.SequenceLoss;
import io.attnstream.clicks.model.SequencePreprocessing;
import io.attnstream.clicks.model.SequenceRequest;
import io.attnstream.clicks.model.SequenceScores;
import io.attnstream.clicks.model.SequenceTranslator;
import io.attnstream.inference.LoadedModel;
import io.attnstream.inference.ModelStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether training learns a next-item structure that popularity cannot see: users walk through
 * their category's items in a fixed order (90 % of steps), every item equally popular. Evaluated
 * like the real data: each user's last item ranked with everything before it as history.
 */
class SequenceTrainerLearningTest {
    private static final int ITEMS = 200;
    private static final int L = 12;

    @TempDir Path root;

    @Test
    void
            learnsNextItemsAtLeastTwiceAsWellAsMostPopularAndItsAttentionIsADistributionOverRealItems() {
        Map<String, List<String>> sequences =
                SequenceFixtures.categoryWalks(1200, ITEMS, 10, 4, 16, 0.9, 7);
        SequenceTrainingConfig config =
                SequenceTrainingConfig.builder()
                        .optMaxLength(L)
                        .optModelSize(32)
                        .optHeads(1)
                        .optLayers(2)
                        .optDropout(0.2f)
                        .optBatchSize(64)
                        .optLearningRate(3e-3f)
                        .optLoss(SequenceLoss.BCE)
                        .optNegatives(1)
                        .optGradientClip(5f)
                        .optRateDecayPatience(0)
                        .optMaxEpochs(25)
                        .optPatience(5)
                        .optThreads(1)
                        .build();

        SequenceTrainer.TrainingResult result =
                new SequenceTrainer(sequences, config)
                        .train(
                                root.resolve("sasrec"),
                                "sasrec",
                                "1",
                                SequenceTrainingProgress.silent());
        RankingEvaluation.Result test =
                RankingEvaluation.evaluate(
                        sequences, RankingEvaluation.Protocol.SAMPLED_100, result.modelDir());

        double firstLoss = result.epochs().get(0).trainLoss();
        double bestLoss = result.epochs().get(result.bestEpoch() - 1).trainLoss();
        String summary =
                String.format(
                        "loss %.3f -> %.3f at best epoch %d of %d, test HR@10 %.3f vs most-popular"
                                + " %.3f, skipped %d",
                        firstLoss,
                        bestLoss,
                        result.bestEpoch(),
                        result.epochsRun(),
                        test.model().hr10(),
                        test.mostPopular().hr10(),
                        result.skippedBatches());
        assertThat(bestLoss).as(summary).isLessThan(firstLoss * 0.7);
        assertThat(test.users()).isEqualTo(1200);
        assertThat(test.mostPopular().hr10()).as(summary).isBetween(0.05, 0.2); // chance is 10/101
        assertThat(test.model().hr10())
                .as(summary)
                .isGreaterThanOrEqualTo(2 * test.mostPopular().hr10());
        assertThat(test.model().hr10()).as(summary).isGreaterThan(0.5);
        assertThat(result.skippedBatches()).as(summary).isLessThanOrEqualTo(3);

        attentionIsADistributionOverRealHistoryItems(result.modelDir());
    }

    /**
     * Through the streaming translator's layout (B, L) left-padded: weights finite, >= 0, summing
     * to 1, ~0 on padding; the translator's per-request weights cover exactly the real history
     * items.
     */
    private static void attentionIsADistributionOverRealHistoryItems(Path modelDir) {
        try (LoadedModel model = ModelStore.load(modelDir, Device.cpu());
                NDManager manager = model.model().getNDManager().newSubManager()) {
            SequenceTranslator translator =
                    new SequenceTranslator(SequencePreprocessing.of(model.spec()).maxLength(), 5);
            List<SequenceRequest> requests = new ArrayList<>();
            requests.add(new SequenceRequest(new int[] {3}, new int[] {4, 5}));
            requests.add(new SequenceRequest(new int[] {21, 22, 23, 24, 25}, null));
            requests.add(new SequenceRequest(IntStream.rangeClosed(1, 20).toArray(), null));
            NDList outputs =
                    model.model()
                            .getBlock()
                            .forward(
                                    new ParameterStore(manager, false),
                                    translator.toTensors(manager, requests),
                                    false);
            float[] attention = outputs.get(1).toFloatArray(); // (3, L)
            int[] lengths = {1, 5, L};
            for (int r = 0; r < 3; r++) {
                double sum = 0;
                for (int t = 0; t < L; t++) {
                    float w = attention[r * L + t];
                    assertThat(w)
                            .as("row %d position %d", r, t)
                            .isFinite()
                            .isGreaterThanOrEqualTo(0f);
                    if (t < L - lengths[r]) {
                        assertThat(w).as("padding: row %d position %d", r, t).isLessThan(1e-6f);
                    }
                    sum += w;
                }
                assertThat(sum).as("row %d", r).isCloseTo(1.0, within(1e-4));
            }
            List<SequenceScores> scores = translator.fromTensors(outputs, requests);
            assertThat(scores.get(0).attention).hasSize(1);
            assertThat(scores.get(0).attention[0]).isCloseTo(1f, within(1e-4f));
            assertThat(scores.get(1).attention).hasSize(5);
            assertThat(scores.get(0).candidateScores).hasSize(2);
            assertThat(scores.get(2).attention).hasSize(L);
        }
    }
}
