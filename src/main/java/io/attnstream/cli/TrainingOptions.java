package io.attnstream.cli;

import io.attnstream.training.Stopping;
import io.attnstream.training.TrainingConfigBuilder;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * The options every {@code train} command takes, as a picocli mixin: when to stop, the seed and
 * PyTorch's threads. They have no defaults of their own: the command's defaults provider answers
 * them from the family's training configuration, through {@link #defaultOf}.
 */
public final class TrainingOptions {
    @Option(names = "--epochs", description = "Most epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
            names = "--patience",
            description =
                    "Stop after this many epochs without a better validation score, the one the"
                            + " best epoch is chosen by (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(
            names = "--max-minutes",
            description =
                    "Time budget of the run, validations included: the epoch that would overrun it"
                            + " ends early and is validated as it is; 0 = no limit (default:"
                            + " ${DEFAULT-VALUE}).")
    double maxMinutes;

    @Option(
            names = "--seed",
            description =
                    "Random seed of the weights, dropout, the epoch order and any simulated data"
                            + " (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--threads",
            description =
                    "PyTorch threads for training; 0 = one per core. One is the safe choice on a"
                        + " shared machine: with the other core busy, two threads made a step"
                        + " 10-20x slower (OpenMP threads wait for a core); on an idle machine two"
                        + " are ~1.4x faster (default: ${DEFAULT-VALUE}).")
    int threads;

    /** --seed, which the commands' simulators share. */
    public long seed() {
        return seed;
    }

    /** Sets these options on a family's training configuration builder. */
    public <B extends TrainingConfigBuilder<B>> B applyTo(B builder) {
        return builder.optMaxEpochs(epochs)
                .optPatience(patience)
                .optMaxMinutes(maxMinutes)
                .optSeed(seed)
                .optThreads(threads);
    }

    /**
     * Builds a family's configuration from a command's options: a setting out of range (the
     * builder's {@link IllegalArgumentException}) is a one-line usage error naming it.
     */
    public static <C> C checked(Supplier<C> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage());
        }
    }

    /**
     * The default of one of these options from a family's defaults, or null for another option: for
     * a command's defaults provider.
     */
    public static Object defaultOf(String option, Stopping stopping, long seed, int threads) {
        return switch (option) {
            case "--epochs" -> stopping.maxEpochs();
            case "--patience" -> stopping.patience();
            case "--max-minutes" -> stopping.maxMinutes();
            case "--seed" -> seed;
            case "--threads" -> threads;
            default -> null;
        };
    }
}
