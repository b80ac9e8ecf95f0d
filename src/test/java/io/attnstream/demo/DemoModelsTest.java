package io.attnstream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.attnstream.inference.LoadedModel;
import io.attnstream.inference.ModelStore;
import io.attnstream.platform.AttnstreamOptions;
import io.attnstream.video.job.VideoPipeline;
import io.attnstream.video.model.SegmentationModels;
import io.attnstream.video.model.SegmentationPreprocessing;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoModelsTest {
    @Test
    void theBundledSegmenterIsInstalledIntoAnEmptyStoreLoadsAndIsReusedAfterwards(
            @TempDir Path root) {
        Configuration conf = new Configuration();
        conf.set(AttnstreamOptions.MODELS_ROOT, root.toString());
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        Path dir =
                DemoModels.ensureVideo(
                        conf, new PrintStream(console, true, StandardCharsets.UTF_8));

        assertThat(dir).isEqualTo(root.resolve("video-demo/1"));
        assertThat(conf.get(VideoPipeline.MODEL)).isEqualTo(dir.toAbsolutePath().toString());
        try (LoadedModel m = ModelStore.load(dir, Device.cpu())) { // checks the parameters' SHA-256
            assertThat(m.spec().kind()).isEqualTo(SegmentationModels.KIND);
            assertThat(SegmentationPreprocessing.of(m.spec()).inputWidth()).isEqualTo(96);
        }
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("bundled");

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        assertThat(
                        DemoModels.ensureVideo(
                                conf, new PrintStream(again, true, StandardCharsets.UTF_8)))
                .isEqualTo(dir);
        assertThat(again.toString(StandardCharsets.UTF_8)).doesNotContain("bundled");
    }
}
