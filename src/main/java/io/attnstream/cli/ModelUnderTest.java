package io.attnstream.cli;

import io.attnstream.inference.ModelStore;
import io.attnstream.platform.AttnstreamOptions;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What every {@code evaluate} subcommand of a model family takes: the model, where to write JSON,
 * the config.
 */
public final class ModelUnderTest {
    @Option(
            names = "--model",
            paramLabel = "REF",
            description =
                    "The model, a directory or name[@version] under" + " attnstream.models.root.")
    String model;

    @Option(
            names = "--json",
            paramLabel = "FILE",
            description = "Also write the metrics as JSON here.")
    Path json;

    @Mixin CommonOptions common;

    /** --json: where to write the metrics too, or null. */
    public Path json() {
        return json;
    }

    /**
     * The model's directory in the model store; a usage error naming {@code command} without
     * --model.
     */
    public Path directory(String command) {
        if (model == null) {
            throw new Main.UsageException(command + " needs --model");
        }
        return new ModelStore(Path.of(common.configuration().get(AttnstreamOptions.MODELS_ROOT)))
                .resolve(model);
    }
}
