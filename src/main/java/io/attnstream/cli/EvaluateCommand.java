package io.attnstream.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code evaluate <what>}: one subcommand per model family (and the traffic baselines), as {@code
 * train}.
 */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = "Evaluate a model on held-out data with the dataset's published protocol.")
public final class EvaluateCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new Main.UsageException(
                "name what to evaluate: "
                        + Main.subcommandNames(spec.commandLine())
                        + " (try 'attnstream evaluate --help')");
    }
}
