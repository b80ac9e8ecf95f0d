package io.attnstream.clicks.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.PairList;
import io.attnstream.nn.ScaledDotProductAttention;

/**
 * The training view of the recommender. With [items (B, T), positives (B, T), negatives (B, T, K)]
 * it returns the logits [positive (B, T), negative (B, T, K)] from {@link
 * SequenceRecommenderBlock#encode} hidden states; with [items] alone it is the recommender (scores,
 * attention), which validation uses. It has no parameters of its own, so the recommender alone is
 * saved.
 */
public final class SequenceObjective extends AbstractBlock {
    private final SequenceRecommenderBlock recommender;

    public SequenceObjective(SequenceRecommenderBlock recommender) {
        this.recommender = addChildBlock("recommender", recommender);
    }

    /** The loss on this block's logits for {@code loss}. */
    public static Loss lossOf(SequenceLoss loss) {
        return loss == SequenceLoss.BCE ? new SampledBce() : new SampledSoftmax();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
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
            NDArray logits = hidden.matMul(negative.transpose()); // (B, T, D) x (D, K) = (B, T, K)
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
