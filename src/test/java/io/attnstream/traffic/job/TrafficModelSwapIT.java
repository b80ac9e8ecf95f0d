package io.attnstream.traffic.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.attnstream.inference.ModelStore;
import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.Topics;
import io.attnstream.schema.TrafficForecast;
import io.attnstream.testing.FlinkKafkaTestBase;
import io.attnstream.testing.PipelineRun;
import io.attnstream.testing.TrafficFixtures;
import io.attnstream.traffic.model.TrafficModels;
import io.attnstream.traffic.model.TrafficPreprocessing;
import io.attnstream.traffic.model.WindowEncoder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A re-fitted traffic model deployed by hot-swap (issue 15): version 2 has another normalisation
 * and one sensor more (s5, which has been reporting all along). The job accepts it; each network's
 * forecasts switch version once; every forecast equals its version called directly on the same
 * window; and s5's readings from before the swap, kept in the state, are in version 2's first
 * windows.
 */
class TrafficModelSwapIT extends FlinkKafkaTestBase {
    private static final int T = 3;
    private static final int H = 2;
    private static final int NETWORKS = 2;
    private static final long STEP = 300_000L;
    private static final long T0 = TrafficFixtures.T0.toEpochMilli();
    private static final List<String> V1_SENSORS = ids(5);
    private static final List<String> V2_SENSORS = ids(6);

    private static List<String> ids(int n) {
        return IntStream.range(0, n).mapToObj(i -> "s" + i).toList();
    }

    private static float[][] chain(int n) {
        float[][] a = new float[n][n];
        for (int i = 0; i + 1 < n; i++) {
            a[i][i + 1] = 1;
            a[i + 1][i] = 1;
        }
        return a;
    }

    private static float speed(int network, int n, int i) {
        return 40f + 10 * network + 3 * n + (float) Math.sin(i * 0.7 + n) * 5;
    }

    /** Interval i of every network, every sensor s0..s5. */
    private static List<ProducerRecord<byte[], byte[]>> interval(String topic, int i) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (int network = 0; network < NETWORKS; network++) {
            for (int n = 0; n < V2_SENSORS.size(); n++) {
                out.add(
                        TrafficFixtures.record(
                                topic,
                                "n" + network,
                                "s" + n,
                                T0 + i * STEP + 60_000 + n * 1_000L,
                                speed(network, n, i)));
            }
        }
        return out;
    }

    @Test
    void aVersionWithAnotherNormalisationAndSensorSetIsSwappedInAndForecastsAsItself(
            @TempDir Path models) throws Exception {
        Path v1 =
                TrafficModels.writeUntrained(
                        models.resolve("tf/1"),
                        "tf",
                        "1",
                        V1_SENSORS,
                        chain(5),
                        new WindowEncoder.Normalisation(55f, 12f),
                        T,
                        H,
                        16,
                        2,
                        5);
        Path v2 =
                TrafficModels.writeUntrained(
                        models.resolve("tf/2"),
                        "tf",
                        "2",
                        V2_SENSORS,
                        chain(6),
                        new WindowEncoder.Normalisation(40f, 20f),
                        T,
                        H,
                        16,
                        2,
                        6);
        Configuration conf = PipelineRun.config("tswap.", 2);
        conf.set(TrafficPipeline.MODEL, v1.toString());
        conf.set(TrafficPipeline.MAX_OUT_OF_ORDERNESS, Duration.ofSeconds(1));
        conf.set(TrafficPipeline.ALLOWED_LATENESS, Duration.ZERO);
        conf.set(TrafficPipeline.IDLENESS, Duration.ofSeconds(2));
        conf.set(TrafficPipeline.ATTENTION_TOP_K, 2);
        Topics topics = PipelineRun.createTopics(KAFKA, new TrafficPipeline(), conf);
        String in = topics.name(Topics.TRAFFIC_READINGS);
        String forecasts = topics.name(Topics.TRAFFIC_FORECASTS);

        int interval = 0;
        int expected = 0;
        try (PipelineRun run =
                PipelineRun.start(new TrafficPipeline(), KAFKA.settings(), conf, null)) {
            // Intervals 0..4 close (the readings of 5 move the watermark): windows ending at 2..4.
            for (; interval <= 5; interval++) {
                KAFKA.produce(interval(in, interval));
            }
            expected = 3 * NETWORKS * V1_SENSORS.size();
            assertThat(KAFKA.consume(forecasts, true, expected, Duration.ofSeconds(90)))
                    .hasSize(expected);

            KAFKA.produce(List.of(PipelineRun.update(topics, "tf", "2", v2, Instant.now())));
            // One interval at a time until version 2 forecasts, then two more.
            int after = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (after < 3 && System.nanoTime() < deadline) {
                KAFKA.produce(interval(in, interval++));
                List<TrafficForecast> all =
                        decode(
                                KAFKA.consume(
                                        forecasts,
                                        true,
                                        expected + NETWORKS * V1_SENSORS.size(),
                                        Duration.ofSeconds(30)));
                expected = all.size();
                if (after > 0 || all.stream().anyMatch(f -> f.getModelVersion().equals("2"))) {
                    after++;
                }
            }
            assertThat(after).as("version 2 forecasts within 90 s").isEqualTo(3);
            Thread.sleep(2_000);
            List<TrafficForecast> all =
                    decode(KAFKA.consume(forecasts, true, expected, Duration.ofSeconds(10)));
            assertThat(
                            KAFKA.consume(
                                    topics.name(Topics.DEAD_LETTER),
                                    true,
                                    1,
                                    Duration.ofSeconds(2)))
                    .as("the update is accepted, s5 is no bad input")
                    .isEmpty();

            Map<String, Map<String, float[]>> direct =
                    Map.of("1", direct(v1, interval), "2", direct(v2, interval));
            Map<String, List<TrafficForecast>> byNetwork = new HashMap<>();
            for (TrafficForecast f : all) {
                String key =
                        f.getNetworkId()
                                + "@"
                                + f.getEventTime().toEpochMilli()
                                + "/"
                                + f.getSensorId();
                float[] want = direct.get(f.getModelVersion()).get(key);
                assertThat(want)
                        .as("%s is a sensor of version %s", key, f.getModelVersion())
                        .isNotNull();
                for (int h = 0; h < H; h++) {
                    assertThat(f.getSpeedsMph().get(h))
                            .as("%s v%s step %d", key, f.getModelVersion(), h)
                            .isCloseTo(want[h], within(1e-3f));
                }
                assertThat(f.getInputsImputed())
                        .as("%s: every input observed, s5's too", key)
                        .isZero();
                byNetwork
                        .computeIfAbsent(
                                f.getNetworkId() + "/" + f.getSensorId(), k -> new ArrayList<>())
                        .add(f);
            }
            for (var e : byNetwork.entrySet()) {
                List<String> versions =
                        e.getValue().stream()
                                .sorted(Comparator.comparing(TrafficForecast::getEventTime))
                                .map(TrafficForecast::getModelVersion)
                                .toList();
                int firstV2 = versions.indexOf("2");
                assertThat(firstV2).as("%s switched", e.getKey()).isNotNegative();
                assertThat(versions.subList(firstV2, versions.size()))
                        .as("%s switched once", e.getKey())
                        .containsOnly("2");
            }
            assertThat(byNetwork.keySet())
                    .as("s5 forecast by version 2")
                    .contains("n0/s5", "n1/s5");
        }
    }

    /**
     * Forecasts of the model in {@code dir} called directly on every window up to {@code
     * intervals}.
     */
    private static Map<String, float[]> direct(Path dir, int intervals) {
        int sensors = TrafficPreprocessing.of(ModelStore.readSpec(dir)).sensors();
        Map<String, WindowEncoder.TimedWindow> windows = new LinkedHashMap<>();
        for (int network = 0; network < NETWORKS; network++) {
            for (int last = T - 1; last < intervals; last++) {
                float[][] w = new float[T][sensors];
                for (int t = 0; t < T; t++) {
                    for (int n = 0; n < sensors; n++) {
                        w[t][n] = speed(network, n, last - T + 1 + t);
                    }
                }
                windows.put(
                        "n" + network + "@" + (T0 + last * STEP),
                        new WindowEncoder.TimedWindow(w, T0 + (last - T + 1) * STEP));
            }
        }
        return TrafficFixtures.forecasts(dir, windows);
    }

    private static List<TrafficForecast> decode(List<ConsumerRecord<byte[], byte[]>> records)
            throws Exception {
        AvroCodec<TrafficForecast> codec = AvroCodec.of(TrafficForecast.class);
        List<TrafficForecast> out = new ArrayList<>();
        for (var r : records) {
            out.add(codec.decode(r.value()));
        }
        return out;
    }
}
