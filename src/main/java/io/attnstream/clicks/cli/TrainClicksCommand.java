package io.attnstream.clicks.cli;

import io.attnstream.cli.CommonOptions;
import io.attnstream.cli.Main;
import io.attnstream.cli.ModelOutputOptions;
import io.attnstream.cli.TrainingDefaults;
import io.attnstream.cli.TrainingOptions;
import io.attnstream.clicks.data.Interactions;
import io.attnstream.clicks.model.SequenceLoss;
import io.attnstream.clicks.sim.ClickstreamSimulator;
import io.attnstream.clicks.train.SequenceTrainer;
import io.attnstream.clicks.train.SequenceTrainingConfig;
import io.attnstream.clicks.train.SequenceTrainingProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code train clicks}: the self-attentive sequential recommender with the SASRec paper's recipe,
 * leave-one-out (each user's last item is held out for evaluate, the second to last validates),
 * written to the model store.
 */
@Command(
        name = "clicks",
        description =
                "Train the sequential recommender on an interaction file (or a simulated shop) and"
                    + " write it to the model store as <out>/<name>/<version>. Each user's last"
                    + " item is never read (it is the test item of 'evaluate clicks'); the second"
                    + " to last selects the best epoch.",
        defaultValueProvider = TrainClicksCommand.ConfigDefaults.class)
public final class TrainClicksCommand implements Callable<Integer> {
    static class DataSource {
        @Option(
                names = "--data",
                paramLabel = "FILE",
                description = "Interaction file, users' actions in time order.")
        Path data;

        @Option(
                names = "--simulate",
                paramLabel = "USERS",
                description = "Train on a simulated shop with this many users instead.")
        Integer simulate;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    DataSource source;

    @Option(
            names = "--format",
            defaultValue = "user_item",
            description = "Layout of --data: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    ProduceClicksCommand.Format format;

    @Option(
            names = "--items",
            defaultValue = "2000",
            description = "--simulate: catalogue size (default: ${DEFAULT-VALUE}).")
    int items;

    @Option(
            names = "--events-per-user",
            defaultValue = "30",
            description = "--simulate: mean events per user (default: ${DEFAULT-VALUE}).")
    int eventsPerUser;

    @Option(
            names = "--name",
            defaultValue = "clicks-sasrec",
            description = "Model name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--batch-size", description = "Users per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--learning-rate",
            description =
                    "Adam learning rate; measured on amazon-games, 3e-3 left the popularity plateau"
                            + " after ~9 epochs, the paper's 1e-3 after ~22 (default:"
                            + " ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(
            names = "--loss",
            converter = LossConverter.class,
            description =
                    "bce (the paper's: one sampled negative per position) or sampled-softmax"
                        + " (cross-entropy against --negatives items shared by the batch) (default:"
                        + " ${DEFAULT-VALUE}).")
    SequenceLoss loss;

    @Option(
            names = "--negatives",
            description =
                    "Sampled negatives: per position for bce (default "
                            + SequenceTrainingConfig.BCE_NEGATIVES
                            + ", as the paper), per batch for sampled-softmax (default "
                            + SequenceTrainingConfig.SAMPLED_SOFTMAX_NEGATIVES
                            + ": on amazon-games it learnt faster per minute than 256).")
    Integer negatives;

    @Option(
            names = "--rate-decay-patience",
            description =
                    "Halve the learning rate after this many epochs without a better validation"
                            + " NDCG@10, down to 1/64 of it; 0 = fixed rate (default:"
                            + " ${DEFAULT-VALUE}).")
    int rateDecayPatience;

    @Option(
            names = "--max-length",
            description =
                    "L, history length; on amazon-games (~6 items per user) 20 learnt exactly as 50"
                            + " did, at 2.5x less time per epoch (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--model-size", description = "d (default: ${DEFAULT-VALUE}).")
    int modelSize;

    @Option(names = "--heads", description = "Attention heads (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--layers", description = "Attention blocks (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(
            names = "--dropout",
            description = "Dropout (default: ${DEFAULT-VALUE}, the paper's for sparse data).")
    float dropout;

    @Mixin TrainingOptions training;

    @Mixin ModelOutputOptions output;

    @Mixin CommonOptions common;

    @Override
    public Integer call() throws Exception {
        SequenceTrainingConfig config = config();
        if (items < 3 || eventsPerUser < 3) {
            throw new Main.UsageException("--items, --events-per-user must be >= 3");
        }
        ModelOutputOptions.Target target = output.target(name, common.configuration());
        Interactions data;
        String described;
        if (source.simulate != null) {
            if (source.simulate < 2) {
                throw new Main.UsageException("--simulate needs at least 2 users");
            }
            data =
                    ClickstreamSimulator.builder()
                            .users(source.simulate)
                            .items(items)
                            .seed(training.seed())
                            .build()
                            .interactions(eventsPerUser);
            described =
                    "a simulated shop ("
                            + source.simulate
                            + " users, "
                            + items
                            + " items, seed "
                            + training.seed()
                            + ")";
        } else {
            if (!Files.isReadable(source.data)) {
                throw new Main.UsageException("data file not found or unreadable: " + source.data);
            }
            data = read(source.data, format);
            described = source.data.toString();
        }
        System.out.printf(
                Locale.ROOT,
                "training %s@%s on %s: %d users, %d items, %d interactions%n",
                name,
                target.version(),
                described,
                data.users().size(),
                data.items().size(),
                data.size());
        SequenceTrainer trainer = new SequenceTrainer(data.sequences(), config);
        if (source.data != null) {
            trainer = trainer.withSourceFile(source.data);
        }
        SequenceTrainer.TrainingResult r =
                trainer.train(
                        target.dir(),
                        name,
                        target.version(),
                        SequenceTrainingProgress.console(System.out));
        System.out.printf(
                Locale.ROOT,
                "best epoch %d of %d: validation HR@10 %.4f NDCG@10 %.4f (most popular %.4f /"
                        + " %.4f); %.1f s%nmodel written to %s%n",
                r.bestEpoch(),
                r.epochsRun(),
                r.bestValidation().hr(10),
                r.bestValidation().ndcg(10),
                r.mostPopularValidation().hr(10),
                r.mostPopularValidation().ndcg(10),
                r.seconds(),
                r.modelDir().toAbsolutePath());
        return 0;
    }

    /**
     * The options as a training configuration; the validation negatives are seeded with --seed too.
     *
     * @throws Main.UsageException naming the setting out of range
     */
    SequenceTrainingConfig config() {
        SequenceTrainingConfig.Builder builder =
                training.applyTo(SequenceTrainingConfig.builder())
                        .optBatchSize(batchSize)
                        .optLearningRate(learningRate)
                        .optLoss(loss)
                        .optRateDecayPatience(rateDecayPatience)
                        .optMaxLength(maxLength)
                        .optModelSize(modelSize)
                        .optHeads(heads)
                        .optLayers(layers)
                        .optDropout(dropout)
                        .optValidationSeed(training.seed());
        if (negatives != null) {
            builder.optNegatives(negatives);
        }
        return TrainingOptions.checked(builder::build);
    }

    /**
     * Answers each training option's default from {@link SequenceTrainingConfig#defaults()}, so the
     * command trains with the code's defaults and its help shows them.
     */
    static final class ConfigDefaults extends TrainingDefaults {
        private static final SequenceTrainingConfig DEFAULTS = SequenceTrainingConfig.defaults();

        ConfigDefaults() {
            super(DEFAULTS.stopping(), DEFAULTS.seed(), DEFAULTS.threads());
        }

        @Override
        protected Object familyDefault(String option) {
            SequenceTrainingConfig.Optimization optimization = DEFAULTS.optimization();
            SequenceTrainingConfig.Architecture architecture = DEFAULTS.architecture();
            return switch (option) {
                case "--batch-size" -> optimization.batchSize();
                case "--learning-rate" -> optimization.learningRate();
                case "--loss" -> optimization.loss().label();
                case "--rate-decay-patience" -> optimization.rateDecayPatience();
                case "--max-length" -> architecture.maxLength();
                case "--model-size" -> architecture.modelSize();
                case "--heads" -> architecture.heads();
                case "--layers" -> architecture.layers();
                case "--dropout" -> architecture.dropout();
                default -> null;
            };
        }
    }

    static Interactions read(Path file, ProduceClicksCommand.Format format) {
        return switch (format) {
            case user_item -> Interactions.readUserItemLines(file);
            case csv -> Interactions.readCsv(file);
            case diginetica -> Interactions.readDiginetica(file);
        };
    }

    /** Parses {@code --loss}: an unknown value is a usage error naming the accepted ones. */
    static final class LossConverter implements CommandLine.ITypeConverter<SequenceLoss> {
        @Override
        public SequenceLoss convert(String value) {
            try {
                return SequenceLoss.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
