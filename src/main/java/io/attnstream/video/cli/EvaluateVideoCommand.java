package io.attnstream.video.cli;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attnstream.cli.Main;
import io.attnstream.cli.ModelUnderTest;
import io.attnstream.inference.LoadedModel;
import io.attnstream.inference.ModelStore;
import io.attnstream.video.data.CamVid;
import io.attnstream.video.data.SegmentationClasses;
import io.attnstream.video.data.SegmentationSample;
import io.attnstream.video.eval.SegmentationEvaluation;
import io.attnstream.video.model.SegmentationPreprocessing;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code evaluate video --model M}: per-class IoU, mean IoU and pixel accuracy on a CamVid-style
 * split.
 */
@Command(
        name = "video",
        mixinStandardHelpOptions = true,
        description =
                "The segmenter on a CamVid-style split at the labels' own resolution: per-class"
                        + " IoU, mean IoU, pixel accuracy, confusion matrix.")
public final class EvaluateVideoCommand implements Callable<Integer> {
    @Option(
            names = "--data",
            required = true,
            paramLabel = "DIR",
            description = "A CamVid-style folder.")
    Path data;

    @Option(
            names = "--split",
            defaultValue = "test",
            description =
                    "The split folder of --data to score (<split>/ +"
                            + " <split>annot/) (default: ${DEFAULT-VALUE}).")
    String split;

    @Mixin ModelUnderTest target;

    @Spec CommandLine.Model.CommandSpec spec;

    /** Per-class IoU, mean IoU, pixel accuracy and the confusion matrix on a CamVid-style split. */
    @Override
    public Integer call() throws Exception {
        Path dir = target.directory("evaluate video");
        if (!Files.isDirectory(data)) {
            throw new Main.UsageException("data folder not found: " + data);
        }
        try (LoadedModel loaded = ModelStore.load(dir, Device.cpu())) {
            SegmentationPreprocessing preprocessing = SegmentationPreprocessing.of(loaded.spec());
            SegmentationClasses classes = CamVid.classes(data, preprocessing.classes().voidIndex());
            List<SegmentationSample> samples = CamVid.load(data, split, classes);
            long t0 = System.nanoTime();
            SegmentationEvaluation.Result r =
                    SegmentationEvaluation.evaluate(loaded, samples, classes, 4);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(
                    Locale.ROOT,
                    "evaluate %s on %s/%s: %d frames at the labels' resolution, model input %dx%d,"
                            + " %.1f s%n",
                    loaded.spec().ref(),
                    data,
                    split,
                    samples.size(),
                    preprocessing.inputWidth(),
                    preprocessing.inputHeight(),
                    (System.nanoTime() - t0) / 1e9);
            out.print(r.table());
            out.flush();
            if (target.json() != null) {
                Map<String, Object> report = new LinkedHashMap<>();
                report.put("model", loaded.spec().ref());
                report.put("data", data.toString());
                report.put("split", split);
                report.putAll(r.toMap());
                new ObjectMapper()
                        .writerWithDefaultPrettyPrinter()
                        .writeValue(target.json().toFile(), report);
            }
        }
        return 0;
    }
}
