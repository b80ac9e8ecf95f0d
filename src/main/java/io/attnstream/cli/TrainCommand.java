package io.attnstream.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/**
 * {@code train <model>}. The trainable models (traffic forecaster, sequential recommender, segmentation network)
 * are registered here as each pipeline lands; the built-in last-value baseline has no parameters to train.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model on a dataset and write its directory (parameters + model.json).")
public final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "Model to train.")
    String model;

    @Override
    public Integer call() {
        if ("last-value".equals(model)) {
            throw new Main.UsageException("model 'last-value' is a fixed baseline with nothing to train");
        }
        throw new Main.UsageException("no trainable model named '" + model + "' in this build; trainable models:"
                + " none yet (the traffic, clicks and video models arrive with their pipelines)");
    }
}
