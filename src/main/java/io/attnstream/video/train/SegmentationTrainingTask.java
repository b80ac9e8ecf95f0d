package io.attnstream.video.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import io.attnstream.training.EpochOrder;
import io.attnstream.training.TrainingBatch;
import io.attnstream.training.TrainingTask;
import io.attnstream.video.data.SegmentationClasses;
import io.attnstream.video.data.SegmentationSample;
import io.attnstream.video.eval.SegmentationEvaluation;
import io.attnstream.video.image.LabelMap;
import io.attnstream.video.model.FrameSegmenter;
import io.attnstream.video.model.ImageTensors;
import io.attnstream.video.model.PixelCrossEntropy;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The segmenter's part of the shared loop: the training frames in a random order per epoch, each
 * augmented at the training resolution, with the class-weighted labels of {@link
 * PixelCrossEntropy}; mean IoU on the validation frames, resized once to the training resolution.
 *
 * <p>Dimensions: B batch, H x W the training resolution.
 */
final class SegmentationTrainingTask implements TrainingTask<SegmentationEvaluation.Result> {
    private final List<SegmentationSample> training;
    private final List<SegmentationSample> validationAtInput;
    private final SegmentationClasses classes;
    private final float[] weights;
    private final ImageTensors.Normalisation normalisation;
    private final SegmentationTrainingConfig config;
    private final EpochOrder order;

    /**
     * @param weights the loss's class weights
     * @param normalisation the frames' normalisation, fitted on the training frames
     */
    SegmentationTrainingTask(
            List<SegmentationSample> training,
            List<SegmentationSample> validation,
            SegmentationClasses classes,
            float[] weights,
            ImageTensors.Normalisation normalisation,
            SegmentationTrainingConfig config) {
        this.training = training;
        this.classes = classes;
        this.weights = weights;
        this.normalisation = normalisation;
        this.config = config;
        this.order = new EpochOrder(training.size(), config.optimization().batchSize());
        // resized once: every validation scores the same frames, at the resolution trained on
        SegmentationTrainingConfig.Input input = config.input();
        List<SegmentationSample> atInput = new ArrayList<>(validation.size());
        for (SegmentationSample s : validation) {
            atInput.add(
                    Augmentation.none()
                            .apply(
                                    s,
                                    input.width(),
                                    input.height(),
                                    classes.voidIndex(),
                                    new Random(0))); // no randomness is drawn
        }
        this.validationAtInput = atInput;
    }

    @Override
    public int startEpoch(int epoch, Random random) {
        return order.shuffle(random);
    }

    /** The batch's augmented frames and the loss's labels. */
    @Override
    public TrainingBatch batch(NDManager manager, int index, Random random) {
        int from = order.from(index);
        int to = order.to(index);
        int w = config.input().width();
        int h = config.input().height();
        float[] frames = new float[(to - from) * 3 * w * h];
        List<LabelMap> labels = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            SegmentationSample sample =
                    config.input()
                            .augmentation()
                            .apply(
                                    training.get(order.order()[i]),
                                    w,
                                    h,
                                    classes.voidIndex(),
                                    random);
            ImageTensors.writeChw(sample.image(), normalisation, frames, i - from);
            labels.add(sample.labels());
        }
        NDArray input = manager.create(frames, new Shape(to - from, 3, h, w)); // (B, 3, H, W)
        return new TrainingBatch(
                new NDList(input),
                PixelCrossEntropy.labels(manager, labels, weights, classes.voidIndex()),
                1);
    }

    /** Mean IoU and the rest over the classes, void ignored, in inference mode. */
    @Override
    public SegmentationEvaluation.Result validate(Trainer trainer) {
        FrameSegmenter segmenter =
                new FrameSegmenter(
                        trainer::evaluate,
                        trainer.getManager(),
                        config.input().width(),
                        config.input().height(),
                        normalisation,
                        2 * config.optimization().batchSize());
        return SegmentationEvaluation.evaluate(segmenter, validationAtInput, classes);
    }

    @Override
    public double score(SegmentationEvaluation.Result scores) {
        return scores.metrics().meanIou();
    }
}
