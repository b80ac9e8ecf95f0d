package io.attnstream.cli;

import picocli.CommandLine.Command;

/**
 * {@code produce <source>}: simulated or replayed input records, written to the source's input
 * topic.
 */
@Command(
        name = "produce",
        mixinStandardHelpOptions = true,
        description =
                "Write input records to Kafka: a live simulator, or a replay of a dataset file.",
        subcommands = {
            ProduceTrafficCommand.class,
            ProduceClicksCommand.class,
            ProduceVideoCommand.class
        })
public final class ProduceCommand implements Runnable {
    @Override
    public void run() {
        throw new Main.UsageException(
                "name what to produce: traffic or clicks (try 'attnstream produce --help')");
    }
}
