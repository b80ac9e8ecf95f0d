package io.attnstream.traffic.cli;

import picocli.CommandLine.Command;

/**
 * {@code evaluate last-value}: the traffic baselines alone (last value, historical average) on the
 * same windows.
 */
@Command(
        name = "last-value",
        mixinStandardHelpOptions = true,
        description =
                "The traffic baselines alone: last value and historical average on the windows of a"
                        + " speed matrix (with --model, the forecaster too).")
public final class EvaluateLastValueCommand extends EvaluateTrafficCommand {
    @Override
    boolean modelRequired() {
        return false;
    }
}
