package io.attnstream.cli;

import io.attnstream.training.Stopping;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A {@code train} command's defaults provider: it answers each option's default from the family's
 * training configuration, so the command trains with the code's defaults and its help shows them.
 * The {@link TrainingOptions} are answered here; a family answers its own options.
 */
public abstract class TrainingDefaults implements IDefaultValueProvider {
    private final Stopping stopping;
    private final long seed;
    private final int threads;

    /** The family's defaults of the shared options. */
    protected TrainingDefaults(Stopping stopping, long seed, int threads) {
        this.stopping = stopping;
        this.seed = seed;
        this.threads = threads;
    }

    @Override
    public final String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        String name = option.longestName();
        Object value = TrainingOptions.defaultOf(name, stopping, seed, threads);
        if (value == null) {
            value = familyDefault(name);
        }
        return value == null ? null : String.valueOf(value);
    }

    /** The default of one of the command's own options (its longest name), or null for none. */
    protected abstract Object familyDefault(String option);
}
