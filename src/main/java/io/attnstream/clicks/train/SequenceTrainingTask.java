package io.attnstream.clicks.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import io.attnstream.clicks.eval.MostPopular;
import io.attnstream.clicks.eval.RankingEvaluation;
import io.attnstream.clicks.eval.RankingMetrics;
import io.attnstream.clicks.model.SequenceLoss;
import io.attnstream.training.EpochOrder;
import io.attnstream.training.TrainingBatch;
import io.attnstream.training.TrainingTask;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The recommender's part of the shared loop: the users in a random order per epoch, their next-item
 * batches with sampled negatives, NDCG@10 on the validation users.
 *
 * <p>Dimensions: B batch, T positions (at most L), K negatives.
 */
final class SequenceTrainingTask implements TrainingTask<RankingEvaluation.Result> {
    private final NextItemExamples data;
    private final List<RankingEvaluation.Case> validation;
    private final MostPopular popular;
    private final SequenceTrainingConfig config;
    private final EpochOrder order;
    private RankingMetrics popularMetrics;

    SequenceTrainingTask(
            NextItemExamples data,
            List<RankingEvaluation.Case> validation,
            MostPopular popular,
            SequenceTrainingConfig config) {
        this.data = data;
        this.validation = validation;
        this.popular = popular;
        this.config = config;
        this.order = new EpochOrder(data.users.length, config.optimization().batchSize());
    }

    /** The most-popular baseline on the validation candidates, after the first validation. */
    RankingMetrics popularMetrics() {
        return popularMetrics;
    }

    @Override
    public int startEpoch(int epoch, Random random) {
        return order.shuffle(random);
    }

    @Override
    public TrainingBatch batch(NDManager manager, int index, Random random) {
        int[] users = Arrays.copyOfRange(order.order(), order.from(index), order.to(index));
        return batch(manager, users, config.optimization().negatives(), random);
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
                        config.architecture().maxLength(),
                        data.vocabularySize,
                        popularMetrics == null ? popular : null,
                        config.validation().seed());
        if (popularMetrics == null) {
            popularMetrics = scores.mostPopular();
        }
        return scores;
    }

    @Override
    public double score(RankingEvaluation.Result scores) {
        return scores.model().ndcg10();
    }

    /**
     * Inputs, positives and negatives of a batch, left-padded to its longest sequence (at most L):
     * negatives (B, T, K) per position outside each user's items for BCE, (K) uniform and shared
     * for sampled softmax; its weight is its non-padding positions, the loss's denominator.
     */
    private TrainingBatch batch(NDManager manager, int[] users, int k, Random random) {
        int maxLength = config.architecture().maxLength();
        int t = 1;
        for (int u : users) {
            t = Math.max(t, Math.min(data.users[u].length - 1, maxLength));
        }
        int b = users.length;
        long[] inputs = new long[b * t];
        long[] positives = new long[b * t];
        boolean shared = config.optimization().loss() == SequenceLoss.SAMPLED_SOFTMAX;
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
                        negatives, shared ? new Shape(k) : new Shape(b, t, k)); // (K) or (B, T, K)
        return new TrainingBatch(new NDList(in, pos, neg), new NDList(pos), positions);
    }

    /**
     * A uniform item outside the user's training items (rejection sampling; users touch few items).
     */
    private int negative(int[] sortedExclude, Random random) {
        if (sortedExclude.length >= data.vocabularySize) {
            // cannot happen with real data; avoids looping forever
            return 1 + random.nextInt(data.vocabularySize);
        }
        while (true) {
            int item = 1 + random.nextInt(data.vocabularySize);
            if (Arrays.binarySearch(sortedExclude, item) < 0) {
                return item;
            }
        }
    }
}
