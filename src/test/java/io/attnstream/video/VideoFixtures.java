package io.attnstream.video;

import com.sun.management.ThreadMXBean;
import io.attnstream.platform.AvroCodec;
import io.attnstream.schema.CameraFrame;
import io.attnstream.schema.FrameEncoding;
import io.attnstream.video.image.FrameEncoder;
import io.attnstream.video.image.Rgb;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Small pictures and frames for the video tests, made on the spot (no data files). */
public final class VideoFixtures {
    private static final AvroCodec<CameraFrame> CODEC = AvroCodec.of(CameraFrame.class);

    private VideoFixtures() {}

    /** A frame of {@code camera} carrying {@code image} in this encoding (PNG, JPEG or RGB8). */
    public static CameraFrame frame(
            String camera, long seq, FrameEncoding encoding, BufferedImage image) {
        return frame(
                camera,
                seq,
                encoding,
                FrameEncoder.encode(image, encoding, 0.9f),
                image.getWidth(),
                image.getHeight());
    }

    /** A frame whose header states w x h, with these bytes (which need not be a picture). */
    public static CameraFrame frame(
            String camera, long seq, FrameEncoding encoding, byte[] data, int w, int h) {
        return CameraFrame.newBuilder()
                .setCameraId(camera)
                .setFrameSeq(seq)
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L + seq * 200))
                .setWidth(w)
                .setHeight(h)
                .setEncoding(encoding)
                .setData(ByteBuffer.wrap(data))
                .build();
    }

    /** The frame as a Kafka record keyed by its camera. */
    public static ProducerRecord<byte[], byte[]> record(String topic, CameraFrame f) {
        return new ProducerRecord<>(
                topic, f.getCameraId().getBytes(StandardCharsets.UTF_8), CODEC.encode(f));
    }

    /** The remaining bytes of an Avro bytes field (the buffer itself is left as it was). */
    public static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    /** A picture with a different colour at every pixel, so any shift or channel swap shows. */
    public static BufferedImage gradient(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(
                        x,
                        y,
                        Rgb.of(
                                x * 255 / Math.max(1, w - 1),
                                y * 255 / Math.max(1, h - 1),
                                (x * 7 + y * 13) & 0xFF));
            }
        }
        return image;
    }

    public static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    public static CameraFrame frame(FrameEncoding encoding, int w, int h, byte[] data) {
        return CameraFrame.newBuilder()
                .setCameraId("cam-1")
                .setFrameSeq(3)
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L))
                .setWidth(w)
                .setHeight(h)
                .setEncoding(encoding)
                .setData(ByteBuffer.wrap(data))
                .build();
    }

    /** Bytes this thread has allocated so far (HotSpot's per-thread counter). */
    public static long allocatedBytes() {
        return ((ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
