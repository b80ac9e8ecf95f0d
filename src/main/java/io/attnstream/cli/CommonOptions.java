package io.attnstream.cli;

import io.attnstream.platform.AttnstreamOptions;
import io.attnstream.platform.KafkaSettings;
import io.attnstream.platform.Topics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import picocli.CommandLine.Option;

/**
 * Options every command shares: where Kafka is ({@code --bootstrap-servers}, repeatable {@code
 * --kafka-property}) and {@code -D key=value} for any attnstream or Flink option, as Flink's own
 * CLI has it.
 */
public final class CommonOptions {
    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT[,...]",
            description =
                    "Kafka to use (default: attnstream.kafka.bootstrap-servers = localhost:9092;"
                            + " demo starts an embedded broker unless this is given).")
    String bootstrapServers;

    @Option(
            names = "--kafka-property",
            paramLabel = "KEY=VALUE",
            description =
                    "Kafka client property passed through unchanged (SASL, SSL, ...); repeatable."
                            + " Values of secret-looking keys are never logged.")
    List<String> kafkaProperties = new ArrayList<>();

    @Option(
            names = "-D",
            paramLabel = "KEY=VALUE",
            mapFallbackValue = "",
            description =
                    "Set a configuration option (attnstream.* or any Flink option); repeatable.")
    Map<String, String> options = new LinkedHashMap<>();

    /** The -D options as a Flink configuration. */
    public Configuration configuration() {
        for (var e : options.entrySet()) {
            if (e.getKey().isBlank()) {
                throw new Main.UsageException("-D needs key=value");
            }
        }
        return Configuration.fromMap(options);
    }

    public boolean bootstrapGiven() {
        return bootstrapServers != null && !bootstrapServers.isBlank();
    }

    /**
     * Kafka settings: --bootstrap-servers, else the configured attnstream.kafka.bootstrap-servers.
     */
    public KafkaSettings kafka(ReadableConfig conf) {
        return kafkaOr(conf.get(AttnstreamOptions.BOOTSTRAP_SERVERS));
    }

    /**
     * Kafka settings, with the given bootstrap servers when none were passed (e.g. the embedded
     * broker's).
     */
    public KafkaSettings kafkaOr(String fallbackBootstrap) {
        Map<String, String> props = new LinkedHashMap<>();
        for (String kv : kafkaProperties) {
            var e = KafkaSettings.parseProperty(kv);
            props.put(e.getKey(), e.getValue());
        }
        return new KafkaSettings(bootstrapGiven() ? bootstrapServers : fallbackBootstrap, props);
    }

    /** Topic names; a badly typed -D value is a usage error. */
    public Topics topics(ReadableConfig conf) {
        return Settings.topics(conf);
    }
}
