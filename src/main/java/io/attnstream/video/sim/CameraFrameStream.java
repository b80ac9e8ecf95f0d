package io.attnstream.video.sim;

import io.attnstream.platform.AvroCodec;
import io.attnstream.platform.PacedRecordGenerator;
import io.attnstream.schema.CameraFrame;
import io.attnstream.schema.FrameEncoding;
import io.attnstream.video.data.FrameSource;
import io.attnstream.video.data.ImageFolder;
import io.attnstream.video.image.EncodedFrame;
import io.attnstream.video.image.FrameEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Turns a {@link FrameSource} (the street-scene generator, endless, or an {@link ImageFolder}
 * replay) into {@link CameraFrame} records for the frames topic: key = camera id (UTF-8), value =
 * Avro, record timestamp = event time. Every camera sends {@code framesPerSecond}; within a tick
 * the cameras are spread evenly, camera c of N sending frame k at {@code (k + c / N) /
 * framesPerSecond} seconds after the first call. The event time is that due time (frames are
 * "captured" when sent, so the demo can measure latency from it) and frame_seq is k. Frames then
 * pass through {@link FrameFaults}.
 */
public final class CameraFrameStream extends PacedRecordGenerator<FrameFaults.Emission>
        implements AutoCloseable {
    private final FrameSource source;
    private final String topic;
    private final double intervalMillis;
    private final FrameFaults faults;
    private final AvroCodec<CameraFrame> codec = AvroCodec.of(CameraFrame.class);
    private final boolean[] ended;
    private int endedCount;
    private long wallStart;
    private long tick;
    private int camera;
    private long frames;

    public CameraFrameStream(
            FrameSource source, String topic, double framesPerSecond, FrameFaults faults) {
        if (!(framesPerSecond > 0) || Double.isInfinite(framesPerSecond)) {
            throw new IllegalArgumentException(
                    "framesPerSecond must be > 0, got " + framesPerSecond);
        }
        this.source = source;
        this.topic = topic;
        this.intervalMillis = 1000.0 / framesPerSecond;
        this.faults = faults;
        this.ended = new boolean[source.cameras()];
    }

    /** {@code cameras} generator cameras at {@code width x height}, endless. */
    public static CameraFrameStream generated(
            StreetSceneGenerator generator,
            int cameras,
            int width,
            int height,
            FrameEncoding encoding,
            String topic,
            double framesPerSecond,
            FrameFaults faults) {
        return new CameraFrameStream(
                new GeneratedFrames(
                        generator,
                        cameras,
                        width,
                        height,
                        encoding,
                        FrameEncoder.DEFAULT_JPEG_QUALITY),
                topic,
                framesPerSecond,
                faults);
    }

    /**
     * A replay of an image folder's pictures (see {@link ImageFolder}) as {@code cameras} offset
     * feeds.
     */
    public static CameraFrameStream replay(
            Path folder,
            int cameras,
            boolean loop,
            String topic,
            double framesPerSecond,
            FrameFaults faults) {
        return new CameraFrameStream(
                ImageFolder.open(folder, cameras, loop), topic, framesPerSecond, faults);
    }

    /** Frames taken from the source so far (before faults). */
    public long frames() {
        return frames;
    }

    public FrameFaults faults() {
        return faults;
    }

    @Override
    protected void onStart(long nowMillis) {
        wallStart = nowMillis;
    }

    /**
     * Enqueues the next camera's next frame, skipping cameras whose feed has ended; nothing once
     * all have.
     */
    @Override
    protected void refill() {
        int n = ended.length;
        while (endedCount < n) {
            int c = camera;
            long k = tick;
            if (++camera == n) {
                camera = 0;
                tick++;
            }
            if (ended[c]) {
                continue;
            }
            EncodedFrame f = source.frame(c, k);
            if (f == null) {
                ended[c] = true;
                endedCount++;
                continue;
            }
            long due = wallStart + Math.round((k + (double) c / n) * intervalMillis);
            CameraFrame frame =
                    CameraFrame.newBuilder()
                            .setCameraId(source.cameraId(c))
                            .setFrameSeq(k)
                            .setEventTime(Instant.ofEpochMilli(due))
                            .setWidth(f.width())
                            .setHeight(f.height())
                            .setEncoding(f.encoding())
                            .setData(ByteBuffer.wrap(f.data()))
                            .build();
            frames++;
            enqueue(faults.offer(frame), due);
            return;
        }
    }

    @Override
    protected ProducerRecord<byte[], byte[]> record(FrameFaults.Emission e) {
        CameraFrame f = e.frame();
        return new ProducerRecord<>(
                topic,
                null,
                f.getEventTime().toEpochMilli(),
                f.getCameraId().getBytes(StandardCharsets.UTF_8),
                codec.encode(f));
    }

    @Override
    public void close() {
        source.close();
    }
}
