package io.attnstream.traffic.job;

import static io.attnstream.traffic.job.TrafficSavepointFixture.H;
import static io.attnstream.traffic.job.TrafficSavepointFixture.NETWORKS;
import static io.attnstream.traffic.job.TrafficSavepointFixture.SENSORS;
import static io.attnstream.traffic.job.TrafficSavepointFixture.STEP;
import static io.attnstream.traffic.job.TrafficSavepointFixture.T;
import static io.attnstream.traffic.job.TrafficSavepointFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.Topics;
import io.attnstream.schema.TrafficForecast;
import io.attnstream.testing.FlinkKafkaTestBase;
import io.attnstream.testing.PipelineRun;
import io.attnstream.testing.TrafficFixtures;
import io.attnstream.traffic.model.TrafficModels;
import io.attnstream.traffic.model.WindowEncoder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A savepoint of the whole traffic job written by the release before sensor-id state ({@link
 * TrafficSavepointFixture}, commit 76f4812) restores into this release: its open interval, kept
 * there in the recorded version's sensor order, comes back under the right sensors although the job
 * starts with a model whose sensor order is another, and the next window is complete and forecast
 * as the recorded version forecasts it directly.
 */
class TrafficSavepointRestoreIT extends FlinkKafkaTestBase {
    @Test
    void theOpenIntervalComesBackUnderItsSensorsReadInTheRecordedVersionsOrder(@TempDir Path models)
            throws Exception {
        TrafficSavepointFixture.writeModel("1");
        Path v2 = TrafficSavepointFixture.writeModel("2");
        float[][] adjacency = new float[5][5];
        Path v3 =
                TrafficModels.writeUntrained(
                        models.resolve("tf/3"),
                        "tf",
                        "3",
                        List.of("s3", "s2", "s1", "s0", "s4"),
                        adjacency,
                        new WindowEncoder.Normalisation(45f, 15f),
                        T,
                        H,
                        16,
                        2,
                        3);
        Configuration conf = TrafficSavepointFixture.config(v3);
        Topics topics = PipelineRun.createTopics(KAFKA, new TrafficPipeline(), conf);
        String in = topics.name(Topics.TRAFFIC_READINGS);
        String forecasts = topics.name(Topics.TRAFFIC_FORECASTS);
        // What the fixture job consumed, again: its restored offsets point past it.
        KAFKA.produce(
                List.of(
                        PipelineRun.update(
                                topics, "tf", "2", v2, TrafficSavepointFixture.issuedAt())));
        KAFKA.produce(TrafficSavepointFixture.readings(in));

        String savepoint =
                Path.of(
                                TrafficSavepointRestoreIT.class
                                        .getResource(
                                                "/state-fixtures/traffic-job-76f4812/savepoint")
                                        .toURI())
                        .toUri()
                        .toString();
        try (PipelineRun run =
                PipelineRun.start(new TrafficPipeline(), KAFKA.settings(), conf, savepoint)) {
            List<ProducerRecord<byte[], byte[]>> next = new ArrayList<>();
            for (int network = 0; network < NETWORKS; network++) {
                for (int n = 2; n < SENSORS; n++) { // the rest of interval 3
                    next.add(TrafficSavepointFixture.reading(in, network, "s" + n, n, T));
                }
            }
            for (int network = 0; network < NETWORKS; network++) {
                for (int n = 0; n < SENSORS; n++) { // interval 4 moves the watermark past 3
                    next.add(TrafficSavepointFixture.reading(in, network, "s" + n, n, T + 1));
                }
            }
            KAFKA.produce(next);
            int expected = NETWORKS * SENSORS;
            var out = KAFKA.consume(forecasts, true, expected, Duration.ofSeconds(90));
            assertThat(out)
                    .as("the window ending at interval 3, every network and sensor")
                    .hasSize(expected);

            Map<String, WindowEncoder.TimedWindow> windows = new LinkedHashMap<>();
            for (int network = 0; network < NETWORKS; network++) {
                float[][] w = new float[T][SENSORS];
                for (int t = 0; t < T; t++) {
                    for (int n = 0; n < SENSORS; n++) {
                        w[t][n] = TrafficSavepointFixture.speed(network, n, 1 + t);
                    }
                }
                windows.put("n" + network, new WindowEncoder.TimedWindow(w, T0 + STEP));
            }
            Map<String, float[]> direct = TrafficFixtures.forecasts(v2, windows);
            AvroCodec<TrafficForecast> fc = AvroCodec.of(TrafficForecast.class);
            for (var r : out) {
                TrafficForecast f = fc.decode(r.value());
                String key = f.getNetworkId() + "/" + f.getSensorId();
                assertThat(f.getModelVersion()).as("the restored update serves").isEqualTo("2");
                assertThat(f.getEventTime().toEpochMilli()).isEqualTo(T0 + T * STEP);
                assertThat(f.getInputsImputed())
                        .as(
                                "%s: its readings of interval 3 from before the savepoint are back",
                                key)
                        .isZero();
                for (int h = 0; h < H; h++) {
                    assertThat(f.getSpeedsMph().get(h))
                            .as("%s step %d", key, h)
                            .isCloseTo(direct.get(key)[h], within(1e-3f));
                }
            }
        }
    }
}
