package io.attnstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code train <model>}: one subcommand per trainable model family. The built-in last-value
 * baseline has no parameters to train; the clicks and video models arrive with their pipelines.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description =
                "Train a model on a dataset and write its directory (parameters + model.json) to"
                        + " the model store.",
        subcommands = {
            TrainTrafficCommand.class,
            TrainClicksCommand.class,
            TrainVideoCommand.class
        })
public final class TrainCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new Main.UsageException(
                "name the model to train: traffic or clicks (try 'attnstream train --help')");
    }
}
