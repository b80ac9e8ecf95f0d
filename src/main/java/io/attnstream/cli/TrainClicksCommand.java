package io.attnstream.cli;

import io.attnstream.clicks.data.Interactions;
import io.attnstream.clicks.model.SequenceLoss;
import io.attnstream.clicks.sim.ClickstreamSimulator;
import io.attnstream.clicks.train.SequenceTrainer;
import io.attnstream.clicks.train.SequenceTrainingProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
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
                    + " to last selects the best epoch.")
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

    @Option(
            names = "--epochs",
            defaultValue = "200",
            description = "Most epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
            names = "--patience",
            defaultValue = "20",
            description =
                    "Stop after this many epochs without a better validation NDCG@10 (default:"
                            + " ${DEFAULT-VALUE}).")
    int patience;

    @Option(
            names = "--max-minutes",
            defaultValue = "0",
            description =
                    "Time budget of the run, validations included: the epoch that would overrun it"
                            + " ends early and is validated as it is; 0 = no limit (default:"
                            + " ${DEFAULT-VALUE}).")
    double maxMinutes;

    @Option(
            names = "--batch-size",
            defaultValue = "128",
            description = "Users per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--learning-rate",
            defaultValue = "0.003",
            description =
                    "Adam learning rate; measured on amazon-games, 3e-3 left the popularity plateau"
                            + " after ~9 epochs, the paper's 1e-3 after ~22 (default:"
                            + " ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(
            names = "--loss",
            defaultValue = "sampled-softmax",
            converter = LossConverter.class,
            description =
                    "bce (the paper's: one sampled negative per position) or sampled-softmax"
                        + " (cross-entropy against --negatives items shared by the batch) (default:"
                        + " ${DEFAULT-VALUE}).")
    SequenceLoss loss;

    @Option(
            names = "--negatives",
            description =
                    "Sampled negatives: per position for bce (default 1, as the paper), per batch"
                        + " for sampled-softmax (default 1024: on amazon-games it learnt faster per"
                        + " minute than 256).")
    Integer negatives;

    @Option(
            names = "--rate-decay-patience",
            defaultValue = "5",
            description =
                    "Halve the learning rate after this many epochs without a better validation"
                            + " NDCG@10, down to 1/64 of it; 0 = fixed rate (default:"
                            + " ${DEFAULT-VALUE}).")
    int rateDecayPatience;

    @Option(
            names = "--max-length",
            defaultValue = "20",
            description =
                    "L, history length; on amazon-games (~6 items per user) 20 learnt exactly as 50"
                            + " did, at 2.5x less time per epoch (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(
            names = "--model-size",
            defaultValue = "50",
            description = "d (default: ${DEFAULT-VALUE}).")
    int modelSize;

    @Option(
            names = "--heads",
            defaultValue = "1",
            description = "Attention heads (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(
            names = "--layers",
            defaultValue = "2",
            description = "Attention blocks (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(
            names = "--dropout",
            defaultValue = "0.5",
            description = "Dropout (default: ${DEFAULT-VALUE}, the paper's for sparse data).")
    float dropout;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--threads",
            defaultValue = "1",
            description =
                    "PyTorch threads for training; 0 = one per core. One is the safe"
                            + " choice on a shared machine (default: ${DEFAULT-VALUE}).")
    int threads;

    @Mixin ModelOutputOptions output;

    @Mixin CommonOptions common;

    @Override
    public Integer call() throws Exception {
        int negatives =
                this.negatives != null ? this.negatives : loss == SequenceLoss.BCE ? 1 : 1024;
        if (epochs < 1
                || patience < 1
                || batchSize < 1
                || !(learningRate > 0)
                || maxMinutes < 0
                || negatives < 1
                || threads < 0
                || rateDecayPatience < 0
                || maxLength < 1
                || layers < 1
                || heads < 1
                || modelSize % heads != 0
                || !(dropout >= 0 && dropout < 1)
                || items < 3
                || eventsPerUser < 3) {
            throw new Main.UsageException(
                    "--epochs, --patience, --batch-size, --negatives, --max-length, --layers must"
                            + " be >= 1; --learning-rate > 0; --max-minutes, --threads,"
                            + " --rate-decay-patience >= 0; --model-size a multiple of --heads;"
                            + " --dropout in [0, 1); --items, --events-per-user >= 3");
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
                            .seed(seed)
                            .build()
                            .interactions(eventsPerUser);
            described =
                    "a simulated shop ("
                            + source.simulate
                            + " users, "
                            + items
                            + " items, seed "
                            + seed
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
        SequenceTrainer.TrainingConfig config =
                SequenceTrainer.TrainingConfig.defaults()
                        .withEpochs(epochs, patience, 1)
                        .withMaxMinutes(maxMinutes)
                        .withOptimizer(batchSize, learningRate, negatives, 5f)
                        .withLoss(loss, negatives)
                        .withRateDecay(rateDecayPatience)
                        .withModel(maxLength, modelSize, heads, layers, dropout)
                        .withSeeds(seed, seed)
                        .withThreads(threads);
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

    static Interactions read(Path file, ProduceClicksCommand.Format format) {
        return switch (format) {
            case user_item -> Interactions.readUserItemLines(file);
            case csv -> Interactions.readCsv(file);
            case diginetica -> Interactions.readDiginetica(file);
        };
    }

    /** Parses {@code --loss}: an unknown value is a usage error naming the accepted ones. */
    static final class LossConverter implements picocli.CommandLine.ITypeConverter<SequenceLoss> {
        @Override
        public SequenceLoss convert(String value) {
            try {
                return SequenceLoss.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
