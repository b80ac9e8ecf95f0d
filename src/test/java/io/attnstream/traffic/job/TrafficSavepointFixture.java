package io.attnstream.traffic.job;

import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.Topics;
import io.attnstream.schema.TrafficForecast;
import io.attnstream.schema.TrafficReading;
import io.attnstream.testing.EmbeddedKafkaExtension;
import io.attnstream.testing.PipelineRun;
import io.attnstream.traffic.model.TrafficModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A whole traffic job's savepoint written by a release, kept as a fixture so that later releases
 * prove they restore it (issue 15): {@code run traffic} on a MiniCluster and an embedded broker,
 * started on {@code tf@1}, hot-swapped to {@code tf@2} (same sensors: that release swapped only
 * within one preprocessing), intervals 0..2 closed and interval 3 open with sensors s0 and s1, then
 * stopped with a savepoint. The savepoint of the release before sensor-id state was written with
 * this class at commit 76f4812 (it compiles against that release and this one), like {@code
 * ClicksSavepointFixture}'s:
 *
 * <pre>
 * git worktree add /tmp/r76 76f4812
 * cp src/test/java/io/attnstream/traffic/job/TrafficSavepointFixture.java \
 *     /tmp/r76/src/test/java/io/attnstream/traffic/job/
 * cp src/test/java/io/attnstream/testing/PipelineRun.java /tmp/r76/src/test/java/io/attnstream/testing/
 * cd /tmp/r76 &amp;&amp; mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test.cp
 * java -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.attnstream.schema \
 *     -cp "target/test-classes:target/classes:$(cat target/test.cp)" \
 *     io.attnstream.traffic.job.TrafficSavepointFixture \
 *     /work/main/src/test/resources/state-fixtures/traffic-job-76f4812
 * </pre>
 */
public final class TrafficSavepointFixture {
    /** Where the models are, relative to the working directory (the update records this path). */
    public static final Path MODELS = Path.of("target/traffic-savepoint-fixture/models");

    public static final int SENSORS = 4;
    public static final int T = 3;
    public static final int H = 2;
    public static final int NETWORKS = 3;
    public static final long STEP = 300_000L;
    public static final long T0 = Instant.parse("2024-05-01T08:00:00Z").toEpochMilli();
    public static final String PREFIX = "tpfix.";

    private TrafficSavepointFixture() {}

    /** The two versions, written again identically by the test that restores the fixture. */
    public static Path writeModel(String version) {
        return TrafficModels.writeUntrained(
                MODELS.resolve("tf").resolve(version),
                "tf",
                version,
                SENSORS,
                T,
                H,
                16,
                2,
                Integer.parseInt(version));
    }

    public static float speed(int network, int sensor, int interval) {
        return 40f + 7 * network + 5 * sensor + (float) Math.sin(interval + sensor) * 4;
    }

    /** Sensor {@code n} of network {@code network} in interval {@code i}, keyed by network. */
    public static ProducerRecord<byte[], byte[]> reading(
            String topic, int network, String sensor, int n, int i) {
        TrafficReading r =
                TrafficReading.newBuilder()
                        .setNetworkId("n" + network)
                        .setSensorId(sensor)
                        .setEventTime(Instant.ofEpochMilli(T0 + i * STEP + 60_000 + n * 1_000L))
                        .setSpeedMph(speed(network, n, i))
                        .build();
        return new ProducerRecord<>(
                topic,
                ("n" + network).getBytes(StandardCharsets.UTF_8),
                AvroCodec.of(TrafficReading.class).encode(r));
    }

    /** What the fixture job consumed, in order: intervals 0..2 whole, interval 3 of s0 and s1. */
    public static List<ProducerRecord<byte[], byte[]>> readings(String topic) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (int i = 0; i <= T; i++) {
            for (int network = 0; network < NETWORKS; network++) {
                for (int n = 0; n < (i < T ? SENSORS : 2); n++) {
                    out.add(reading(topic, network, "s" + n, n, i));
                }
            }
        }
        return out;
    }

    public static Configuration config(Path model) {
        Configuration conf = PipelineRun.config(PREFIX, 2);
        conf.set(TrafficPipeline.MODEL, model.toString());
        conf.set(TrafficPipeline.MAX_OUT_OF_ORDERNESS, Duration.ofSeconds(1));
        conf.set(TrafficPipeline.ALLOWED_LATENESS, Duration.ZERO);
        conf.set(TrafficPipeline.IDLENESS, Duration.ofSeconds(2));
        return conf;
    }

    public static Instant issuedAt() {
        return Instant.parse("2026-12-02T12:00:00Z");
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();
        kafka.beforeAll(null);
        try {
            Path v1 = writeModel("1");
            Path v2 = writeModel("2");
            Configuration conf = config(v1);
            Topics topics = PipelineRun.createTopics(kafka, new TrafficPipeline(), conf);
            String in = topics.name(Topics.TRAFFIC_READINGS);
            String forecasts = topics.name(Topics.TRAFFIC_FORECASTS);
            String savepoint;
            try (PipelineRun run =
                    PipelineRun.start(new TrafficPipeline(), kafka.settings(), conf, null)) {
                // The job reads the updates published after its source started: give it time.
                Thread.sleep(8_000);
                kafka.produce(List.of(PipelineRun.update(topics, "tf", "2", v2, issuedAt())));
                Thread.sleep(3_000); // applied by then (the job logs it)
                kafka.produce(readings(in));
                int expected = NETWORKS * SENSORS; // the window ending at interval 2
                List<TrafficForecast> scored = new ArrayList<>();
                for (var r : kafka.consume(forecasts, true, expected, Duration.ofSeconds(60))) {
                    scored.add(AvroCodec.of(TrafficForecast.class).decode(r.value()));
                }
                if (scored.size() < expected
                        || !scored.stream().allMatch(f -> f.getModelVersion().equals("2"))) {
                    throw new IllegalStateException(
                            "not " + expected + " forecasts of tf@2: " + scored.size());
                }
                savepoint = run.stopWithSavepoint(out.resolve("savepoint").toAbsolutePath());
            }
            System.out.println("wrote " + savepoint);
        } finally {
            kafka.afterAll(null);
        }
    }
}
