package io.attnstream.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code produce <source>}: simulated or replayed input records, written to the source's input
 * topic.
 */
@Command(
        name = "produce",
        mixinStandardHelpOptions = true,
        description =
                "Write input records to Kafka: a live simulator, or a replay of a dataset file.")
public final class ProduceCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new Main.UsageException(
                "name what to produce: "
                        + Main.subcommandNames(spec.commandLine())
                        + " (try 'attnstream produce --help')");
    }
}
