package io.attnstream.video.job;

import io.attnstream.inference.Inference;
import io.attnstream.platform.PredictionIds;
import io.attnstream.schema.AttentionMap;
import io.attnstream.schema.Lineage;
import io.attnstream.schema.MaskEncoding;
import io.attnstream.schema.SegmentationAttention;
import io.attnstream.schema.SegmentationResult;
import io.attnstream.video.image.LabelMap;
import io.attnstream.video.image.PngMasks;
import io.attnstream.video.model.AttentionLevels;
import io.attnstream.video.model.SegmentationOutput;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns a segmented frame into the published records: the {@link SegmentationResult} (the mask as a
 * PNG of class indexes, class shares, latency) and, as a side output, its {@link
 * SegmentationAttention} (the gate maps and the bottleneck heatmap as 8-bit levels), sharing one
 * prediction id.
 */
public class SegmentationAssembler
        extends ProcessFunction<Inference<FrameRequest, SegmentationOutput>, SegmentationResult> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<SegmentationAttention> ATTENTION =
            new OutputTag<>(
                    "segmentation-attention", new AvroTypeInfo<>(SegmentationAttention.class));

    private final List<String> classNames;

    public SegmentationAssembler(List<String> classNames) {
        this.classNames = List.copyOf(classNames);
    }

    @Override
    public void processElement(
            Inference<FrameRequest, SegmentationOutput> in,
            Context ctx,
            Collector<SegmentationResult> out) {
        FrameRequest f = in.input;
        SegmentationOutput s = in.output;
        Lineage lineage = f.lineage();
        String id =
                PredictionIds.of(
                        in.modelName, in.modelVersion, lineage, f.cameraId + "#" + f.frameSeq);
        long now = System.currentTimeMillis();
        List<Float> fractions = new ArrayList<>(s.classFractions.length);
        for (float x : s.classFractions) {
            fractions.add(x);
        }
        out.collect(
                SegmentationResult.newBuilder()
                        .setPredictionId(id)
                        .setModelName(in.modelName)
                        .setModelVersion(in.modelVersion)
                        .setCameraId(f.cameraId)
                        .setFrameSeq(f.frameSeq)
                        .setEventTime(Instant.ofEpochMilli(f.eventTime))
                        .setProcessingTime(Instant.ofEpochMilli(now))
                        .setLineage(lineage)
                        .setWidth(s.width)
                        .setHeight(s.height)
                        .setClassNames(classNames)
                        .setMask(
                                ByteBuffer.wrap(
                                        PngMasks.encode(new LabelMap(s.width, s.height, s.mask))))
                        .setMaskEncoding(MaskEncoding.PNG)
                        .setClassFractions(fractions)
                        .setFrameWidth(f.frameWidth)
                        .setFrameHeight(f.frameHeight)
                        .setLatencyMs(
                                f.recordTimestamp < 0 ? -1 : Math.max(0, now - f.recordTimestamp))
                        .build());

        List<AttentionMap> maps = new ArrayList<>(s.maps.length);
        for (AttentionLevels m : s.maps) {
            maps.add(
                    AttentionMap.newBuilder()
                            .setName(m.name)
                            .setHeight(m.height)
                            .setWidth(m.width)
                            .setWeights(List.of())
                            .setLevels(ByteBuffer.wrap(m.levels))
                            .build());
        }
        ctx.output(
                ATTENTION,
                SegmentationAttention.newBuilder()
                        .setPredictionId(id)
                        .setModelName(in.modelName)
                        .setModelVersion(in.modelVersion)
                        .setCameraId(f.cameraId)
                        .setFrameSeq(f.frameSeq)
                        .setEventTime(Instant.ofEpochMilli(f.eventTime))
                        .setProcessingTime(Instant.ofEpochMilli(now))
                        .setLineage(lineage)
                        .setMaps(maps)
                        .build());
    }
}
