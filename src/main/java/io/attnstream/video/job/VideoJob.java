package io.attnstream.video.job;

import io.attnstream.inference.Inference;
import io.attnstream.inference.InferenceStage;
import io.attnstream.inference.ModelScoring;
import io.attnstream.inference.RuntimeSettings;
import io.attnstream.platform.DeadLetterRouter;
import io.attnstream.platform.DeadLetters;
import io.attnstream.platform.Decoded;
import io.attnstream.platform.DecodingDeserializer;
import io.attnstream.platform.RawRecord;
import io.attnstream.platform.Sourced;
import io.attnstream.schema.CameraFrame;
import io.attnstream.schema.DeadLetter;
import io.attnstream.schema.SegmentationAttention;
import io.attnstream.schema.SegmentationResult;
import io.attnstream.video.image.FrameLimits;
import io.attnstream.video.model.ImageTensors;
import io.attnstream.video.model.SegmentationOutput;
import io.attnstream.video.model.SegmentationTranslator;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Camera frames -> decode + validate the record -> size guards + picture decoding, shrunk to the
 * model's input -> keyBy(camera) -> batched inference with the segmentation model (ordered: a
 * camera's results leave in frame order) -> mask + attention records. Bad records and bad pictures,
 * failed inferences and rejected model updates become dead letters.
 */
public final class VideoJob {
    public static final String NAME = "video";

    /**
     * Frames per forward pass unless configured: a frame costs ~100 ms on a CPU core at 240x176, so
     * batches of 64 (the runtime's default, sized for microsecond requests) would only add latency;
     * `bench video` found 4-8 best.
     */
    public static final int DEFAULT_MAX_BATCH_FRAMES = 4;

    /**
     * Frames in flight per subtask unless configured: a few batches' worth, well inside the
     * inference timeout.
     */
    public static final int DEFAULT_ASYNC_CAPACITY = 16;

    /**
     * What the job needs to know about its model and how to serve it.
     *
     * @param modelWidth W of the model's input
     * @param modelHeight H of the model's input
     */
    public record Settings(
            String modelName,
            Path modelDir,
            int modelWidth,
            int modelHeight,
            ImageTensors.Normalisation normalisation,
            List<String> classNames,
            FrameLimits limits,
            OutputSize outputSize,
            RuntimeSettings runtime)
            implements Serializable {}

    private VideoJob() {}

    /**
     * What the CameraFrame source decodes and validates with; a record that fails either becomes a
     * dead letter.
     */
    public static DecodingDeserializer<CameraFrame> frames() {
        return new DecodingDeserializer<>(NAME, CameraFrame.class, new CameraFrameValidator());
    }

    /**
     * @param updates null for a job without hot-swap
     */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            Source<Decoded<CameraFrame>, ?, ?> frames,
            Source<RawRecord, ?, ?> updates,
            Settings s,
            Consumer<DataStream<SegmentationResult>> segments,
            Consumer<DataStream<SegmentationAttention>> attention,
            Consumer<DataStream<DeadLetter>> deadLetters) {
        SingleOutputStreamOperator<Sourced<CameraFrame>> records =
                DeadLetterRouter.fromSource(
                        env,
                        frames,
                        WatermarkStrategy.noWatermarks(),
                        "video-source",
                        "video-dead-letter-route",
                        CameraFrame.class);

        // Pictures are decoded before the keyBy, in parallel with the source, and only the
        // model-sized pixels cross the network: a 1080p PNG is ~3 MB, its 240x180 RGB 130 KB.
        SingleOutputStreamOperator<FrameRequest> pictures =
                records.process(
                                new FrameImageFunction(
                                        NAME,
                                        s.limits(),
                                        s.modelWidth(),
                                        s.modelHeight(),
                                        s.outputSize()))
                        .returns(TypeInformation.of(FrameRequest.class))
                        .uid("video-picture")
                        .name("size guards + decode picture");

        TypeInformation<Inference<FrameRequest, SegmentationOutput>> scoredType =
                Inference.typeInfo(
                        TypeInformation.of(FrameRequest.class),
                        TypeInformation.of(SegmentationOutput.class));
        var scored =
                InferenceStage.score(
                        // keyed by camera: one camera's frames reach one subtask, whose inference
                        // operator keeps them in order
                        pictures.keyBy(r -> r.cameraId),
                        new ModelScoring<>(
                                s.modelName(),
                                s.modelDir(),
                                s.runtime(),
                                new SegmentationTranslator(
                                        s.modelWidth(),
                                        s.modelHeight(),
                                        s.normalisation(),
                                        s.classNames().size()),
                                FrameRequest::toModelRequest),
                        scoredType,
                        "video-inference");
        // A failed inference's dead letter carries the frame's coordinates and camera, not the
        // frame: the request holds only the shrunk pixels, and the original is still in Kafka at
        // that offset.
        var ok =
                InferenceStage.outcomes(
                        scored,
                        (in, stage, reason) ->
                                DeadLetters.of(
                                        NAME,
                                        stage,
                                        reason,
                                        null,
                                        new RawRecord(
                                                in.topic,
                                                in.partition,
                                                in.offset,
                                                in.recordTimestamp,
                                                in.cameraId.getBytes(StandardCharsets.UTF_8),
                                                null)),
                        "video-inference-outcomes");

        SingleOutputStreamOperator<SegmentationResult> results =
                ok.process(new SegmentationAssembler(s.classNames()))
                        .returns(new AvroTypeInfo<>(SegmentationResult.class))
                        .uid("video-assemble")
                        .name("assemble mask + attention");

        segments.accept(results);
        attention.accept(results.getSideOutput(SegmentationAssembler.ATTENTION));
        DataStream<DeadLetter> dead =
                DeadLetters.outOf(records)
                        .union(DeadLetters.outOf(pictures), DeadLetters.outOf(ok));
        if (updates != null) {
            dead = dead.union(InferenceStage.modelUpdates(env, updates, NAME));
        }
        deadLetters.accept(dead);
    }
}
