package io.attnstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code train <model>}: one subcommand per trainable model family, brought by its pipeline ({@link
 * PipelineCommands}). The last-value baseline has no parameters to train.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description =
                "Train a model on a dataset and write its directory (parameters + model.json) to"
                        + " the model store.")
public final class TrainCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new Main.UsageException(
                "name the model to train: "
                        + Main.subcommandNames(spec.commandLine())
                        + " (try 'attnstream train --help')");
    }
}
