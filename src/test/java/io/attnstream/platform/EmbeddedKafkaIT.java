package io.attnstream.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.schema.TrafficReading;
import io.attnstream.testing.EmbeddedKafkaExtension;
import io.attnstream.testing.TrafficFixtures;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmbeddedKafkaIT {
    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void avroRecordsRoundTripThroughTheBrokerInPartitionOrder() throws Exception {
        KAFKA.createTopics(3, "it.roundtrip");
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        List<TrafficReading> sent = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            TrafficReading r = TrafficFixtures.reading("s" + (i % 6), i, 30f + i);
            sent.add(r);
            records.add(
                    new ProducerRecord<>(
                            "it.roundtrip",
                            r.getSensorId().getBytes(StandardCharsets.UTF_8),
                            TrafficFixtures.bytes(r)));
        }
        List<RecordMetadata> meta = KAFKA.produce(records);
        assertThat(meta.stream().map(RecordMetadata::partition).distinct()).hasSizeGreaterThan(1);

        List<ConsumerRecord<byte[], byte[]>> got =
                KAFKA.consume("it.roundtrip", true, 60, Duration.ofSeconds(30));
        assertThat(got).hasSize(60);
        AvroCodec<TrafficReading> codec = AvroCodec.of(TrafficReading.class);
        List<TrafficReading> decoded = new ArrayList<>();
        for (var r : got) {
            decoded.add(codec.decode(r.value()));
        }
        assertThat(decoded).containsExactlyInAnyOrderElementsOf(sent);
        // Same key, same partition, in send order: per-sensor order survives the trip.
        for (String sensor : List.of("s0", "s3")) {
            List<Float> speeds =
                    decoded.stream()
                            .filter(r -> r.getSensorId().equals(sensor))
                            .map(TrafficReading::getSpeedMph)
                            .toList();
            assertThat(speeds).isSorted();
        }
    }

    @Test
    void ensureTopicsCreatesOnlyMissingTopicsWithTheRequestedPartitions() {
        try (TopicAdmin admin = new TopicAdmin(KAFKA.settings())) {
            List<String> first =
                    admin.ensureTopics(
                            List.of("it.a", "it.b"), 4, (short) 1, Duration.ofSeconds(30));
            List<String> second =
                    admin.ensureTopics(
                            List.of("it.a", "it.b", "it.c"), 2, (short) 1, Duration.ofSeconds(30));
            assertThat(first).containsExactlyInAnyOrder("it.a", "it.b");
            assertThat(second).containsExactly("it.c");
            Map<String, Integer> all = admin.describeAll(Duration.ofSeconds(10));
            assertThat(all).containsEntry("it.a", 4).containsEntry("it.c", 2);
        }
    }

    @Test
    void brokerStartsOnAConfiguredPort() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (EmbeddedKafka k = EmbeddedKafka.start(port)) {
            assertThat(k.bootstrapServers()).endsWith(":" + port);
            try (TopicAdmin admin = new TopicAdmin(k.settings())) {
                admin.ensureTopics(List.of("it.port"), 1, (short) 1, Duration.ofSeconds(30));
                Set<String> names =
                        new HashSet<>(admin.describeAll(Duration.ofSeconds(10)).keySet());
                assertThat(names).contains("it.port");
            }
        }
    }
}
