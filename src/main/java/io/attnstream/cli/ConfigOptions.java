package io.attnstream.cli;

import io.attnstream.platform.AttnstreamException;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code -D key=value}: any attnstream option ({@code attnstream.*}) or Flink option, like Flink's own CLI. */
public final class ConfigOptions {
    @Option(names = "-D", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Set a configuration option (attnstream.* or any Flink option); repeatable.")
    Map<String, String> values = new LinkedHashMap<>();

    public Configuration toConfiguration() {
        for (var e : values.entrySet()) {
            if (e.getKey().isBlank()) {
                throw new Main.UsageException("-D needs key=value");
            }
        }
        try {
            return Configuration.fromMap(values);
        } catch (RuntimeException e) {
            throw new AttnstreamException("bad -D option: " + e.getMessage(), e);
        }
    }
}
