package io.attnstream.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KafkaSettingsTest {
    private static final String JAAS =
            "org.apache.kafka.common.security.plain.PlainLoginModule required"
                    + " username=\"alice\" password=\"s3cr3t=\";";

    @Test
    void parsePropertySplitsOnFirstEqualsOnly() {
        Map.Entry<String, String> e = KafkaSettings.parseProperty("sasl.jaas.config=" + JAAS);

        assertThat(e.getKey()).isEqualTo("sasl.jaas.config");
        assertThat(e.getValue()).isEqualTo(JAAS);
    }

    @Test
    void parsePropertyTrimsKeyAndKeepsValueVerbatim() {
        Map.Entry<String, String> e = KafkaSettings.parseProperty(" security.protocol =SASL_SSL");

        assertThat(e.getKey()).isEqualTo("security.protocol");
        assertThat(e.getValue()).isEqualTo("SASL_SSL");
    }

    @Test
    void parsePropertyAcceptsEmptyValue() {
        Map.Entry<String, String> e = KafkaSettings.parseProperty("client.id=");

        assertThat(e.getKey()).isEqualTo("client.id");
        assertThat(e.getValue()).isEmpty();
    }

    @Test
    void parsePropertyRejectsMissingEqualsNamingTheArgument() {
        assertThatThrownBy(() -> KafkaSettings.parseProperty("novalue"))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage("Kafka property must be key=value, got 'novalue'");
    }

    @Test
    void parsePropertyRejectsEmptyKey() {
        assertThatThrownBy(() -> KafkaSettings.parseProperty("=value"))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage("Kafka property must be key=value, got '=value'");
    }

    @Test
    void parsePropertyRedactsMalformedArgumentThatLooksSecret() {
        assertThatThrownBy(() -> KafkaSettings.parseProperty("ssl.key.password:hunter2"))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage("Kafka property must be key=value, got '******'")
                .hasMessageNotContaining("hunter2");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "sasl.jaas.config",
                "ssl.keystore.password",
                "ssl.key.password",
                "ssl.truststore.password",
                "ssl.keystore.key",
                "sasl.oauthbearer.client.credentials.client.secret",
                "SASL.JAAS.CONFIG",
                "sasl.oauthbearer.assertion.private.key.file",
                "my.api.key",
                "confluent.apikey",
                "sasl.login.token"
            })
    void secretLookingKeysAreSecret(String key) {
        assertThat(KafkaSettings.isSecretKey(key)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "bootstrap.servers",
                "security.protocol",
                "sasl.mechanism",
                "ssl.keystore.location",
                "ssl.keystore.type",
                "client.id",
                "acks",
                "ssl.truststore.location"
            })
    void ordinaryKeysAreNotSecret(String key) {
        assertThat(KafkaSettings.isSecretKey(key)).isFalse();
    }

    /**
     * Schema-registry style credentials ("user:password") pass through --kafka-property too, but
     * the pattern has no alternative for them, so toString() would print them. Enable once
     * SECRET_KEY covers user.info / auth keys.
     */
    @ParameterizedTest
    @ValueSource(strings = {"basic.auth.user.info", "schema.registry.basic.auth.user.info"})
    void basicAuthUserInfoIsSecret(String key) {
        assertThat(KafkaSettings.isSecretKey(key)).isTrue();
    }

    @Test
    void toStringRedactsSecretValuesAndShowsOthers() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("security.protocol", "SASL_SSL");
        props.put("sasl.jaas.config", JAAS);
        props.put("ssl.keystore.password", "keystore-pw-1");
        props.put("ssl.key.password", "key-pw-2");
        props.put("ssl.keystore.location", "/etc/kafka/client.jks");
        KafkaSettings settings = new KafkaSettings(" broker1:9092,broker2:9092 ", props);

        String s = settings.toString();

        assertThat(s)
                .isEqualTo(
                        "KafkaSettings{bootstrap.servers=broker1:9092,broker2:9092,"
                            + " properties={security.protocol=SASL_SSL, sasl.jaas.config=******,"
                            + " ssl.keystore.password=******, ssl.key.password=******,"
                            + " ssl.keystore.location=/etc/kafka/client.jks}}");
        assertThat(s).doesNotContain("s3cr3t", "alice", "keystore-pw-1", "key-pw-2");
    }

    @Test
    void clientPropertiesHoldBootstrapServersAndPassThroughValuesUnredacted() {
        KafkaSettings settings =
                new KafkaSettings(
                        "broker:9093",
                        Map.of("sasl.jaas.config", JAAS, "security.protocol", "SASL_SSL"));

        Properties p = settings.clientProperties();

        assertThat(p)
                .containsOnly(
                        Map.entry("bootstrap.servers", "broker:9093"),
                        Map.entry("sasl.jaas.config", JAAS),
                        Map.entry("security.protocol", "SASL_SSL"));
        assertThat(settings.properties()).doesNotContainKey("bootstrap.servers");
    }

    @Test
    void bootstrapServersPropertyCannotOverrideTheExplicitOne() {
        KafkaSettings settings =
                new KafkaSettings("explicit:9092", Map.of("bootstrap.servers", "other:9092"));

        assertThat(settings.clientProperties().getProperty("bootstrap.servers"))
                .isEqualTo("explicit:9092");
    }

    @Test
    void blankBootstrapServersAreRejected() {
        assertThatThrownBy(() -> KafkaSettings.of("  "))
                .isInstanceOf(AttnstreamException.class)
                .hasMessage("Kafka bootstrap servers must not be empty");
    }

    @Test
    void propertiesAreACopyAndUnmodifiable() {
        Map<String, String> props = new LinkedHashMap<>(Map.of("acks", "all"));
        KafkaSettings settings = new KafkaSettings("b:1", props);
        props.put("acks", "0");

        assertThat(settings.properties()).containsExactly(Map.entry("acks", "all"));
        assertThatThrownBy(() -> settings.properties().put("x", "y"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
