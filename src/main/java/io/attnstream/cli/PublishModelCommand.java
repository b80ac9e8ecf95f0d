package io.attnstream.cli;

import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.ModelStore;
import io.attnstream.platform.AttnstreamOptions;
import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.CheckedProducer;
import io.attnstream.platform.Topics;
import io.attnstream.schema.ModelUpdate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code publish-model}: tells running jobs to serve another model version (hot-swap). */
@Command(
        name = "publish-model",
        mixinStandardHelpOptions = true,
        description =
                "Write a ModelUpdate for a model directory to attnstream.model-updates: running"
                        + " jobs load it beside the served version and switch between batches. The"
                        + " directory must be readable at the same path by every TaskManager.")
public final class PublishModelCommand implements Callable<Integer> {
    @Option(
            names = "--model",
            required = true,
            paramLabel = "REF",
            description = "Model directory, or name[@version] under attnstream.models.root.")
    String model;

    @Option(
            names = "--issued-by",
            description = "Who publishes it, for audit (default: the user name).")
    String issuedBy;

    @Mixin CommonOptions common;

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var conf = common.configuration();
        Path dir =
                new ModelStore(Path.of(conf.get(AttnstreamOptions.MODELS_ROOT)))
                        .resolve(model)
                        .toAbsolutePath();
        ModelSpec m = ModelStore.readSpec(dir);
        String actual = ModelStore.sha256(dir.resolve(m.parameters().file()));
        if (!actual.equalsIgnoreCase(m.parameters().sha256())) {
            throw new Main.UsageException(
                    "parameter file "
                            + dir.resolve(m.parameters().file())
                            + " does not match its model.json checksum: not publishing a corrupt"
                            + " model");
        }
        ModelUpdate update =
                ModelUpdate.newBuilder()
                        .setModelName(m.name())
                        .setModelVersion(m.version())
                        .setLocation(dir.toString())
                        .setSha256(m.parameters().sha256())
                        .setIssuedAt(Instant.now())
                        .setIssuedBy(issuedBy != null ? issuedBy : System.getProperty("user.name"))
                        .build();
        String topic = common.topics(conf).name(Topics.MODEL_UPDATES);
        try (CheckedProducer producer =
                new CheckedProducer(common.kafka(conf), "attnstream-publish-model")) {
            producer.send(
                    new ProducerRecord<>(
                            topic,
                            m.name().getBytes(StandardCharsets.UTF_8),
                            AvroCodec.of(ModelUpdate.class).encode(update)));
            producer.flushAndCheck();
        }
        spec.commandLine().getOut().printf("published %s (%s) to %s%n", m.ref(), dir, topic);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
