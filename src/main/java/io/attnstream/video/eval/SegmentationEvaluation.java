package io.attnstream.video.eval;

import io.attnstream.inference.LoadedModel;
import io.attnstream.platform.AttnstreamException;
import io.attnstream.video.data.SegmentationClasses;
import io.attnstream.video.data.SegmentationSample;
import io.attnstream.video.image.RgbImage;
import io.attnstream.video.model.FrameSegmenter;
import io.attnstream.video.model.Segmentation;
import io.attnstream.video.model.SegmentationPreprocessing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scores a segmenter on labelled frames at the labels' own resolution: each frame goes through
 * {@link FrameSegmenter} (resized to the model's input, logits resized back to the label's size
 * before argmax), so a model trained at 240 x 176 is judged on 480 x 360 labels pixel for pixel, as
 * the CamVid protocol asks.
 */
public final class SegmentationEvaluation {
    private SegmentationEvaluation() {}

    /**
     * The metrics of one evaluation, with the class names to print them by.
     *
     * @param frames the frames scored
     */
    public record Result(SegmentationMetrics metrics, SegmentationClasses classes, int frames) {
        /**
         * For a JSON report: mean IoU, pixel accuracy, mean class accuracy, per-class IoU and
         * accuracy by name (null where the class has none), the confusion matrix (rows true
         * classes, columns predictions) and the counts.
         */
        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("mean_iou", round(metrics.meanIou()));
            map.put("pixel_accuracy", round(metrics.pixelAccuracy()));
            map.put("mean_class_accuracy", round(metrics.meanClassAccuracy()));
            map.put("classes_scored", metrics.classesScored());
            Map<String, Object> iou = new LinkedHashMap<>();
            Map<String, Object> accuracy = new LinkedHashMap<>();
            double[] classIou = metrics.iou();
            double[] classAccuracy = metrics.classAccuracy();
            for (int c = 0; c < metrics.classes(); c++) {
                iou.put(classes.names().get(c), round(classIou[c]));
                accuracy.put(classes.names().get(c), round(classAccuracy[c]));
            }
            map.put("class_iou", iou);
            map.put("class_accuracy", accuracy);
            map.put("class_names", classes.names());
            List<List<Long>> confusion = new ArrayList<>();
            for (long[] row : metrics.confusion()) {
                confusion.add(Arrays.stream(row).boxed().toList());
            }
            map.put("confusion_matrix", confusion);
            map.put("void_index", classes.voidIndex());
            map.put("frames", frames);
            map.put("labelled_pixels", metrics.pixels());
            return map;
        }

        /** Per-class IoU and accuracy in percent, then the means; one class per line. */
        public String table() {
            StringBuilder out = new StringBuilder();
            int nameWidth =
                    Math.max(10, classes.names().stream().mapToInt(String::length).max().orElse(0));
            String format = "%-" + nameWidth + "s %7s %9s%n";
            out.append(String.format(Locale.ROOT, format, "class", "IoU %", "acc. %"));
            double[] iou = metrics.iou();
            double[] accuracy = metrics.classAccuracy();
            for (int c = 0; c < metrics.classes(); c++) {
                out.append(
                        String.format(
                                Locale.ROOT,
                                format,
                                classes.names().get(c),
                                percent(iou[c]),
                                percent(accuracy[c])));
            }
            out.append(
                    String.format(
                            Locale.ROOT,
                            format,
                            "mean",
                            percent(metrics.meanIou()),
                            percent(metrics.meanClassAccuracy())));
            out.append(
                    String.format(
                            Locale.ROOT,
                            "pixel accuracy %s %%, %d frames, %d labelled pixels, mean IoU over"
                                    + " %d classes%n",
                            percent(metrics.pixelAccuracy()),
                            frames,
                            metrics.pixels(),
                            metrics.classesScored()));
            return out.toString();
        }
    }

    /**
     * Evaluates a loaded segmenter on the samples, {@code batchSize} frames per forward pass.
     *
     * @throws AttnstreamException when the model's classes are not the data's (count or void index)
     */
    public static Result evaluate(
            LoadedModel model,
            List<SegmentationSample> samples,
            SegmentationClasses dataClasses,
            int batchSize) {
        SegmentationClasses modelClasses = SegmentationPreprocessing.of(model.spec()).classes();
        if (modelClasses.count() != dataClasses.count()
                || modelClasses.voidIndex() != dataClasses.voidIndex()) {
            throw new AttnstreamException(
                    "model "
                            + model.spec().ref()
                            + " knows "
                            + modelClasses
                            + "; the data has "
                            + dataClasses);
        }
        return evaluate(FrameSegmenter.of(model, batchSize), samples, modelClasses);
    }

    /**
     * Evaluates any segmenter (e.g. a model being trained) on the samples, at each label's size.
     */
    public static Result evaluate(
            FrameSegmenter segmenter,
            List<SegmentationSample> samples,
            SegmentationClasses classes) {
        SegmentationMetrics metrics = new SegmentationMetrics(classes.count(), classes.voidIndex());
        int chunk = 32; // frames held as segmentations at once
        for (int from = 0; from < samples.size(); from += chunk) {
            List<SegmentationSample> part =
                    samples.subList(from, Math.min(samples.size(), from + chunk));
            List<RgbImage> frames = part.stream().map(SegmentationSample::image).toList();
            List<Segmentation> out = segmenter.segment(frames);
            for (int i = 0; i < part.size(); i++) {
                metrics.add(part.get(i).labels(), out.get(i).mask());
            }
        }
        return new Result(metrics, classes, samples.size());
    }

    private static Double round(double value) {
        return Double.isNaN(value) ? null : Math.round(value * 1e4) / 1e4;
    }

    private static String percent(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", 100 * value);
    }
}
