package io.attnstream.cli;

import io.attnstream.inference.ModelStore;
import io.attnstream.platform.AttnstreamOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Option;

/**
 * Where a {@code train} command writes its model: {@code --out} (the store root) and {@code
 * --version}. The model name stays with each command, whose default differs.
 */
public final class ModelOutputOptions {
    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Model store root (default: attnstream.models.root).")
    Path out;

    // not mixinStandardHelpOptions: its --version (the build's) would clash with --version (the
    // model's)
    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help message and exit.")
    boolean help;

    @Option(
            names = "--version",
            paramLabel = "V",
            description = "Model version (default: one above the highest in the store).")
    String version;

    /** A model directory to write: {@code <root>/<name>/<version>}. */
    public record Target(String version, Path dir) {}

    /**
     * Where model {@code name} goes: --version, else one above the highest in the store. A usage
     * error if that version already exists, so a finished model is never overwritten.
     */
    public Target target(String name, Configuration conf) {
        ModelStore store =
                new ModelStore(
                        out != null ? out : Path.of(conf.get(AttnstreamOptions.MODELS_ROOT)));
        String v = version != null ? version : store.nextVersion(name);
        Path dir = store.root().resolve(name).resolve(v);
        if (Files.exists(dir.resolve(ModelStore.SPEC_FILE))) {
            throw new Main.UsageException(
                    "model "
                            + name
                            + "@"
                            + v
                            + " already exists in "
                            + store.root()
                            + "; pick another --version");
        }
        return new Target(v, dir);
    }
}
