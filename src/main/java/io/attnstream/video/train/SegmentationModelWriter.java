package io.attnstream.video.train;

import ai.djl.Model;
import io.attnstream.inference.ModelStore;
import io.attnstream.training.DataFingerprint;
import io.attnstream.video.data.SegmentationClasses;
import io.attnstream.video.data.SegmentationSample;
import io.attnstream.video.eval.SegmentationMetrics;
import io.attnstream.video.model.AttentionUNetBlock;
import io.attnstream.video.model.ImageTensors;
import io.attnstream.video.model.SegmentationModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a trained segmenter's model directory: its parameters and model.json with the input size,
 * normalisation, classes, the validation metrics and what it was trained on (the frames'
 * fingerprint, the class weights, the configuration). Field names and values are read back by saved
 * models' tools: they do not change.
 */
final class SegmentationModelWriter {
    private final List<SegmentationSample> training;
    private final List<SegmentationSample> validation;
    private final SegmentationClasses classes;
    private final SegmentationTrainingConfig config;
    private final String described;

    /**
     * @param described where the frames came from, for model.json's description
     */
    SegmentationModelWriter(
            List<SegmentationSample> training,
            List<SegmentationSample> validation,
            SegmentationClasses classes,
            SegmentationTrainingConfig config,
            String described) {
        this.training = training;
        this.validation = validation;
        this.classes = classes;
        this.config = config;
        this.described = described;
    }

    /**
     * Saves {@code model} (holding {@code block} with the best epoch's parameters); returns the
     * directory written.
     */
    Path write(
            Model model,
            AttentionUNetBlock block,
            Path modelDir,
            String name,
            String version,
            ImageTensors.Normalisation normalisation,
            float[] weights,
            SegmentationTrainingRun.Outcome outcome,
            double seconds) {
        SegmentationTrainingConfig.Input input = config.input();
        return ModelStore.save(
                model,
                SegmentationModels.spec(
                        name,
                        version,
                        block,
                        input.width(),
                        input.height(),
                        normalisation,
                        classes,
                        trainingData(weights),
                        metrics(outcome, seconds)),
                modelDir);
    }

    private Map<String, Object> metrics(SegmentationTrainingRun.Outcome outcome, double seconds) {
        SegmentationMetrics best = outcome.bestValidation().metrics();
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("validation_mean_iou", round(best.meanIou()));
        metrics.put("validation_pixel_accuracy", round(best.pixelAccuracy()));
        metrics.put("validation_mean_class_accuracy", round(best.meanClassAccuracy()));
        metrics.put("validation_class_iou", outcome.bestValidation().toMap().get("class_iou"));
        metrics.put("validation_frames", validation.size());
        metrics.put(
                "validation_resolution", config.input().width() + "x" + config.input().height());
        metrics.put("best_epoch", outcome.best().epoch());
        metrics.put("epochs_run", outcome.epochs().size());
        metrics.put("skipped_batches", outcome.skippedBatches());
        metrics.put("training_seconds", Math.round(seconds * 10) / 10.0);
        return metrics;
    }

    private Map<String, Object> trainingData(float[] weights) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("fingerprint", fingerprint());
        map.put(
                "description",
                String.format(
                        Locale.ROOT,
                        "%s: %d training frames, %d validation frames; trained at %d x %d",
                        described,
                        training.size(),
                        validation.size(),
                        config.input().width(),
                        config.input().height()));
        List<Double> classWeights = new ArrayList<>();
        for (float w : weights) {
            classWeights.add(round(w));
        }
        map.put("class_weights", classWeights);
        map.put("config", config.toMap());
        return map;
    }

    /**
     * The training then the validation frames in order, each its name's UTF-8, its RGB bytes and
     * its label bytes, each part closed by a 0 byte: the layout saved models were fingerprinted
     * with.
     */
    private String fingerprint() {
        DataFingerprint fingerprint = DataFingerprint.ofValues();
        for (List<SegmentationSample> part : List.of(training, validation)) {
            for (SegmentationSample s : part) {
                fingerprint.add(s.name()).add(s.image().rgb()).add(s.labels().classes());
            }
            fingerprint.add((byte) 0);
        }
        return fingerprint.value();
    }

    private static double round(double value) {
        return Math.round(value * 1e4) / 1e4;
    }
}
