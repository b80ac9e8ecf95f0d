package io.attnstream.video.job;

import io.attnstream.inference.ModelSpec;
import io.attnstream.inference.RuntimeSettings;
import io.attnstream.pipeline.CheckedModel;
import io.attnstream.pipeline.Pipeline;
import io.attnstream.pipeline.PipelineContext;
import io.attnstream.platform.AttnstreamException;
import io.attnstream.platform.Topics;
import io.attnstream.schema.SegmentationAttention;
import io.attnstream.schema.SegmentationResult;
import io.attnstream.video.image.FrameLimits;
import io.attnstream.video.model.SegmentationModels;
import io.attnstream.video.model.SegmentationPreprocessing;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** {@code run video}: per-pixel class masks and attention heatmaps for camera frames. */
public final class VideoPipeline implements Pipeline {
    public static final ConfigOption<String> MODEL =
            ConfigOptions.key("attnstream.video.model")
                    .stringType()
                    .defaultValue("video-segmenter")
                    .withDescription(
                            "Model directory, or name[@version] under attnstream.models.root"
                                    + " (latest version without @).");
    public static final ConfigOption<String> OUTPUT_SIZE =
            ConfigOptions.key("attnstream.video.output-size")
                    .stringType()
                    .defaultValue("frame")
                    .withDescription(
                            "Size of the published masks: 'frame' (each frame's own size) or WxH,"
                                    + " e.g. 320x240.");
    public static final ConfigOption<MemorySize> MAX_FRAME_BYTES =
            ConfigOptions.key("attnstream.video.max-frame-bytes")
                    .memoryType()
                    .defaultValue(new MemorySize(FrameLimits.DEFAULT_MAX_BYTES))
                    .withDescription(
                            "Frames with more encoded bytes are dead letters (checked before"
                                    + " decoding). Kafka's own message.max.bytes (1 MB by default)"
                                    + " usually stops larger ones earlier.");
    public static final ConfigOption<Long> MAX_FRAME_PIXELS =
            ConfigOptions.key("attnstream.video.max-frame-pixels")
                    .longType()
                    .defaultValue(FrameLimits.DEFAULT_MAX_PIXELS)
                    .withDescription(
                            "Frames whose header states more pixels are dead letters, rejected"
                                    + " before any pixel is allocated (a decoded RGB frame takes 4"
                                    + " bytes per pixel).");

    @Override
    public String name() {
        return "video";
    }

    @Override
    public String jobName() {
        return VideoJob.NAME;
    }

    @Override
    public List<ConfigOption<String>> inputTopics() {
        return List.of(Topics.VIDEO_FRAMES, Topics.MODEL_UPDATES);
    }

    @Override
    public List<ConfigOption<String>> outputTopics() {
        return List.of(Topics.VIDEO_SEGMENTS, Topics.VIDEO_ATTENTION);
    }

    @Override
    public Optional<ConfigOption<String>> modelOption() {
        return Optional.of(MODEL);
    }

    @Override
    public void build(StreamExecutionEnvironment env, PipelineContext ctx) {
        CheckedModel model = CheckedModel.of(ctx.config(), MODEL, SegmentationModels.KIND);
        VideoJob.Settings s =
                settings(
                        model.spec(),
                        model.dir(),
                        ctx.config(),
                        RuntimeSettings.from(
                                ctx.config(),
                                model.spec().name(),
                                VideoJob.DEFAULT_MAX_BATCH_FRAMES,
                                VideoJob.DEFAULT_ASYNC_CAPACITY));
        VideoJob.defineWorkflow(
                env,
                ctx.source(Topics.VIDEO_FRAMES, VideoJob.frames()),
                ctx.modelUpdatesSource(),
                s,
                seg ->
                        ctx.sink(
                                seg,
                                Topics.VIDEO_SEGMENTS,
                                SegmentationResult.class,
                                SegmentationResult::getCameraId),
                att ->
                        ctx.attentionSink(
                                att,
                                Topics.VIDEO_ATTENTION,
                                SegmentationAttention.class,
                                SegmentationAttention::getCameraId,
                                SegmentationAttention::getPredictionId),
                ctx::deadLetterSink);
    }

    /** The job's settings for a model and a configuration; a bad option is one clear error. */
    public static VideoJob.Settings settings(
            ModelSpec spec, Path dir, ReadableConfig conf, RuntimeSettings runtime) {
        OutputSize size;
        FrameLimits limits;
        try {
            size = OutputSize.parse(conf.get(OUTPUT_SIZE));
            limits =
                    new FrameLimits(
                            conf.get(MAX_FRAME_BYTES).getBytes(), conf.get(MAX_FRAME_PIXELS));
        } catch (IllegalArgumentException e) {
            throw new AttnstreamException(
                    OUTPUT_SIZE.key()
                            + " / "
                            + MAX_FRAME_BYTES.key()
                            + " / "
                            + MAX_FRAME_PIXELS.key()
                            + ": "
                            + e.getMessage());
        }
        SegmentationPreprocessing preprocessing = SegmentationPreprocessing.of(spec);
        return new VideoJob.Settings(
                spec.name(),
                dir,
                preprocessing.inputWidth(),
                preprocessing.inputHeight(),
                preprocessing.normalisation(),
                preprocessing.classes().names(),
                limits,
                size,
                runtime);
    }
}
