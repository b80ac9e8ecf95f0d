package io.attnstream.cli;

import picocli.CommandLine.Option;

/** {@code --duration} of the produce commands: how long to write before stopping. */
public final class ProduceDuration {
    @Option(
            names = "--duration",
            paramLabel = "SECONDS",
            description =
                    "Stop after this many seconds (default: run until the replay ends or Ctrl-C).")
    Long seconds;

    /** The seconds to write for, null for no limit; a usage error unless positive. */
    public Long checkedSeconds() {
        if (seconds != null && seconds <= 0) {
            throw new Main.UsageException("--duration must be positive");
        }
        return seconds;
    }
}
