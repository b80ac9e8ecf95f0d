package io.attnstream.platform;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How to reach Kafka: bootstrap servers plus client properties passed through unchanged (SASL, SSL,
 * ...). {@link #toString()} redacts values of keys that look secret, so the settings can be logged.
 */
public final class KafkaSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Keys whose values must never be printed: passwords, JAAS configs, tokens, keys, credentials.
     */
    private static final Pattern SECRET_KEY =
            Pattern.compile(
                    "(?i).*(password|secret|jaas|token|credential|private|apikey|api\\.key|\\.key$|keystore\\.key"
                        + "|user\\.info|basic\\.auth).*");

    static final String REDACTED = "******";

    private final String bootstrapServers;
    private final Map<String, String> properties;

    public KafkaSettings(String bootstrapServers, Map<String, String> properties) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new AttnstreamException("Kafka bootstrap servers must not be empty");
        }
        this.bootstrapServers = bootstrapServers.trim();
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    public static KafkaSettings of(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, Map.of());
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Pass-through client properties, without bootstrap.servers. */
    public Map<String, String> properties() {
        return properties;
    }

    /**
     * Client properties including bootstrap.servers, for admin clients, producers and consumers
     * alike.
     */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.putAll(properties);
        p.setProperty("bootstrap.servers", bootstrapServers);
        return p;
    }

    public static boolean isSecretKey(String key) {
        return SECRET_KEY.matcher(key).matches();
    }

    /**
     * Parses one {@code key=value} argument. The value may itself contain '=' (JAAS configs do).
     */
    public static Map.Entry<String, String> parseProperty(String keyValue) {
        int eq = keyValue.indexOf('=');
        if (eq <= 0) {
            throw new AttnstreamException(
                    "Kafka property must be key=value, got '"
                            + (isSecretKey(keyValue) ? REDACTED : keyValue)
                            + "'");
        }
        return Map.entry(keyValue.substring(0, eq).trim(), keyValue.substring(eq + 1));
    }

    @Override
    public String toString() {
        String props =
                properties.entrySet().stream()
                        .map(
                                e ->
                                        e.getKey()
                                                + "="
                                                + (isSecretKey(e.getKey())
                                                        ? REDACTED
                                                        : e.getValue()))
                        .collect(Collectors.joining(", ", "{", "}"));
        return "KafkaSettings{bootstrap.servers="
                + bootstrapServers
                + ", properties="
                + props
                + "}";
    }
}
