package io.attnstream.video.cli;

import io.attnstream.cli.CommonOptions;
import io.attnstream.cli.Main;
import io.attnstream.cli.ModelOutputOptions;
import io.attnstream.cli.TrainingDefaults;
import io.attnstream.cli.TrainingOptions;
import io.attnstream.video.data.CamVid;
import io.attnstream.video.data.SegmentationClasses;
import io.attnstream.video.data.SegmentationSample;
import io.attnstream.video.sim.GeneratedScenes;
import io.attnstream.video.sim.StreetSceneGenerator;
import io.attnstream.video.train.Augmentation;
import io.attnstream.video.train.SegmentationTrainer;
import io.attnstream.video.train.SegmentationTrainingConfig;
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
                    + " best validation mIoU goes to the model store. The learning rate's cosine"
                    + " decay spans --epochs or --max-minutes, whichever ends first.",
        defaultValueProvider = TrainVideoCommand.ConfigDefaults.class)
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

    /** What training frames go through: the command's names for {@link Augmentation}'s presets. */
    public enum AugmentChoice {
        none(Augmentation.none()),
        flip(Augmentation.flips()),
        full(Augmentation.full());

        private final Augmentation augmentation;

        AugmentChoice(Augmentation augmentation) {
            this.augmentation = augmentation;
        }

        public Augmentation augmentation() {
            return augmentation;
        }

        /**
         * @throws IllegalStateException when {@code augmentation} is none of the presets (the
         *     configuration's default must be one, or the command could not show it)
         */
        static AugmentChoice of(Augmentation augmentation) {
            for (AugmentChoice choice : values()) {
                if (choice.augmentation.equals(augmentation)) {
                    return choice;
                }
            }
            throw new IllegalStateException("no --augment choice is " + augmentation);
        }
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
            description =
                    "Model input width, a multiple of 8; frames of any size are resized (default:"
                            + " ${DEFAULT-VALUE}).")
    int width;

    @Option(
            names = "--height",
            description =
                    "Model input height, a multiple of 8 (default: ${DEFAULT-VALUE}: CamVid's 180"
                            + " rounded down).")
    int height;

    @Option(
            names = "--augment",
            description =
                    "${COMPLETION-CANDIDATES}: full adds random scale 0.75-1.5 with crop and colour"
                        + " jitter to flips, which pays off only in runs longer than an hour here"
                        + " (default: ${DEFAULT-VALUE}).")
    AugmentChoice augment;

    @Option(
            names = "--class-weighting",
            negatable = true,
            fallbackValue = "true",
            description =
                    "Median-frequency class weights in the loss, for rare classes;"
                            + " --no-class-weighting weighs every class 1 (default:"
                            + " ${DEFAULT-VALUE}).")
    boolean classWeighting;

    @Option(names = "--batch-size", description = "Frames per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--learning-rate",
            description = "Adam's peak learning rate (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(
            names = "--name",
            defaultValue = "video-segmenter",
            description = "Model name (default: ${DEFAULT-VALUE}).")
    String name;

    @Mixin TrainingOptions training;

    @Mixin ModelOutputOptions output;

    @Mixin CommonOptions common;

    @Override
    public Integer call() throws Exception {
        SegmentationTrainingConfig config = config();
        ModelOutputOptions.Target target = output.target(name, common.configuration());
        SegmentationClasses classes;
        List<SegmentationSample> train;
        List<SegmentationSample> val;
        String described;
        if (source.simulate != null) {
            if (source.simulate < 4) {
                throw new Main.UsageException("--simulate needs at least 4 frames");
            }
            StreetSceneGenerator generator = new StreetSceneGenerator(training.seed());
            int valFrames = Math.max(2, source.simulate / 5);
            // other cameras (other streets) for validation than for training
            train = GeneratedScenes.samples(generator, 0, source.simulate, width, height);
            val = GeneratedScenes.samples(generator, 100_000, valFrames, width, height);
            classes = SegmentationClasses.camVid();
            described = "generated street scenes (seed " + training.seed() + ")";
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

    /**
     * The options as a training configuration; the settings without an option keep their defaults.
     *
     * @throws Main.UsageException naming the setting out of range
     */
    SegmentationTrainingConfig config() {
        SegmentationTrainingConfig.Builder builder =
                training.applyTo(SegmentationTrainingConfig.builder())
                        .optBatchSize(batchSize)
                        .optLearningRate(learningRate)
                        .optInputSize(width, height)
                        .optAugmentation(augment.augmentation());
        if (!classWeighting) {
            // on (the default) keeps the configuration's exponent; off weighs every class 1
            builder.optClassWeightExponent(0f);
        }
        return TrainingOptions.checked(builder::build);
    }

    /**
     * Answers each training option's default from {@link SegmentationTrainingConfig#defaults()}, so
     * the command trains with the code's defaults and its help shows them.
     */
    static final class ConfigDefaults extends TrainingDefaults {
        private static final SegmentationTrainingConfig DEFAULTS =
                SegmentationTrainingConfig.defaults();

        ConfigDefaults() {
            super(DEFAULTS.stopping(), DEFAULTS.seed(), DEFAULTS.threads());
        }

        @Override
        protected Object familyDefault(String option) {
            SegmentationTrainingConfig.Optimization optimization = DEFAULTS.optimization();
            SegmentationTrainingConfig.Input input = DEFAULTS.input();
            return switch (option) {
                case "--batch-size" -> optimization.batchSize();
                case "--learning-rate" -> optimization.learningRate();
                case "--width" -> input.width();
                case "--height" -> input.height();
                case "--augment" -> AugmentChoice.of(input.augmentation()).name();
                case "--class-weighting" -> input.classWeightExponent() > 0;
                default -> null;
            };
        }
    }
}
