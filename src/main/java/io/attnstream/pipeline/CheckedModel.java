package io.attnstream.pipeline;

import ai.djl.Device;
import io.attnstream.inference.LoadedModel;
import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.ModelStore;
import io.attnstream.platform.AttnstreamException;
import io.attnstream.platform.AttnstreamOptions;
import java.nio.file.Path;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

/**
 * A pipeline's model, resolved and loaded once on the client before the job is submitted, so a
 * missing, corrupt or wrong-kind model is one clear error here rather than a failing task on the
 * cluster.
 */
public record CheckedModel(Path dir, ModelSpec spec) {

    public static CheckedModel of(ReadableConfig conf, ConfigOption<String> option, String kind) {
        Path dir =
                new ModelStore(Path.of(conf.get(AttnstreamOptions.MODELS_ROOT)))
                        .resolve(conf.get(option));
        ModelSpec spec;
        try (LoadedModel m = ModelStore.load(dir, Device.cpu())) {
            spec = m.spec();
        }
        if (!kind.equals(spec.kind())) {
            throw new AttnstreamException(
                    dir
                            + " holds a '"
                            + spec.kind()
                            + "' model; "
                            + option.key()
                            + " needs a '"
                            + kind
                            + "' model");
        }
        return new CheckedModel(dir.toAbsolutePath(), spec);
    }
}
