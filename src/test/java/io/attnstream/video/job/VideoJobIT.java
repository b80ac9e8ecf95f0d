package io.attnstream.video.job;

import static io.attnstream.video.VideoFixtures.bytes;
import static io.attnstream.video.VideoFixtures.frame;
import static io.attnstream.video.VideoFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import io.attnstream.inference.LoadedModel;
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
import io.attnstream.schema.FrameEncoding;
import io.attnstream.schema.MaskEncoding;
import io.attnstream.schema.SegmentationAttention;
import io.attnstream.schema.SegmentationResult;
import io.attnstream.testing.FlinkKafkaTestBase;
import io.attnstream.video.data.SegmentationClasses;
import io.attnstream.video.image.FrameEncoder;
import io.attnstream.video.image.FrameLimits;
import io.attnstream.video.image.PngMasks;
import io.attnstream.video.image.RgbImage;
import io.attnstream.video.model.FrameSegmenter;
import io.attnstream.video.model.SegmentationModels;
import io.attnstream.video.sim.CraftedImages;
import io.attnstream.video.sim.StreetSceneGenerator;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The video job on a MiniCluster (parallelism 2) against the in-process broker. */
class VideoJobIT extends FlinkKafkaTestBase {
    private static final int MODEL_W = 48;
    private static final int MODEL_H = 32;

    @Test
    void everyGoodFrameGetsTheModelsMaskAtItsOwnSizeInCameraOrderAndEveryBadOneADeadLetter(
            @TempDir Path models) throws Exception {
        SegmentationClasses classes = SegmentationClasses.camVid();
        Path dir =
                SegmentationModels.writeUntrained(
                        models.resolve("seg"),
                        "seg",
                        "1",
                        classes,
                        MODEL_W,
                        MODEL_H,
                        List.of(8, 16, 32),
                        2,
                        5);
        Configuration conf = new Configuration();
        conf.set(AttnstreamOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
        conf.set(AttnstreamOptions.PARALLELISM, 2);
        conf.set(AttnstreamOptions.START_FROM, "earliest");
        conf.set(AttnstreamOptions.TOPIC_PREFIX, "vj.");
        conf.set(VideoPipeline.MAX_FRAME_BYTES, new MemorySize(200_000));
        Topics topics = Topics.from(conf);
        String in = topics.name(Topics.VIDEO_FRAMES);
        KAFKA.createTopics(
                2,
                in,
                topics.name(Topics.VIDEO_SEGMENTS),
                topics.name(Topics.VIDEO_ATTENTION),
                topics.name(Topics.DEAD_LETTER));

        // 3 cameras x 4 frames of generated street scenes, of three sizes and all three encodings
        StreetSceneGenerator generator = new StreetSceneGenerator(3);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        Map<String, BufferedImage> pictures = new HashMap<>();
        int[][] sizes = {{64, 48}, {80, 60}, {50, 30}};
        FrameEncoding[] encodings = {FrameEncoding.PNG, FrameEncoding.RGB8, FrameEncoding.PNG};
        for (int k = 0; k < 4; k++) {
            for (int c = 0; c < 3; c++) {
                BufferedImage image = generator.render(c, k, sizes[c][0], sizes[c][1]).image();
                String camera = "cam-" + c;
                pictures.put(camera + "#" + k, image);
                records.add(record(in, frame(camera, k, encodings[c], image)));
            }
        }
        // one of each bad kind, on a fourth camera
        BufferedImage small = generator.render(9, 0, 40, 30).image();
        byte[] png = FrameEncoder.png(small);
        records.add(
                record(
                        in,
                        frame(
                                "bad",
                                0,
                                FrameEncoding.PNG,
                                CraftedImages.pngClaiming(50_000, 50_000),
                                50_000,
                                50_000)));
        records.add(
                record(
                        in,
                        frame(
                                "bad",
                                1,
                                FrameEncoding.PNG,
                                Arrays.copyOf(png, png.length / 2),
                                40,
                                30)));
        records.add(record(in, frame("bad", 2, FrameEncoding.JPEG, png, 40, 30)));
        records.add(record(in, frame("bad", 3, FrameEncoding.PNG, new byte[250_000], 40, 30)));
        records.add(
                record(
                        in,
                        frame(
                                "bad",
                                4,
                                FrameEncoding.PNG,
                                "not a picture".getBytes(StandardCharsets.UTF_8),
                                40,
                                30)));
        records.add(
                new ProducerRecord<>(
                        in, "bad".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3}));
        KAFKA.produce(records);

        JobSettings job = JobSettings.from(VideoJob.NAME, conf);
        StreamExecutionEnvironment env = FlinkEnvironments.ambient(job, conf);
        PipelineContext ctx =
                new PipelineContext(
                        KAFKA.settings(), job, topics, conf, OffsetsInitializer.latest());
        VideoJob.Settings settings =
                VideoPipeline.settings(
                        ModelStore.readSpec(dir), dir, conf, RuntimeSettings.from(conf, "seg"));
        VideoJob.defineWorkflow(
                env,
                ctx.source(Topics.VIDEO_FRAMES, VideoJob.frames()),
                null,
                settings,
                seg ->
                        ctx.sink(
                                seg,
                                Topics.VIDEO_SEGMENTS,
                                SegmentationResult.class,
                                SegmentationResult::getCameraId),
                att ->
                        ctx.sink(
                                att,
                                Topics.VIDEO_ATTENTION,
                                SegmentationAttention.class,
                                SegmentationAttention::getCameraId),
                ctx::deadLetterSink);
        env.execute("video-it");

        var segs =
                KAFKA.consume(topics.name(Topics.VIDEO_SEGMENTS), true, 12, Duration.ofSeconds(30));
        var atts =
                KAFKA.consume(
                        topics.name(Topics.VIDEO_ATTENTION), true, 12, Duration.ofSeconds(30));
        var dead = KAFKA.consume(topics.name(Topics.DEAD_LETTER), true, 6, Duration.ofSeconds(30));
        assertThat(segs).hasSize(12);
        assertThat(atts).hasSize(12);

        AvroCodec<SegmentationResult> segCodec = AvroCodec.of(SegmentationResult.class);
        AvroCodec<SegmentationAttention> attCodec = AvroCodec.of(SegmentationAttention.class);
        Map<String, SegmentationAttention> attentionById = new HashMap<>();
        for (var r : atts) {
            SegmentationAttention a = attCodec.decode(r.value());
            attentionById.put(a.getPredictionId(), a);
        }
        Map<String, Long> lastSeq = new HashMap<>();
        try (LoadedModel model = ModelStore.load(dir, Device.cpu())) {
            FrameSegmenter direct = FrameSegmenter.of(model, 1);
            for (var r : segs) {
                SegmentationResult s = segCodec.decode(r.value());
                assertThat(s.getModelVersion()).isEqualTo("1");
                assertThat(s.getMaskEncoding()).isEqualTo(MaskEncoding.PNG);
                BufferedImage picture = pictures.get(s.getCameraId() + "#" + s.getFrameSeq());
                assertThat(s.getWidth()).isEqualTo(picture.getWidth());
                assertThat(s.getHeight()).isEqualTo(picture.getHeight());
                assertThat(s.getFrameWidth()).isEqualTo(picture.getWidth());
                assertThat(s.getLatencyMs()).isGreaterThanOrEqualTo(0);
                // the job's mask is the model's on the same frame, pixel for pixel
                byte[] mask = PngMasks.decode(bytes(s.getMask()), FrameLimits.DEFAULT).classes();
                byte[] expected =
                        direct.segment(List.of(RgbImage.of(picture))).get(0).mask().classes();
                assertThat(mask).as("%s#%d", s.getCameraId(), s.getFrameSeq()).isEqualTo(expected);
                double shares =
                        s.getClassFractions().stream().mapToDouble(Float::doubleValue).sum();
                assertThat(shares).isCloseTo(1.0, within(1e-4));
                assertThat(s.getClassNames()).isEqualTo(classes.names());
                // a camera's results in frame order
                Long previous = lastSeq.put(s.getCameraId(), s.getFrameSeq());
                if (previous != null) {
                    assertThat(s.getFrameSeq()).isGreaterThan(previous);
                }
                SegmentationAttention a = attentionById.get(s.getPredictionId());
                assertThat(a).isNotNull();
                assertThat(a.getMaps())
                        .extracting(m -> m.getName())
                        .containsExactly("gate-0", "gate-1", "heatmap");
                var heatmap = a.getMaps().get(2);
                assertThat(heatmap.getHeight() * heatmap.getWidth())
                        .isEqualTo(bytes(heatmap.getLevels()).length);
                assertThat((long) heatmap.getHeight()).isEqualTo(MODEL_H / 4);
                int max = 0;
                for (byte b : bytes(heatmap.getLevels())) {
                    max = Math.max(max, b & 0xff);
                }
                assertThat(max).as("the heatmap's peak is 1").isEqualTo(255);
            }
        }
        assertThat(lastSeq)
                .containsOnlyKeys("cam-0", "cam-1", "cam-2")
                .allSatisfy((c, seq) -> assertThat(seq).isEqualTo(3L));

        assertThat(dead).hasSize(6);
        AvroCodec<DeadLetter> deadCodec = AvroCodec.of(DeadLetter.class);
        List<String> reasons = new ArrayList<>();
        for (var r : dead) {
            DeadLetter d = deadCodec.decode(r.value());
            assertThat(d.getStage()).isEqualTo(FailureStage.DECODE);
            assertThat(d.getSourceTopic()).isEqualTo(in);
            assertThat(d.getSourceOffset()).isNotNegative();
            reasons.add(d.getReason());
        }
        assertThat(reasons)
                .anyMatch(x -> x.startsWith("TOO_MANY_PIXELS"))
                .anyMatch(x -> x.startsWith("TRUNCATED"))
                .anyMatch(x -> x.startsWith("WRONG_ENCODING"))
                .anyMatch(x -> x.startsWith("TOO_MANY_BYTES"))
                .anyMatch(x -> x.startsWith("UNDECODABLE"));
    }
}
