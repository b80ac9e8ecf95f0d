package io.attnstream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.attnstream.platform.AvroCodec;
import io.attnstream.schema.AttentionMap;
import io.attnstream.schema.Lineage;
import io.attnstream.schema.MaskEncoding;
import io.attnstream.schema.SegmentationAttention;
import io.attnstream.schema.SegmentationResult;
import io.attnstream.video.data.SegmentationClasses;
import io.attnstream.video.image.LabelMap;
import io.attnstream.video.image.PngMasks;
import io.attnstream.video.sim.StreetSceneGenerator;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverlayWriterTest {
    private static final int W = 64;
    private static final int H = 48;

    private static byte[] result(String camera, long seq) {
        byte[] mask = new byte[W * H];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = (byte) (i < mask.length / 2 ? 0 : 3); // sky above road
        }
        return AvroCodec.of(SegmentationResult.class)
                .encode(
                        SegmentationResult.newBuilder()
                                .setPredictionId(camera + "#" + seq)
                                .setModelName("video-demo")
                                .setModelVersion("1")
                                .setCameraId(camera)
                                .setFrameSeq(seq)
                                .setEventTime(Instant.ofEpochMilli(1000))
                                .setProcessingTime(Instant.ofEpochMilli(1100))
                                .setLineage(new Lineage("video.frames", 0, seq))
                                .setWidth(W)
                                .setHeight(H)
                                .setClassNames(SegmentationClasses.camVid().names())
                                .setMask(ByteBuffer.wrap(PngMasks.encode(new LabelMap(W, H, mask))))
                                .setMaskEncoding(MaskEncoding.PNG)
                                .setClassFractions(List.of(0.5f, 0.5f))
                                .setFrameWidth(W)
                                .setFrameHeight(H)
                                .setLatencyMs(100L)
                                .build());
    }

    private static byte[] attention(String camera, long seq) {
        return AvroCodec.of(SegmentationAttention.class)
                .encode(
                        SegmentationAttention.newBuilder()
                                .setPredictionId(camera + "#" + seq)
                                .setModelName("video-demo")
                                .setModelVersion("1")
                                .setCameraId(camera)
                                .setFrameSeq(seq)
                                .setEventTime(Instant.ofEpochMilli(1000))
                                .setProcessingTime(Instant.ofEpochMilli(1100))
                                .setLineage(new Lineage("video.frames", 0, seq))
                                .setMaps(
                                        List.of(
                                                AttentionMap.newBuilder()
                                                        .setName("heatmap")
                                                        .setHeight(2)
                                                        .setWidth(2)
                                                        .setWeights(List.of())
                                                        .setLevels(
                                                                ByteBuffer.wrap(
                                                                        new byte[] {
                                                                            0,
                                                                            64,
                                                                            (byte) 128,
                                                                            (byte) 255
                                                                        }))
                                                        .build()))
                                .build());
    }

    @Test
    void writesOneOverlayPerCameraAndPeriodWhicheverHalfArrivesFirst(@TempDir Path dir)
            throws Exception {
        OverlayWriter writer =
                new OverlayWriter(
                        dir,
                        new StreetSceneGenerator(1),
                        SegmentationClasses.camVid(),
                        Duration.ofMinutes(1));

        assertThat(writer.attention(attention("cam-0", 5))).isNotNull(); // heatmap first
        writer.segments(result("cam-0", 5));
        writer.segments(result("cam-1", 2)); // mask first
        writer.attention(attention("cam-1", 2));
        writer.segments(result("cam-0", 6)); // within the period: not written again
        writer.attention(attention("cam-0", 6));

        assertThat(writer.written()).isEqualTo(2);
        for (String camera : List.of("cam-0", "cam-1")) {
            BufferedImage overlay = ImageIO.read(dir.resolve(camera + ".png").toFile());
            assertThat(overlay.getWidth()).as(camera).isGreaterThanOrEqualTo(3 * W);
            assertThat(overlay.getHeight()).isGreaterThanOrEqualTo(H);
        }
        assertThat(writer.attention(new byte[] {1, 2})).as("undecodable").isNull();
    }
}
