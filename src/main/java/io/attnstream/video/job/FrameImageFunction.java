package io.attnstream.video.job;

import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.DeadLetters;
import io.attnstream.platform.Sourced;
import io.attnstream.schema.CameraFrame;
import io.attnstream.schema.FailureStage;
import io.attnstream.video.image.FrameDecoder;
import io.attnstream.video.image.FrameLimits;
import io.attnstream.video.image.FrameRejection;
import io.attnstream.video.image.ImageResizer;
import io.attnstream.video.image.RgbImage;
import java.awt.image.BufferedImage;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes a camera frame's picture behind the size guards of {@link FrameDecoder} and shrinks it to
 * the model's input size here, once, so only W x H x 3 bytes travel on. A frame that is too large,
 * truncated, of the wrong encoding or undecodable becomes a dead letter (stage DECODE) naming the
 * reason and its Kafka coordinates; the job goes on.
 */
public class FrameImageFunction extends ProcessFunction<Sourced<CameraFrame>, FrameRequest> {
    private static final long serialVersionUID = 1L;

    private final String job;
    private final FrameLimits limits;
    private final int modelWidth;
    private final int modelHeight;
    private final OutputSize outputSize;
    private transient AvroCodec<CameraFrame> codec;

    public FrameImageFunction(
            String job,
            FrameLimits limits,
            int modelWidth,
            int modelHeight,
            OutputSize outputSize) {
        this.job = job;
        this.limits = limits;
        this.modelWidth = modelWidth;
        this.modelHeight = modelHeight;
        this.outputSize = outputSize;
    }

    @Override
    public void open(OpenContext openContext) {
        codec = AvroCodec.of(CameraFrame.class);
    }

    @Override
    public void processElement(Sourced<CameraFrame> in, Context ctx, Collector<FrameRequest> out) {
        CameraFrame frame = in.value;
        BufferedImage picture;
        try {
            picture = FrameDecoder.decode(frame, limits);
        } catch (FrameRejection e) {
            ctx.output(
                    DeadLetters.TAG,
                    DeadLetters.of(
                            job,
                            FailureStage.DECODE,
                            e.reason() + ": " + e.getMessage(),
                            null,
                            in,
                            codec));
            return;
        }
        RgbImage rgb = ImageResizer.bilinear(RgbImage.of(picture), modelWidth, modelHeight);
        FrameRequest r = new FrameRequest();
        r.cameraId = frame.getCameraId();
        r.frameSeq = frame.getFrameSeq();
        r.eventTime = frame.getEventTime().toEpochMilli();
        r.recordTimestamp = ctx.timestamp() == null ? -1 : ctx.timestamp();
        r.topic = in.topic;
        r.partition = in.partition;
        r.offset = in.offset;
        r.frameWidth = picture.getWidth();
        r.frameHeight = picture.getHeight();
        r.outputWidth = outputSize.widthFor(r.frameWidth);
        r.outputHeight = outputSize.heightFor(r.frameHeight);
        r.rgb = rgb.rgb();
        out.collect(r);
    }
}
