package io.attnstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The parts of {@code bench video} that need no Flink job; {@code VideoBenchmarkIT} runs all
 * phases.
 */
class VideoBenchmarkTest {

    @Test
    @SuppressWarnings("unchecked")
    void rawOnlyMeasuresTheConfiguredWorkersWithMasksAtTheConfiguredSize(@TempDir Path dir)
            throws Exception {
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
        Configuration conf = new Configuration();
        conf.setString("attnstream.video.output-size", "20x10");
        conf.setString("attnstream.inference.workers", "1");
        var options =
                new VideoBenchmark.Options(
                        5,
                        2,
                        40,
                        30,
                        FrameEncoding.PNG,
                        1,
                        0.2,
                        new int[] {2},
                        1,
                        0,
                        model,
                        2,
                        false,
                        conf,
                        Map.of(),
                        null);

        Map<String, Object> report =
                new VideoBenchmark(
                                options,
                                new PrintStream(
                                        new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                        .run();

        assertThat(report).containsOnlyKeys("model", "machine", "frames", "a_raw_ceiling");
        assertThat((Map<String, Object>) report.get("model"))
                .containsEntry("input_size", "16x8")
                .containsEntry("kind", SegmentationModels.KIND);
        assertThat((Map<String, Object>) report.get("frames"))
                .containsEntry("frame_size", "40x30")
                .containsEntry("encoding", "PNG")
                .containsEntry("mask_size", "20x10")
                .containsEntry("output_size_option", "20x10");
        Map<String, Object> raw = (Map<String, Object>) report.get("a_raw_ceiling");
        assertThat(raw).containsEntry("loops", 1).containsEntry("best_batch_size", 2);
        assertThat((double) raw.get("frames_per_second")).isPositive();
    }

    @Test
    void theJobBatchesAsTheRawLoopDidBestUnlessConfigured() {
        Configuration none = new Configuration();
        assertThat(VideoBenchmark.batching(none, "seg", 4))
                .isEqualTo(
                        new VideoBenchmark.JobBatching(
                                4,
                                16,
                                "max-batch-size: the raw loop's best;"
                                        + " async-capacity: 2 x max-batch-size x workers"));
        assertThat(VideoBenchmark.batching(none, "seg", 1).asyncCapacity()).isEqualTo(8);

        Configuration batch = new Configuration();
        batch.setString("attnstream.inference.max-batch-size", "3");
        batch.setString("attnstream.inference.workers", "1");
        assertThat(VideoBenchmark.batching(batch, "seg", 8))
                .isEqualTo(
                        new VideoBenchmark.JobBatching(
                                3, 8, "async-capacity: 2 x max-batch-size x workers"));

        Configuration perModel = new Configuration();
        perModel.setString("attnstream.inference.seg.max-batch-size", "5");
        perModel.setString("attnstream.inference.seg.async-capacity", "40");
        assertThat(VideoBenchmark.batching(perModel, "seg", 1))
                .isEqualTo(new VideoBenchmark.JobBatching(5, 40, "configured"));
    }
}
