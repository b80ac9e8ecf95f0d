package io.attnstream.cli;

import io.attnstream.inference.DeviceSpec;
import io.attnstream.platform.AttnstreamException;
import io.attnstream.platform.AttnstreamOptions;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Option;

/**
 * {@code --device auto|cpu|gpu[:N]}, validated when parsed and mapped onto
 * attnstream.inference.device.
 */
public final class DeviceOption {
    @Option(
            names = "--device",
            paramLabel = "auto|cpu|gpu[:N]",
            description =
                    "Where models run: auto (GPU when DJL sees one, else CPU), cpu, gpu or gpu:N"
                            + " (default: auto).")
    String device;

    /** The requested device: the flag, else -D attnstream.inference.device, else auto. */
    public DeviceSpec spec(Configuration conf) {
        String text = device != null ? device : conf.get(AttnstreamOptions.DEVICE);
        try {
            return DeviceSpec.parse(text);
        } catch (AttnstreamException e) {
            throw new Main.UsageException(e.getMessage());
        }
    }

    /** Whether --device was on the command line. */
    public boolean given() {
        return device != null;
    }

    /** Writes the validated device into the configuration the job carries to the TaskManagers. */
    public void applyTo(Configuration conf) {
        conf.set(AttnstreamOptions.DEVICE, spec(conf).toString());
    }
}
