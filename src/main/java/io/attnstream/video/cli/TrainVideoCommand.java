package io.attnstream.video.cli;

import io.attnstream.cli.CommonOptions;
import io.attnstream.cli.Main;
import io.attnstream.cli.ModelOutputOptions;
import io.attnstream.video.data.CamVid;
import io.attnstream.video.data.SegmentationClasses;
import io.attnstream.video.data.SegmentationSample;
import io.attnstream.video.sim.GeneratedScenes;
import io.attnstream.video.sim.StreetSceneGenerator;
import io.attnstream.video.train.Augmentation;
import io.attnstream.video.train.SegmentationTrainer;
import io.attnstream.video.train.SegmentationTrainingProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code train video}: the attention U-Net on a CamVid-style folder or on generated street scenes.
 */
@Command(
        name = "video",
        description =
                "Train the attention U-Net segmenter on a CamVid-style folder (<split>/ +"
                    + " <split>annot/ label PNGs) or on generated street scenes; the epoch with the"
                    + " best validation mIoU goes to the model store.")
public final class TrainVideoCommand implements Callable<Integer> {
    static class DataSource {
        @Option(
                names = "--data",
                paramLabel = "DIR",
                description = "CamVid-style folder (e.g. ../shared/data/camvid).")
        Path data;

        @Option(
                names = "--simulate",
                paramLabel = "FRAMES",
                description = "Train on this many generated street scenes instead.")
        Integer simulate;
    }

    /** What training frames go through. */
    public enum AugmentChoice {
        none,
        flip,
        full
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    DataSource source;

    @Option(
            names = "--train-split",
            defaultValue = "train",
            description = "Training split folder (default: ${DEFAULT-VALUE}).")
    String trainSplit;

    @Option(
            names = "--val-split",
            defaultValue = "val",
            description = "Validation split folder (default: ${DEFAULT-VALUE}).")
    String valSplit;

    @Option(
            names = "--void-index",
            defaultValue = "11",
            description =
                    "Label index ignored in loss and metrics (default: ${DEFAULT-VALUE},"
                            + " CamVid's).")
    int voidIndex;

    @Option(
            names = "--width",
            defaultValue = "240",
            description =
                    "Model input width, a multiple of 8; frames of any size are resized (default:"
                            + " ${DEFAULT-VALUE}).")
    int width;

    @Option(
            names = "--height",
            defaultValue = "176",
            description =
                    "Model input height, a multiple of 8 (default: ${DEFAULT-VALUE}: CamVid's 180"
                            + " rounded down).")
    int height;

    @Option(
            names = "--augment",
            defaultValue = "flip",
            description =
                    "${COMPLETION-CANDIDATES}: full adds random scale 0.75-1.5 with crop and colour"
                        + " jitter to flips, which pays off only in runs longer than an hour here"
                        + " (default: ${DEFAULT-VALUE}).")
    AugmentChoice augment;

    @Option(
            names = "--class-weighting",
            defaultValue = "true",
            negatable = true,
            fallbackValue = "true",
            description =
                    "Median-frequency class weights in the loss, for rare classes (default:"
                            + " ${DEFAULT-VALUE}).")
    boolean classWeighting;

    @Option(
            names = "--epochs",
            defaultValue = "100",
            description = "Most epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
            names = "--patience",
            defaultValue = "15",
            description =
                    "Stop after this many epochs without a better validation mIoU (default:"
                            + " ${DEFAULT-VALUE}).")
    int patience;

    @Option(
            names = "--max-minutes",
            defaultValue = "0",
            description =
                    "Time budget; the learning rate's cosine decay spans it, and the run stops when"
                            + " it is used; 0 = no limit (default: ${DEFAULT-VALUE}).")
    double maxMinutes;

    @Option(
            names = "--batch-size",
            defaultValue = "4",
            description = "Frames per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--learning-rate",
            defaultValue = "0.001",
            description = "Adam's peak learning rate (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--threads",
            defaultValue = "1",
            description = "PyTorch threads; 0 = one per core (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--name",
            defaultValue = "video-segmenter",
            description = "Model name (default: ${DEFAULT-VALUE}).")
    String name;

    @Mixin ModelOutputOptions output;

    @Mixin CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if (width < 8
                || height < 8
                || width % 8 != 0
                || height % 8 != 0
                || epochs < 1
                || patience < 1
                || batchSize < 1
                || !(learningRate > 0)
                || maxMinutes < 0
                || threads < 0) {
            throw new Main.UsageException(
                    "--width and --height multiples of 8 (>= 8); --epochs, --patience, --batch-size"
                            + " >= 1; --learning-rate > 0; --max-minutes, --threads >= 0");
        }
        ModelOutputOptions.Target target = output.target(name, common.configuration());
        SegmentationClasses classes;
        List<SegmentationSample> train;
        List<SegmentationSample> val;
        String described;
        if (source.simulate != null) {
            if (source.simulate < 4) {
                throw new Main.UsageException("--simulate needs at least 4 frames");
            }
            StreetSceneGenerator generator = new StreetSceneGenerator(seed);
            int valFrames = Math.max(2, source.simulate / 5);
            // other cameras (other streets) for validation than for training
            train = GeneratedScenes.samples(generator, 0, source.simulate, width, height);
            val = GeneratedScenes.samples(generator, 100_000, valFrames, width, height);
            classes = SegmentationClasses.camVid();
            described = "generated street scenes (seed " + seed + ")";
        } else {
            if (!Files.isDirectory(source.data)) {
                throw new Main.UsageException("data folder not found: " + source.data);
            }
            classes = CamVid.classes(source.data, voidIndex);
            train = CamVid.load(source.data, trainSplit, classes);
            val = CamVid.load(source.data, valSplit, classes);
            described = source.data + " (" + trainSplit + " / " + valSplit + ")";
        }
        System.out.printf(
                Locale.ROOT,
                "training %s@%s on %s: %d training, %d validation frames, %d classes, input"
                        + " %dx%d%n",
                name,
                target.version(),
                described,
                train.size(),
                val.size(),
                classes.count(),
                width,
                height);
        Augmentation augmentation =
                switch (augment) {
                    case none -> Augmentation.none();
                    case flip -> new Augmentation(true, 1f, 1f, 0f, 0f, 0f);
                    case full -> Augmentation.defaults();
                };
        SegmentationTrainer.TrainingConfig config =
                SegmentationTrainer.TrainingConfig.defaults()
                        .withEpochs(epochs, patience)
                        .withMaxMinutes(maxMinutes)
                        .withInputSize(width, height)
                        .withOptimizer(batchSize, learningRate, 1e-5f, 100, 0f, 1f)
                        .withAugmentation(augmentation, classWeighting)
                        .withSeed(seed)
                        .withThreads(threads);
        SegmentationTrainer.TrainingResult r =
                new SegmentationTrainer(train, val, classes, config)
                        .withSource(described)
                        .train(
                                target.dir(),
                                name,
                                target.version(),
                                SegmentationTrainingProgress.console(System.out));
        System.out.printf(
                Locale.ROOT,
                "best epoch %d of %d: validation mIoU %.4f, pixel accuracy %.4f; %.1f s%nmodel"
                        + " written to %s%n",
                r.bestEpoch(),
                r.epochsRun(),
                r.bestValidation().metrics().meanIou(),
                r.bestValidation().metrics().pixelAccuracy(),
                r.seconds(),
                r.modelDir().toAbsolutePath());
        return 0;
    }
}
