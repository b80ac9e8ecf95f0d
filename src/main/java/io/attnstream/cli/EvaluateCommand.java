package io.attnstream.cli;

import picocli.CommandLine.Command;

/**
 * {@code evaluate <what>}: one subcommand per model family (and the traffic baselines), as {@code
 * train}.
 */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = "Evaluate a model on held-out data with the dataset's published protocol.",
        subcommands = {
            EvaluateTrafficCommand.class,
            EvaluateClicksCommand.class,
            EvaluateVideoCommand.class,
            EvaluateLastValueCommand.class
        })
public final class EvaluateCommand implements Runnable {
    @Override
    public void run() {
        throw new Main.UsageException(
                "name what to evaluate: traffic, clicks, video or last-value"
                        + " (try 'attnstream evaluate --help')");
    }
}
