package io.attnstream.traffic.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.attnstream.inference.ModelStore;
import io.attnstream.inference.RuntimeSettings;
import io.attnstream.pipeline.PipelineContext;
import io.attnstream.platform.AttnstreamOptions;
import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.FlinkEnvironments;
import io.attnstream.platform.JobSettings;
import io.attnstream.platform.Topics;
import io.attnstream.schema.DeadLetter;
import io.attnstream.schema.FailureStage;
import io.attnstream.schema.SensorWeight;
import io.attnstream.schema.TrafficAttention;
import io.attnstream.schema.TrafficForecast;
import io.attnstream.testing.FlinkKafkaTestBase;
import io.attnstream.testing.TrafficFixtures;
import io.attnstream.traffic.model.TrafficModels;
import io.attnstream.traffic.model.WindowEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The traffic job on a MiniCluster (parallelism 2) over the in-process broker, exactly-once with
 * unaligned checkpoints: forecasts equal the model called directly on the same windows; gaps are
 * flagged; bad readings become dead letters.
 */
class TrafficJobIT extends FlinkKafkaTestBase {
    private static final int SENSORS = 5;
    private static final int T = 4;
    private static final int H = 3;
    private static final int INTERVALS = 10;
    private static final long STEP = 300_000L;
    private static final long T0 = TrafficFixtures.T0.toEpochMilli();

    /** Speed of sensor n of a network in interval i: distinct per network, sensor and time. */
    private static float speed(int network, int n, int i) {
        return 40f + 10 * network + 3 * n + (float) Math.sin(i * 0.7 + n) * 5;
    }

    /** n1's sensor s2 sends nothing in interval 6: imputed in every window that covers it. */
    private static boolean missing(int network, int n, int i) {
        return network == 1 && n == 2 && i == 6;
    }

    @Test
    void forecastsEqualTheModelOnTheSameWindowsWithGapsFlaggedAndBadReadingsDeadLettered(
            @TempDir Path models, @InjectMiniCluster MiniCluster cluster) throws Exception {
        Path dir =
                TrafficModels.writeUntrained(
                        models.resolve("tf"), "tf", "1", SENSORS, T, H, 16, 2, 5);
        Configuration conf = new Configuration();
        conf.set(AttnstreamOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
        conf.set(AttnstreamOptions.PARALLELISM, 2);
        conf.set(AttnstreamOptions.START_FROM, "earliest");
        conf.set(AttnstreamOptions.TOPIC_PREFIX, "tj.");
        Topics topics = Topics.from(conf);
        String in = topics.name(Topics.TRAFFIC_READINGS);
        KAFKA.createTopics(
                2,
                in,
                topics.name(Topics.TRAFFIC_FORECASTS),
                topics.name(Topics.TRAFFIC_ATTENTION),
                topics.name(Topics.DEAD_LETTER));

        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < INTERVALS; i++) {
            for (int network = 0; network < 2; network++) {
                for (int n = 0; n < SENSORS; n++) {
                    if (!missing(network, n, i)) {
                        records.add(
                                TrafficFixtures.record(
                                        in,
                                        "n" + network,
                                        "s" + n,
                                        T0 + i * STEP + n * 7_000L,
                                        speed(network, n, i)));
                    }
                }
            }
        }
        records.add(TrafficFixtures.record(in, "n0", "s1", T0 + 2 * STEP, -3f)); // invalid speed
        records.add(
                TrafficFixtures.record(
                        in,
                        "n0",
                        "x9",
                        T0 + 2 * STEP,
                        50f)); // a sensor no model knows: kept in the state, in no forecast
        records.add(
                new ProducerRecord<>(
                        in,
                        "n0".getBytes(StandardCharsets.UTF_8),
                        new byte[] {1, 2, 3})); // undecodable
        KAFKA.produce(records);

        JobSettings job = JobSettings.from(TrafficJob.NAME, conf);
        StreamExecutionEnvironment env = FlinkEnvironments.ambient(job, conf);
        PipelineContext ctx =
                new PipelineContext(
                        KAFKA.settings(), job, topics, conf, OffsetsInitializer.latest());
        TrafficJob.Settings settings =
                new TrafficJob.Settings(
                        ModelStore.readSpec(dir),
                        dir,
                        120f,
                        Duration.ofSeconds(20),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(5),
                        Duration.ofHours(1),
                        3,
                        TrafficPipeline.BUFFER_TIMEOUT.defaultValue(),
                        RuntimeSettings.from(conf, "tf"));
        TrafficJob.defineWorkflow(
                env,
                ctx.source(Topics.TRAFFIC_READINGS, TrafficJob.readings(settings)),
                null,
                settings,
                f ->
                        ctx.sink(
                                f,
                                Topics.TRAFFIC_FORECASTS,
                                TrafficForecast.class,
                                TrafficForecast::getSensorId),
                a ->
                        ctx.sink(
                                a,
                                Topics.TRAFFIC_ATTENTION,
                                TrafficAttention.class,
                                TrafficAttention::getSensorId),
                ctx::deadLetterSink);
        JobClient client = env.executeAsync("traffic-it");
        client.getJobExecutionResult().get(120, TimeUnit.SECONDS);

        // The shards' keyBy lets the job checkpoint unaligned, the jobs' default (a custom
        // partitioning made Flink refuse the graph), and its checkpoints complete: the exactly-once
        // output below is what they committed.
        AccessExecutionGraph graph = cluster.getExecutionGraph(client.getJobID()).get();
        assertThat(graph.getCheckpointCoordinatorConfiguration().isUnalignedCheckpointsEnabled())
                .isTrue();
        CheckpointStatsSnapshot checkpoints = graph.getCheckpointStatsSnapshot();
        assertThat(checkpoints.getCounts().getNumberOfCompletedCheckpoints())
                .as("completed checkpoints")
                .isPositive();
        // Failed ones are not asserted on: this bounded job's sources decline the checkpoints that
        // reach them while they finish ("task is closing"), aligned or not.

        int windows = 2 * (INTERVALS - T + 1);
        var forecasts =
                KAFKA.consume(
                        topics.name(Topics.TRAFFIC_FORECASTS),
                        true,
                        windows * SENSORS,
                        Duration.ofSeconds(30));
        var attention =
                KAFKA.consume(
                        topics.name(Topics.TRAFFIC_ATTENTION),
                        true,
                        windows * SENSORS,
                        Duration.ofSeconds(30));
        assertThat(forecasts)
                .as("one forecast per sensor and closed interval after the warm-up")
                .hasSize(windows * SENSORS);
        assertThat(attention).hasSize(windows * SENSORS);

        // The same windows through the model directly.
        Map<String, WindowEncoder.TimedWindow> direct = new LinkedHashMap<>();
        for (int network = 0; network < 2; network++) {
            for (int last = T - 1; last < INTERVALS; last++) {
                float[][] w = new float[T][SENSORS];
                for (int t = 0; t < T; t++) {
                    int i = last - T + 1 + t;
                    for (int n = 0; n < SENSORS; n++) {
                        w[t][n] = missing(network, n, i) ? Float.NaN : speed(network, n, i);
                    }
                }
                direct.put(
                        "n" + network + "@" + (T0 + last * STEP),
                        new WindowEncoder.TimedWindow(w, T0 + (last - T + 1) * STEP));
            }
        }
        Map<String, float[]> expected = TrafficFixtures.forecasts(dir, direct);

        AvroCodec<TrafficForecast> fc = AvroCodec.of(TrafficForecast.class);
        Map<String, TrafficForecast> byId = new HashMap<>();
        for (var r : forecasts) {
            TrafficForecast f = fc.decode(r.value());
            byId.put(f.getPredictionId(), f);
            String key = TrafficFixtures.key(f);
            float[] want = expected.get(key);
            assertThat(want).as("an expected window for %s", key).isNotNull();
            assertThat(f.getSpeedsMph()).hasSize(H);
            for (int h = 0; h < H; h++) {
                assertThat(f.getSpeedsMph().get(h))
                        .as("%s step %d", key, h)
                        .isCloseTo(want[h], within(1e-3f));
            }
            assertThat(f.getModelVersion()).isEqualTo("1");
            assertThat(f.getStepSeconds()).isEqualTo(300);
            assertThat(f.getWindowClosedTime()).isNotNull();
            assertThat(f.getProcessingTime()).isAfterOrEqualTo(f.getWindowClosedTime());
            long last = (f.getEventTime().toEpochMilli() - T0) / STEP;
            boolean coversGap =
                    f.getNetworkId().equals("n1")
                            && f.getSensorId().equals("s2")
                            && last >= 6
                            && last < 6 + T;
            assertThat(f.getInputsImputed())
                    .as("imputed inputs of %s", key)
                    .isEqualTo(coversGap ? 1 : 0);
        }
        assertThat(byId).as("prediction ids are unique").hasSize(windows * SENSORS);

        AvroCodec<TrafficAttention> ac = AvroCodec.of(TrafficAttention.class);
        for (var r : attention) {
            TrafficAttention a = ac.decode(r.value());
            TrafficForecast f = byId.get(a.getPredictionId());
            assertThat(f).as("forecast of attention %s", a.getPredictionId()).isNotNull();
            assertThat(a.getSensorId()).isEqualTo(f.getSensorId());
            assertThat(a.getTemporalWeights())
                    .hasSize(T)
                    .allSatisfy(w -> assertThat(w).isBetween(0f, 1f));
            assertThat(a.getTemporalWeights().stream().mapToDouble(Float::doubleValue).sum())
                    .isCloseTo(1.0, within(1e-4));
            assertThat(a.getTopSensors()).hasSize(3);
            List<Float> weights = a.getTopSensors().stream().map(SensorWeight::getWeight).toList();
            assertThat(weights)
                    .isSortedAccordingTo((x, y) -> Float.compare(y, x))
                    .allSatisfy(w -> assertThat(w).isBetween(0f, 1f));
            assertThat(a.getTopSensors())
                    .extracting(SensorWeight::getSensorId)
                    .allMatch(id -> id.matches("s[0-4]"));
        }

        var dead = KAFKA.consume(topics.name(Topics.DEAD_LETTER), true, 3, Duration.ofSeconds(20));
        assertThat(dead).as("x9 is not bad input: a later version may know it").hasSize(2);
        AvroCodec<DeadLetter> dc = AvroCodec.of(DeadLetter.class);
        List<String> reasons = new ArrayList<>();
        for (var r : dead) {
            DeadLetter d = dc.decode(r.value());
            reasons.add(d.getStage() + ": " + d.getReason());
            assertThat(d.getSourceTopic()).isEqualTo(in);
        }
        assertThat(reasons)
                .anyMatch(s -> s.startsWith(FailureStage.DECODE.name()))
                .anyMatch(s -> s.startsWith("VALIDATE: speed_mph -3.0"));
    }
}
