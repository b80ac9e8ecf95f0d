package io.attnstream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attnstream.clicks.data.ItemVocabulary;
import io.attnstream.clicks.job.ClicksPipeline;
import io.attnstream.clicks.model.SequenceModels;
import io.attnstream.clicks.sim.ClickEventStream;
import io.attnstream.platform.AttnstreamOptions;
import io.attnstream.traffic.job.TrafficPipeline;
import io.attnstream.traffic.model.TrafficModels;
import io.attnstream.traffic.sim.RoadNetworkSimulator;
import io.attnstream.traffic.sim.TrafficReadingStream;
import io.attnstream.video.data.SegmentationClasses;
import io.attnstream.video.job.VideoPipeline;
import io.attnstream.video.model.SegmentationModels;
import io.attnstream.video.sim.CameraFrameStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo end to end, briefly: embedded broker, local MiniCluster, simulator, monitor,
 * summary.json.
 */
class DemoRunnerIT {

    @Test
    void demoRunsTheTrafficPipelineAndAccountsForItsOutputsInTheSummary(
            @TempDir Path out, @TempDir Path models) throws Exception {
        int sensors = 20;
        RoadNetworkSimulator sim = DemoPipelines.trafficNetwork(sensors, 7L);
        Path model =
                TrafficModels.writeUntrained(
                        models.resolve("traffic-demo/1"),
                        "traffic-demo",
                        "1",
                        sim.sensorIds(),
                        sim.adjacency().weights(),
                        12,
                        12,
                        16,
                        2,
                        3);
        Path recommender =
                SequenceModels.writeUntrained(
                        models.resolve("clicks-demo/1"),
                        "clicks-demo",
                        "1",
                        ItemVocabulary.of(DemoPipelines.shop(7L).itemIds()),
                        20,
                        16,
                        1,
                        1,
                        3);
        Path segmenter =
                SegmentationModels.writeUntrained(
                        models.resolve("video-demo/1"),
                        "video-demo",
                        "1",
                        SegmentationClasses.camVid(),
                        48,
                        32,
                        List.of(8, 16, 32),
                        2,
                        3);
        Configuration conf = new Configuration();
        conf.set(AttnstreamOptions.WEB_UI_PORT, 0);
        conf.set(VideoPipeline.MODEL, segmenter.toString());
        conf.set(TrafficPipeline.MODEL, model.toString());
        conf.set(ClicksPipeline.MODEL, recommender.toString());
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        List<DemoPipeline> pipelines = new ArrayList<>();
        DemoRunner runner =
                new DemoRunner(
                        new DemoRunner.Options(
                                Duration.ofSeconds(20),
                                out,
                                1000,
                                0,
                                null,
                                conf,
                                Duration.ofSeconds(2),
                                Duration.ofSeconds(8)),
                        topics -> {
                            pipelines.addAll(DemoPipelines.all(topics, sensors, 100, 10, 7L, out));
                            return pipelines;
                        },
                        new PrintStream(console, true, StandardCharsets.UTF_8));

        runner.run();

        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        JsonNode traffic = s.path("pipelines").path("traffic");
        long in = traffic.path("records_in").asLong();
        long produced = s.path("topics").path("traffic.readings").path("records").asLong();
        long forecasts = traffic.path("records_out").asLong();
        long dead = s.path("dead_letters").asLong();
        assertThat(in)
                .isEqualTo(produced)
                .isGreaterThan(200); // one interval of 20 sensors per second
        // One forecast per sensor and closed interval; a checkpoint commits whole intervals.
        assertThat(forecasts).isPositive();
        assertThat(forecasts % sensors).isZero();
        // Dead letters are the injected invalid and late readings (committed ones: the last
        // checkpoint may lag). Both pipelines share the dead-letter topic: count the injected
        // faults that must end there.
        Map<String, Long> injected =
                ((TrafficReadingStream) pipelines.get(0).generator()).faults().injected();
        long bad =
                injected.entrySet().stream()
                        .filter(e -> e.getKey().startsWith("invalid") || e.getKey().equals("late"))
                        .mapToLong(Map.Entry::getValue)
                        .sum();
        Map<String, Long> clickFaults =
                ((ClickEventStream) pipelines.get(1).generator()).faults().injected();
        bad +=
                clickFaults.getOrDefault("unknown_event_type", 0L)
                        + clickFaults.getOrDefault("malformed_id", 0L)
                        + clickFaults.getOrDefault("undecodable", 0L);
        Map<String, Long> frameFaults =
                ((CameraFrameStream) pipelines.get(2).generator()).faults().injected();
        bad += frameFaults.values().stream().mapToLong(Long::longValue).sum();
        assertThat(dead).isPositive().isLessThanOrEqualTo(bad);
        JsonNode stages = s.path("topics").path("attnstream.dead-letter").path("stages");
        assertThat(stages.path("VALIDATE").asLong()).isPositive();
        JsonNode latency =
                s.path("topics")
                        .path("traffic.forecasts")
                        .path("end_to_end_latency_with_warm_up_ms");
        assertThat(latency.path("samples").asLong()).isEqualTo(forecasts);
        assertThat(latency.path("p99").asLong())
                .isGreaterThanOrEqualTo(latency.path("p50").asLong());
        // The summary's latency leaves out the first 8 s of input, and says so. (Traffic's first
        // interval closes after T = 12 s of input, so clicks show it.)
        JsonNode recommendations = s.path("topics").path("clicks.recommendations");
        assertThat(recommendations.path("end_to_end_latency_ms").path("samples").asLong())
                .isPositive()
                .isLessThan(
                        recommendations
                                .path("end_to_end_latency_with_warm_up_ms")
                                .path("samples")
                                .asLong());
        assertThat(s.path("latency_counted").asText()).contains("after the first 8 s");
        assertThat(s.path("checkpoints").path("completed").asLong()).isPositive();
        assertThat(s.path("checkpoints").path("interval_ms").asLong()).isEqualTo(1000);
        assertThat(s.path("checkpoints").path("unaligned").asBoolean())
                .as("the jobs' unaligned default, traffic included")
                .isTrue();
        assertThat(traffic.path("model_versions").toString()).contains("traffic-demo@1");
        assertThat(s.path("first_output_after_seconds").asDouble()).isPositive();
        assertThat(s.path("kafka").path("embedded").asBoolean()).isTrue();

        String printed = console.toString(StandardCharsets.UTF_8);
        JsonNode clicks = s.path("pipelines").path("clicks");
        assertThat(clicks.path("records_in").asLong()).isGreaterThan(500); // 100 clicks/s for 20 s
        assertThat(clicks.path("records_out").asLong())
                .as("recommendations")
                .isPositive()
                .isLessThanOrEqualTo(clicks.path("records_in").asLong());
        assertThat(clicks.path("model_versions").toString()).contains("clicks-demo@1");
        assertThat(
                        s.path("topics")
                                .path("clicks.recommendations")
                                .path("end_to_end_latency_with_warm_up_ms")
                                .path("samples")
                                .asLong())
                .isEqualTo(clicks.path("records_out").asLong());

        JsonNode video = s.path("pipelines").path("video");
        assertThat(video.path("records_in").asLong())
                .as("frames")
                .isGreaterThan(50); // 2 cameras x 2 frames/s
        assertThat(video.path("records_out").asLong())
                .as("masks")
                .isPositive()
                .isLessThanOrEqualTo(video.path("records_in").asLong());
        assertThat(video.path("model_versions").toString()).contains("video-demo@1");
        // every few seconds an overlay per camera: frame | mask colours | heatmap, at three times
        // the frame's width
        for (String camera : List.of("cam-0", "cam-1")) {
            BufferedImage overlay =
                    ImageIO.read(out.resolve("overlays/" + camera + ".png").toFile());
            assertThat(overlay).as(camera).isNotNull();
            assertThat(overlay.getWidth()).isGreaterThanOrEqualTo(3 * 320);
        }

        assertThat(printed)
                .contains("traffic  in")
                .contains("clicks   in")
                .contains("| out")
                .contains("latency p50")
                .contains("Summary:");
    }
}
