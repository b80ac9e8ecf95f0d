package io.attnstream.inference;

import io.attnstream.platform.AttnstreamException;
import java.io.Serializable;
import java.util.Locale;

/**
 * What {@code --device} asked for: {@code auto} (a GPU when DJL sees one, else CPU), {@code cpu},
 * {@code gpu} (GPU 0) or {@code gpu:N}. Serializable so Flink operators can carry it to
 * TaskManagers, where it is resolved against the devices that machine has.
 */
public record DeviceSpec(Kind kind, int gpuIndex) implements Serializable {
    public enum Kind {
        AUTO,
        CPU,
        GPU
    }

    public static final DeviceSpec AUTO = new DeviceSpec(Kind.AUTO, -1);
    public static final DeviceSpec CPU = new DeviceSpec(Kind.CPU, -1);

    public static DeviceSpec parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "auto":
                return AUTO;
            case "cpu":
                return CPU;
            case "gpu":
                return new DeviceSpec(Kind.GPU, 0);
            default:
                if (t.startsWith("gpu:")) {
                    try {
                        int n = Integer.parseInt(t.substring(4));
                        if (n >= 0) {
                            return new DeviceSpec(Kind.GPU, n);
                        }
                    } catch (NumberFormatException ignored) {
                        // fall through to the error below
                    }
                }
                throw new AttnstreamException(
                        "device must be auto, cpu, gpu or gpu:N (N >= 0), got '" + text + "'");
        }
    }

    @Override
    public String toString() {
        return switch (kind) {
            case AUTO -> "auto";
            case CPU -> "cpu";
            case GPU -> "gpu:" + gpuIndex;
        };
    }
}
