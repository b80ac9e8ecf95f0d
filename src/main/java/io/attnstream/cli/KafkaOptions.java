package io.attnstream.cli;

import io.attnstream.platform.AttnstreamOptions;
import io.attnstream.platform.KafkaSettings;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --bootstrap-servers} and repeatable {@code --kafka-property key=value}, shared by every command. */
public final class KafkaOptions {
    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka to use (default: ${DEFAULT-VALUE}; demo starts an embedded broker unless this is given).")
    String bootstrapServers;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "Kafka client property passed through unchanged (SASL, SSL, ...); repeatable. Values of"
                    + " secret-looking keys are never logged.")
    List<String> properties = new ArrayList<>();

    public boolean bootstrapGiven() {
        return bootstrapServers != null && !bootstrapServers.isBlank();
    }

    public KafkaSettings settings() {
        return settingsOr(AttnstreamOptions.BOOTSTRAP_SERVERS.defaultValue());
    }

    /** The settings, using the given bootstrap servers when none were passed (e.g. the embedded broker's). */
    public KafkaSettings settingsOr(String fallbackBootstrap) {
        Map<String, String> props = new LinkedHashMap<>();
        for (String kv : properties) {
            var e = KafkaSettings.parseProperty(kv);
            props.put(e.getKey(), e.getValue());
        }
        return new KafkaSettings(bootstrapGiven() ? bootstrapServers : fallbackBootstrap, props);
    }
}
