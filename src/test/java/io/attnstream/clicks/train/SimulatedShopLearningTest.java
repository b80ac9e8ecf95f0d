package io.attnstream.clicks.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.clicks.eval.RankingEvaluation;
import io.attnstream.clicks.model.SequenceLoss;
import io.attnstream.clicks.sim.ClickstreamSimulator;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The learning criterion on the clickstream simulator itself (drifting interests,
 * popularity skew, successor items inside categories): HR@10 of each user's held-out last item at
 * least twice most-popular's, ranked against the whole catalogue (under sampled-100 the skewed
 * popularity alone already ranks high).
 */
class SimulatedShopLearningTest {
    @TempDir Path root;

    /** Both objectives: the paper's BCE and the CLI's default sampled softmax. */
    @ParameterizedTest
    @EnumSource(SequenceLoss.class)
    void beatsMostPopularTwiceOnTheSimulatedShop(SequenceLoss loss) {
        Map<String, List<String>> sequences =
                ClickstreamSimulator.builder()
                        .users(1000)
                        .items(500)
                        .categories(10)
                        .seed(4)
                        .build()
                        .interactions(30)
                        .sequences();
        SequenceTrainingConfig config =
                SequenceTrainingConfig.builder()
                        .optMaxLength(20)
                        .optModelSize(32)
                        .optHeads(1)
                        .optLayers(2)
                        .optDropout(0.2f)
                        .optBatchSize(64)
                        .optLearningRate(3e-3f)
                        .optGradientClip(5f)
                        .optRateDecayPatience(0)
                        .optMaxEpochs(80)
                        .optPatience(10)
                        .optLoss(loss)
                        .optNegatives(loss == SequenceLoss.BCE ? 1 : 128)
                        .optMaxMinutes(0.75)
                        .optThreads(1)
                        .build();

        SequenceTrainer.TrainingResult result =
                new SequenceTrainer(sequences, config)
                        .train(
                                root.resolve("shop"),
                                "shop",
                                "1",
                                SequenceTrainingProgress.silent());
        RankingEvaluation.Result test =
                RankingEvaluation.evaluate(
                        sequences, RankingEvaluation.Protocol.FULL, result.modelDir());

        String summary =
                loss.label()
                        + String.format(
                                ": best epoch %d of %d, full-catalogue HR@10 %.3f vs most-popular"
                                        + " %.3f, NDCG@10 %.3f vs %.3f",
                                result.bestEpoch(),
                                result.epochsRun(),
                                test.model().hr10(),
                                test.mostPopular().hr10(),
                                test.model().ndcg(10),
                                test.mostPopular().ndcg(10));
        assertThat(test.mostPopular().hr10()).as(summary).isPositive();
        assertThat(test.model().hr10())
                .as(summary)
                .isGreaterThanOrEqualTo(2 * test.mostPopular().hr10());
    }
}
