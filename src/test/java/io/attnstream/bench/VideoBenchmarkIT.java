package io.attnstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.attnstream.schema.FrameEncoding;
import io.attnstream.video.data.SegmentationClasses;
import io.attnstream.video.model.SegmentationModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * All three phases of {@code bench video} at toy sizes (a tiny model, 14 small frames, a 1 s
 * latency phase): the report's sections and that no frame is lost or doubled on the way through the
 * job.
 */
class VideoBenchmarkIT {

    @Test
    @SuppressWarnings("unchecked")
    void everyPhaseReportsAndEveryFrameGetsOneMaskAtItsSize(@TempDir Path dir) throws Exception {
        Path model =
                SegmentationModels.writeUntrained(
                        dir.resolve("seg"),
                        "tiny-video",
                        "1",
                        SegmentationClasses.camVid(),
                        16,
                        8,
                        List.of(4, 8),
                        2,
                        7);
        var options =
                new VideoBenchmark.Options(
                        14,
                        3,
                        40,
                        30,
                        FrameEncoding.JPEG,
                        2,
                        0.3,
                        new int[] {1, 2},
                        1,
                        0.5,
                        model,
                        2,
                        true,
                        new Configuration(),
                        Map.of(),
                        null);
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        Map<String, Object> report =
                new VideoBenchmark(options, new PrintStream(console, true, StandardCharsets.UTF_8))
                        .run();

        assertThat(report)
                .containsOnlyKeys(
                        "model",
                        "machine",
                        "frames",
                        "a_raw_ceiling",
                        "b_video_job",
                        "c_latency_at_half_rate",
                        "ratios");
        Map<String, Object> frames = (Map<String, Object>) report.get("frames");
        assertThat(frames)
                .containsEntry("cameras", 3)
                .containsEntry("frame_size", "40x30")
                .containsEntry("mask_size", "40x30")
                .containsEntry("output_size_option", "frame");

        Map<String, Object> a = (Map<String, Object>) report.get("a_raw_ceiling");
        assertThat(a).containsEntry("loops", 2);
        assertThat((Map<String, Object>) a.get("per_batch_size")).containsOnlyKeys("1", "2");
        double ceiling = (double) a.get("frames_per_second");
        assertThat(ceiling).isPositive();

        Map<String, Object> b = (Map<String, Object>) report.get("b_video_job");
        assertThat(b)
                .containsEntry("frames_in", 14L)
                .containsEntry("masks_out", 14)
                .containsEntry("attention_out", 14L)
                .containsEntry("dead_letters", 0L)
                .containsEntry("mask_sizes", Map.of("40x30", 14))
                // nothing configured: the job batches as the raw loop did best
                .containsEntry("max_batch_size", a.get("best_batch_size"));
        double rate = (double) b.get("frames_per_second");
        assertThat(rate).isPositive();
        assertThat((double) b.get("cpu_ms_per_frame_all_threads"))
                .isGreaterThan((double) b.get("cpu_ms_per_frame_inference_workers"))
                .isPositive();

        Map<String, Object> c = (Map<String, Object>) report.get("c_latency_at_half_rate");
        assertThat((double) c.get("target_frames_per_second")).isCloseTo(rate / 2, within(0.01));
        long sent = (long) c.get("frames_sent");
        assertThat(sent).isPositive();
        assertThat(c.get("masks_received")).isEqualTo(sent);
        assertThat((int) c.get("samples")).isPositive().isLessThanOrEqualTo((int) sent);
        assertThat((double) c.get("p50_ms"))
                .isNotNegative()
                .isLessThanOrEqualTo((double) c.get("p99_ms"));
        assertThat((double) c.get("p99_ms"))
                .isLessThanOrEqualTo(((Number) c.get("max_ms")).doubleValue());

        Map<String, Object> ratios = (Map<String, Object>) report.get("ratios");
        assertThat((double) ratios.get("b_over_a")).isCloseTo(rate / ceiling, within(0.01));
        assertThat(ratios.get("meets_target")).isEqualTo(rate / ceiling >= 0.8);
        assertThat(ratios)
                .containsKeys(
                        "b_cpu_over_a_cpu_per_frame_steady", "cpu_target", "meets_cpu_target");
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("ratio (b)/(a) = ");
    }
}
